from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from findash.tenancy.scoping import set_tenant


class TenantScopeResetMiddleware:
    """The API's auth sets the acting tenant; this always clears it afterwards."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        set_tenant(None)
        try:
            return self.get_response(request)
        finally:
            set_tenant(None)
