"""The one enforcement point for tenant isolation.

Tenant-owned models inherit :class:`TenantOwnedModel`. Their default manager
reads the acting tenant from a context variable and filters every query by
it; with no tenant in scope it raises instead of returning everything.
Crossing tenants needs a visible ``Model.objects.unscoped()``. Saving a row
whose tenant differs from the scope raises too.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, TypeVar

from django.db import models

from findash.common.errors import InvalidInput, NotFound

if TYPE_CHECKING:
    from findash.tenancy.tenant import Tenant


class TenantScopeMissing(RuntimeError):
    """A tenant-owned table was touched with no tenant in scope."""


class CrossTenantWrite(RuntimeError):
    """A row of one tenant was about to be written in another tenant's scope."""


_acting_tenant: ContextVar[Tenant | None] = ContextVar("acting_tenant", default=None)


def current_tenant() -> Tenant:
    tenant = _acting_tenant.get()
    if tenant is None:
        raise TenantScopeMissing("no tenant in scope; use tenant_scope() or .unscoped()")
    return tenant


def current_tenant_or_none() -> Tenant | None:
    return _acting_tenant.get()


def set_tenant(tenant: Tenant | None) -> None:
    """Set the scope for the rest of this request; the middleware resets it."""
    _acting_tenant.set(tenant)


@contextmanager
def tenant_scope(tenant: Tenant) -> Iterator[Tenant]:
    """Enter a tenant's scope: only at an edge (a task, a command, the admin, a test)."""
    token = _acting_tenant.set(tenant)
    try:
        yield tenant
    finally:
        _acting_tenant.reset(token)


def scope_require(tenant: Tenant) -> None:
    """What a service does instead of entering the scope: check that its caller's edge
    (the API's auth, ``scope_edges`` for tasks and commands) entered it for ``tenant``.
    No scope is ``TenantScopeMissing``, another tenant's is ``CrossTenantWrite``."""
    scoped = current_tenant()
    if scoped.pk != tenant.pk:
        raise CrossTenantWrite(f"a service for tenant {tenant.pk} called in scope {scoped.pk}")


_M = TypeVar("_M", bound=models.Model)


class TenantManager(models.Manager[_M]):
    def get_queryset(self) -> models.QuerySet[_M]:
        tenant = current_tenant()
        return super().get_queryset().filter(tenant_id=tenant.pk)

    def unscoped(self) -> models.QuerySet[_M]:
        """All tenants' rows. Only for operators' tools, admin and migrations."""
        return super().get_queryset()


class TenantOwnedModel(models.Model):
    # Indexed by the composite indexes each model declares with tenant first.
    tenant = models.ForeignKey(
        "tenancy.Tenant", on_delete=models.CASCADE, related_name="+", db_index=False
    )

    objects: TenantManager[Any] = TenantManager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        scoped = current_tenant_or_none()
        if self.tenant_id is None:
            self.tenant = current_tenant()
        elif scoped is not None and scoped.pk != self.tenant_id:
            raise CrossTenantWrite(
                f"{type(self).__name__} of tenant {self.tenant_id} saved in scope {scoped.pk}"
            )
        super().save(*args, **kwargs)


def get_owned_or_404(model: type[_M], pk: object, *, label: str | None = None) -> _M:
    """The acting tenant's ``model`` row with this id, or 404 exactly as if missing."""
    name = label or model._meta.verbose_name
    try:
        return model._default_manager.get(pk=pk)
    except (model.DoesNotExist, ValueError, TypeError) as exc:  # type: ignore[attr-defined]
        raise NotFound(f"{name} {pk} not found") from exc


def resolve_owned(
    model: type[_M], pk: object, field: Sequence[str | int], *, source: str = "body"
) -> _M:
    """Resolve a foreign id given in input; another tenant's row is a 422 on that field."""
    try:
        return model._default_manager.get(pk=pk)
    except (model.DoesNotExist, ValueError, TypeError) as exc:  # type: ignore[attr-defined]
        raise InvalidInput(
            field, f"{model._meta.verbose_name} {pk} does not exist", "foreign_key", source=source
        ) from exc
