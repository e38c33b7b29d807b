"""Index only non-transfer rows: transfers are often the most negative amounts, and a walk
that had to skip them grew with the size of the history."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("dashboard", "0002_transaction_amount_index"),
    ]

    operations = [
        migrations.RunSQL(
            "DROP INDEX IF EXISTS dashboard_txn_tenant_currency_amount",
            "CREATE INDEX IF NOT EXISTS dashboard_txn_tenant_currency_amount "
            "ON ledger_transaction (tenant_id, currency, amount)",
        ),
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS dashboard_txn_outflows "
            "ON ledger_transaction (tenant_id, currency, amount) WHERE transfer_id IS NULL",
            "DROP INDEX IF EXISTS dashboard_txn_outflows",
        ),
    ]
