"""The dashboard owns no tables: it reads the ledger's (see ``ledger.rollup_models``)."""
