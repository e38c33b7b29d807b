"""``manage.py seed_demo``: the demo person and organization, and how to log in."""

from __future__ import annotations

import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from findash.demo.seed import DEMO_ORG_NAME, demo_seed

_JSON_ACCESS = "python3 -c 'import json,sys; print(json.load(sys.stdin)[\"access_token\"])'"


class Command(BaseCommand):
    help = "Create the demo person and organization with 18 months of data (idempotent)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--reset", action="store_true", help="rebuild the demo data even if it exists"
        )
        parser.add_argument(
            "--base-url", default="http://127.0.0.1:8000", help="shown in the curl example"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        summary = demo_seed(reset=options["reset"])
        elapsed = time.monotonic() - started
        url = options["base_url"].rstrip("/")
        state = "created" if summary.created else "already present (use --reset to rebuild)"
        login = f'{{"username": "{summary.username}", "password": "{summary.password}"}}'
        self.stdout.write(
            f"Demo data {state}: {summary.transactions} transactions in {elapsed:.1f} s\n"
            f"  login:        {summary.username} / {summary.password}"
            f"  (personal tenant {summary.person_tenant_id})\n"
            f"  organization: {DEMO_ORG_NAME} ({summary.org_tenant_id}); "
            f"{summary.username} is owner, {summary.viewer_username} (same password) is viewer\n"
            "Try it:\n"
            f"  TOKEN=$(curl -s -X POST {url}/auth/token -H 'Content-Type: application/json' \\\n"
            f"    -d '{login}' | {_JSON_ACCESS})\n"
            f'  curl -H "Authorization: Bearer $TOKEN" {url}/accounts\n'
            f'  curl -H "Authorization: Bearer $TOKEN" -H "X-Tenant-ID: {summary.org_tenant_id}" '
            f"{url}/financial/dashboard\n"
        )
