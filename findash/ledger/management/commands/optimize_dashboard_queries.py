"""``manage.py optimize_dashboard_queries``: the deployment guide's name for ``rebuild_rollups``."""

from __future__ import annotations

from findash.ledger.management.commands.rebuild_rollups import Command as RebuildRollups


class Command(RebuildRollups):
    help = "Alias of rebuild_rollups: " + RebuildRollups.help
