"""Where the tenant scope is entered, besides the API's auth: Celery tasks and commands.

Services require the scope (``scoping.scope_require``) and never enter it; each edge enters
it once, for the whole unit of work. ``tenant_task`` turns a body taking a tenant into a
task taking its id (tasks take ids); ``tenant_command`` does the same for a management
command's ``--tenant`` public id, and reports domain errors as command errors.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any, Concatenate, ParamSpec, TypeVar

from django.core.management.base import BaseCommand, CommandError

from findash.common.errors import DomainError, InvalidInput
from findash.tenancy.scoping import tenant_scope
from findash.tenancy.selectors import tenant_by_public_id
from findash.tenancy.tenant import Tenant

logger = logging.getLogger(__name__)

_P = ParamSpec("_P")
_C = TypeVar("_C", bound=BaseCommand)


def tenant_task(
    body: Callable[Concatenate[Tenant, _P], int],
) -> Callable[Concatenate[int, _P], int]:
    """A task body for one tenant, run in its scope; a tenant deleted meanwhile is skipped (0).

    Apply under ``@shared_task``: the task keeps the body's name, and Celery sees the
    ``tenant_id`` signature it is called with.
    """

    def task(tenant_id: int, /, *args: _P.args, **kwargs: _P.kwargs) -> int:
        tenant = Tenant.objects.filter(pk=tenant_id).first()
        if tenant is None:
            logger.info("skipped: tenant %s no longer exists", tenant_id)
            return 0
        with tenant_scope(tenant):
            return body(tenant, *args, **kwargs)

    for attribute in ("__module__", "__name__", "__qualname__", "__doc__"):
        setattr(task, attribute, getattr(body, attribute))
    return task


def command_tenant(public_id: str) -> Tenant:
    """The tenant a command names, or a ``CommandError`` saying how to name one."""
    tenant = tenant_by_public_id(public_id=public_id)
    if tenant is None:
        raise CommandError(f"no tenant {public_id!r} (use a public id such as user_3 or org_4)")
    return tenant


def tenant_command(
    handle: Callable[[_C, Tenant, dict[str, Any]], None],
) -> Callable[..., None]:
    """A command's ``handle`` for the tenant its ``tenant`` option names, run in its scope."""

    @functools.wraps(handle)
    def scoped(self: _C, *args: Any, **options: Any) -> None:
        tenant = command_tenant(options["tenant"])
        try:
            with tenant_scope(tenant):
                handle(self, tenant, options)
        except InvalidInput as exc:
            raise CommandError(f"{exc.field_name}: {exc.msg}") from exc
        except DomainError as exc:
            raise CommandError(exc.detail) from exc

    return scoped
