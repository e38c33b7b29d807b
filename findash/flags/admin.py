"""Django admin for flags. Saves go through ``flag_update`` so they are audited and propagate."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms import ModelForm
from django.http import HttpRequest

from findash.common.errors import DomainError, InvalidInput
from findash.flags.models import Flag, FlagAudit
from findash.flags.services import (
    flag_definition_require,
    flag_update,
    rollout_validate,
    tenant_ids_validate,
)


class FlagAdminForm(ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Flag
        fields = ["key", "enabled", "rollout", "allow", "deny"]

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        # Dry-run the service's validation so mistakes show on the form, not as a 500.
        try:
            flag_definition_require(str(cleaned.get("key") or self.instance.key))
            rollout_validate(cleaned.get("rollout"))
            tenant_ids_validate("allow", cleaned.get("allow") or [])
            tenant_ids_validate("deny", cleaned.get("deny") or [])
        except InvalidInput as exc:
            raise ValidationError({str(exc.field[0]): exc.msg}) from exc
        except DomainError as exc:
            raise ValidationError({"key": exc.detail}) from exc
        return cleaned


@admin.register(Flag)
class FlagAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    form = FlagAdminForm
    list_display = ("key", "enabled", "rollout", "group_id", "updated_at", "updated_by")
    readonly_fields = ("group_id", "updated_at", "updated_by")

    def get_readonly_fields(self, request: HttpRequest, obj: Flag | None = None) -> Any:
        return (*self.readonly_fields, "key") if obj else self.readonly_fields

    def save_model(self, request: HttpRequest, obj: Flag, form: Any, change: bool) -> None:
        updated = flag_update(
            key=obj.key,
            enabled=obj.enabled,
            rollout=obj.rollout,
            allow=list(obj.allow or []),
            deny=list(obj.deny or []),
            actor=f"admin:{request.user.get_username()}",
        )
        obj.pk = updated.pk

    def has_delete_permission(self, request: HttpRequest, obj: Flag | None = None) -> bool:
        return False


@admin.register(FlagAudit)
class FlagAuditAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("key", "actor", "at")
    list_filter = ("key",)
    readonly_fields = ("key", "actor", "at", "old", "new")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: FlagAudit | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: FlagAudit | None = None) -> bool:
        return False
