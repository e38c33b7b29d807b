"""The index the dashboard's ``largest_expenses`` query walks: a tenant's outflows in one
currency, most negative first, without touching the rest of its history."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("dashboard", "0001_initial"),
        ("ledger", "0001_initial"),
    ]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS dashboard_txn_tenant_currency_amount "
            "ON ledger_transaction (tenant_id, currency, amount)",
            "DROP INDEX IF EXISTS dashboard_txn_tenant_currency_amount",
        )
    ]
