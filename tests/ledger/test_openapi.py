from __future__ import annotations

from tests.conftest import ApiClient


def test_openapi_documents_every_ledger_path(anon: ApiClient) -> None:
    schema = anon.get("/openapi.json").json()
    paths = schema["paths"]
    for path, methods in {
        "/accounts": {"get", "post"},
        "/accounts/{account_id}": {"get", "patch", "delete"},
        "/categories": {"get", "post"},
        "/categories/{category_id}": {"get", "patch", "delete"},
        "/transactions": {"get", "post"},
        "/transactions/bulk": {"post"},
        "/transactions/{transaction_id}": {"get", "patch", "delete"},
        "/transfers": {"post"},
        "/exchange-rates": {"get", "post"},
        "/exchange-rates/{rate_id}": {"get", "patch", "delete"},
    }.items():
        assert methods <= set(paths[path]), path
    amount = schema["components"]["schemas"]["TransactionOut"]["properties"]["amount"]
    assert amount["type"] == "string"
