"""Series over time for the web app's charts (net worth month by month).

A new module beside the dashboard read model: it reads the ledger's monthly
rollups (one row per account, category and month) and converts balances with
the dashboard's exchange-rate rules, so its last point equals the summary's
net worth for a period ending on the same day.
"""
