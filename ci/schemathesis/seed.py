"""Two users for the schemathesis run, each with data of their own, through the API itself.

Usage: python ci/schemathesis/seed.py BASE_URL AUTH_FILE
Writes a Web Fuzzing Commons auth document naming both users (schemathesis's
object-level authorization check replays each one's reads as the other).
"""

from __future__ import annotations

import json
import sys
from typing import Any

import requests

PASSWORD = "schemathesis-password-2026"  # noqa: S105  # nosec B105  (a throwaway CI user)


def _post(base: str, path: str, body: dict[str, Any], token: str | None = None) -> Any:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = requests.post(f"{base}{path}", json=body, headers=headers, timeout=10)
    if response.status_code >= 300:
        raise SystemExit(f"seeding failed: POST {path} -> {response.status_code} {response.text}")
    return response.json() if response.content else None


def seed_user(base: str, username: str) -> str:
    _post(base, "/auth/register", {"username": username, "password": PASSWORD})
    token = _post(base, "/auth/token", {"username": username, "password": PASSWORD})["access_token"]
    account = _post(
        base, "/accounts", {"name": "Checking", "type": "checking", "currency": "USD"}, token
    )
    category = _post(base, "/categories", {"name": "Groceries", "kind": "expense"}, token)
    _post(
        base,
        "/transactions",
        {
            "account_id": account["id"],
            "date": "2026-11-02",
            "amount": "-42.50",
            "category_id": category["id"],
            "payee": "Market",
        },
        token,
    )
    _post(base, "/budgets", {"category_id": category["id"], "amount": "300.00"}, token)
    _post(
        base,
        "/exchange-rates",
        {"date": "2026-11-01", "base": "EUR", "quote": "USD", "rate": "1.08"},
        token,
    )
    _post(base, "/auth/api-tokens", {"name": "ci", "scope": "read"}, token)
    _post(base, "/tenants", {"name": f"{username} org", "base_currency": "EUR"}, token)
    return str(token)


def main() -> None:
    base, auth_file = sys.argv[1].rstrip("/"), sys.argv[2]
    users = [
        {
            "name": username,
            "fixedHeaders": [
                {"name": "Authorization", "value": f"Bearer {seed_user(base, username)}"}
            ],
        }
        for username in ("alice", "bob")
    ]
    with open(auth_file, "w", encoding="utf-8") as out:
        json.dump({"auth": users}, out)


if __name__ == "__main__":
    main()
