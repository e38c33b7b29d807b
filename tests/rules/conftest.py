from tests.ledger.conftest import Ledger, ledger

__all__ = ["Ledger", "ledger"]
