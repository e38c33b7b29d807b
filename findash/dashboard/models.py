"""The dashboard owns no tables: every table it reads is the ledger's (see ``ledger.rollup_models``)."""
