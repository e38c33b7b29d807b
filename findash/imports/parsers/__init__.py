"""Bank file parsers. Each turns bytes into :class:`ParsedRow` s or raises ``InvalidInput``
whose ``loc`` names the line (CSV) or element (OFX, CAMT) at fault."""
