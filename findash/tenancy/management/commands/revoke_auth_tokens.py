"""``manage.py revoke_auth_tokens (USERNAME... | --all) [--api-tokens]``: force new logins.

Revokes every live refresh token of the users (a refresh then answers 401, so the client must
log in again with the password); with ``--api-tokens`` their personal API tokens too (they
answer 401 at once). Access tokens are signed, not stored: one already issued stays valid
until it expires (``ACCESS_TOKEN_TTL``, the ``expires_in`` of the token answer). To end those
at once, rotate ``SECRET_KEY``/``JWT_SECRET``, which logs everybody out.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from findash.tenancy.models import ApiToken, RefreshToken


class Command(BaseCommand):
    help = "Revoke users' refresh tokens (and API tokens) so they must log in again."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("usernames", nargs="*")
        parser.add_argument("--all", action="store_true", help="every user")
        parser.add_argument("--api-tokens", action="store_true", help="revoke API tokens too")

    def handle(self, *args: Any, **options: Any) -> None:
        usernames: list[str] = options["usernames"]
        if bool(usernames) == bool(options["all"]):
            raise CommandError("name the users, or pass --all (not both)")
        users = get_user_model().objects.all()
        if usernames:
            users = users.filter(username__in=usernames)
            missing = set(usernames) - set(users.values_list("username", flat=True))
            if missing:
                raise CommandError(f"no such user: {', '.join(sorted(missing))} (nothing revoked)")
        now = timezone.now()
        with transaction.atomic():
            refresh = RefreshToken.objects.filter(
                user__in=users, revoked_at__isnull=True, expires_at__gt=now
            ).update(revoked_at=now)
            api = 0
            if options["api_tokens"]:
                api = (
                    ApiToken.objects.unscoped()
                    .filter(user__in=users, revoked_at__isnull=True)
                    .update(revoked_at=now)
                )
        self.stdout.write(
            f"revoked {refresh} refresh token(s) and {api} API token(s) of {users.count()} user(s)"
        )
