"""Operator CLI for feature flags: list | show | set | enable | disable | check | rollout."""

from __future__ import annotations

import getpass
from argparse import ArgumentParser, ArgumentTypeError
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from findash.common.errors import DomainError, InvalidInput
from findash.flags.selectors import (
    FlagView,
    flag_audit_list,
    flag_check,
    flag_get,
    flag_list,
    rollout_plan,
)
from findash.flags.services import flag_update
from findash.tenancy.models import Tenant


def _integer(value: str) -> int:
    try:
        return int(value)
    except ValueError as exc:
        raise ArgumentTypeError(f"{value!r} is not a whole number") from exc


def _plan(value: str) -> list[int]:
    return [_integer(part.strip()) for part in value.split(",") if part.strip()]


def _tenant_ids(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def _describe(view: FlagView) -> str:
    state = view.state
    status = "on " if state.enabled else "off"
    return f"{view.key:<20} {status} rollout={state.rollout:>3}%  source={state.source}"


def _diff(old: dict[str, Any] | None, new: dict[str, Any]) -> str:
    before = old or {}
    changed = [
        f"{name}: {before.get(name)} -> {value}"
        for name, value in new.items()
        if before.get(name) != value
    ]
    return ", ".join(changed) or "no change"


class Command(BaseCommand):
    help = "Show and change feature flags (every change is audited and reaches all processes)."
    # A kill switch must be quick: skip the system checks (they import every URL and API).
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--actor",
            default=f"cli:{getpass.getuser()}",
            help="who is making the change, for the audit log",
        )
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("list", help="every flag and its state")
        show = sub.add_parser("show", help="one flag, its lists and its recent changes")
        show.add_argument("key")
        set_ = sub.add_parser("set", help="change rollout / allow / deny")
        set_.add_argument("key")
        set_.add_argument("--rollout", type=_integer, help="percentage of tenants, 0-100")
        set_.add_argument("--allow", type=_tenant_ids, help="comma-separated tenant ids")
        set_.add_argument("--deny", type=_tenant_ids, help="comma-separated tenant ids")
        for action in ("enable", "disable"):
            sub.add_parser(action, help=f"{action} the flag (kill switch)").add_argument("key")
        check = sub.add_parser("check", help="the bucket and decision for one tenant")
        check.add_argument("key")
        check.add_argument("--tenant", required=True, help="tenant id, e.g. org_4")
        rollout = sub.add_parser("rollout", help="how many tenants each stage lets in")
        rollout.add_argument("key")
        rollout.add_argument("--plan", type=_plan, default=[0, 5, 25, 50, 100])

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, f"_{options['action']}")(options)
        except InvalidInput as exc:
            raise CommandError(f"{exc.field_name}: {exc.msg}") from exc
        except DomainError as exc:
            raise CommandError(exc.detail) from exc
        except DatabaseError as exc:
            raise CommandError(
                f"cannot read or write the flag store: {exc} "
                "(is DATABASE_URL right and the database migrated?)"
            ) from exc

    def _list(self, options: dict[str, Any]) -> None:
        for view in flag_list():
            self.stdout.write(_describe(view))

    def _show(self, options: dict[str, Any]) -> None:
        view = flag_get(key=options["key"])
        state = view.state
        self.stdout.write(_describe(view))
        self.stdout.write(f"  description: {view.description}")
        self.stdout.write(f"  group_id:    {state.group_id}")
        self.stdout.write(f"  allow:       {', '.join(sorted(state.allow)) or '-'}")
        self.stdout.write(f"  deny:        {', '.join(sorted(state.deny)) or '-'}")
        when = f"{view.updated_at:%Y-%m-%d %H:%M:%S} UTC" if view.updated_at else "never"
        self.stdout.write(f"  updated:     {when} by {view.updated_by or '-'}")
        for entry in flag_audit_list(key=view.key, limit=10):
            self.stdout.write(
                f"  {entry.at:%Y-%m-%d %H:%M:%S} {entry.actor}: {_diff(entry.old, entry.new)}"
            )

    def _update(self, options: dict[str, Any], **changes: Any) -> None:
        flag_update(key=options["key"], actor=options["actor"], **changes)
        self.stdout.write(_describe(flag_get(key=options["key"])))

    def _set(self, options: dict[str, Any]) -> None:
        changes = {name: options[name] for name in ("rollout", "allow", "deny")}
        if all(value is None for value in changes.values()):
            raise CommandError("nothing to set: give --rollout, --allow or --deny")
        self._update(options, **changes)

    def _enable(self, options: dict[str, Any]) -> None:
        self._update(options, enabled=True)

    def _disable(self, options: dict[str, Any]) -> None:
        self._update(options, enabled=False)

    def _check(self, options: dict[str, Any]) -> None:
        tenant_id = options["tenant"]
        if Tenant.parse_public_id(tenant_id) is None:
            raise CommandError(f"{tenant_id!r} is not a tenant id (like 'user_3' or 'org_4')")
        decision = flag_check(key=options["key"], tenant_id=tenant_id)
        bucket = "-" if decision.bucket is None else str(decision.bucket)
        verdict = "ENABLED" if decision.enabled else "DISABLED"
        self.stdout.write(
            f"{options['key']} for {tenant_id}: bucket={bucket} rule={decision.reason} {verdict}"
        )

    def _rollout(self, options: dict[str, Any]) -> None:
        key = options["key"]
        current = flag_get(key=key).state
        self.stdout.write(
            f"{key}: now {'on' if current.enabled else 'off'} at {current.rollout}%"
            f" (group_id={current.group_id})"
        )
        self.stdout.write(f"{'stage':>6}  {'tenants in':>10}  {'share':>6}  command")
        for stage in rollout_plan(key=key, stages=options["plan"]):
            share = 100 * stage.tenants_in / stage.tenants_total if stage.tenants_total else 0
            self.stdout.write(
                f"{stage.rollout:>5}%  {stage.tenants_in:>4} / {stage.tenants_total:<4}"
                f"  {share:>5.1f}%  scripts/feature-flags.sh --rollout {key} {stage.rollout}"
            )
