"""Locust load profile for the dashboard (performance/dashboard-benchmark.sh runs it).

Every simulated user logs in as the benchmark user (LOCUST_USERNAME / LOCUST_PASSWORD, made
and seeded by the script) and keeps reading the five dashboard endpoints over four periods,
as people refreshing their dashboard do; one request in WRITE_EVERY (default: none) posts a
transaction, which invalidates that tenant's cached answers as real use does.
"""

from __future__ import annotations

import os
import random
from typing import Any

from locust import HttpUser, between, task

ENDPOINTS = (
    "/financial/dashboard",
    "/financial/dashboard/summary",
    "/financial/dashboard/accounts",
    "/financial/dashboard/transactions",
    "/financial/dashboard/budgets",
)
PERIODS = ("current_month", "last_month", "last_90_days", "year_to_date")
WRITE_EVERY = int(os.environ.get("WRITE_EVERY", "0"))


class DashboardUser(HttpUser):
    wait_time = between(0.1, 0.5)

    def on_start(self) -> None:
        credentials = {
            "username": os.environ["LOCUST_USERNAME"],
            "password": os.environ["LOCUST_PASSWORD"],
        }
        answer = self.client.post("/auth/token", json=credentials, name="/auth/token")
        answer.raise_for_status()
        self.client.headers["Authorization"] = f"Bearer {answer.json()['access_token']}"
        self.requests = 0
        self.account: Any = os.environ.get("LOCUST_ACCOUNT_ID")

    @task
    def read_dashboard(self) -> None:
        self.requests += 1
        if WRITE_EVERY and self.account and self.requests % WRITE_EVERY == 0:
            body = {
                "account_id": int(self.account),
                "date": "2026-01-15",
                "amount": "-1.00",
                "currency": "USD",
                "payee": "Load test",
            }
            self.client.post("/transactions", json=body, name="/transactions (write)")
            return
        endpoint = random.choice(ENDPOINTS)
        period = random.choice(PERIODS)
        self.client.get(f"{endpoint}?period={period}", name=endpoint)
