"""``manage.py reset_user_permissions USERNAME [--keep-staff]``: back to a plain user.

For a user whose access went wrong (too much or too little): reactivates the account, clears
Django permissions and groups (and staff/superuser unless ``--keep-staff``), makes sure the
user is the owner of their personal tenant again (a lowered role is raised back), and revokes
their refresh tokens so every session starts again with the reset rights. Organization
memberships are listed, not changed: roles there belong to the organization's owners.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from findash.tenancy.models import Membership, Role, Tenant


class Command(BaseCommand):
    help = "Reset a user's permissions: active, no Django perms/groups, owner of their tenant."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--keep-staff", action="store_true", help="keep is_staff/is_superuser")

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"no such user: {options['username']}")
        with transaction.atomic():
            user.is_active = True
            if not options["keep_staff"]:
                user.is_staff = user.is_superuser = False
            user.save(update_fields=["is_active", "is_staff", "is_superuser"])
            user.user_permissions.clear()
            user.groups.clear()
            personal = Membership.objects.filter(
                user=user, tenant__tenant_type=Tenant.Type.USER
            ).first()
            if personal is None:
                self.stdout.write("no personal tenant (nothing to restore)")
            else:
                before = personal.role
                personal.role = Role.OWNER
                personal.save(update_fields=["role"])
                self.stdout.write(f"personal tenant {personal.tenant.public_id}: {before} -> owner")
            call_command("revoke_auth_tokens", user.username, stdout=self.stdout)
        for membership in Membership.objects.filter(user=user).exclude(
            tenant__tenant_type=Tenant.Type.USER
        ):
            self.stdout.write(
                f"organization {membership.tenant.public_id}: {membership.role} (unchanged)"
            )
        self.stdout.write(f"{user.username}: permissions reset")
