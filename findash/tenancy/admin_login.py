"""The Django admin's login behind the same limiter as ``/auth/token``.

Staff passwords guard every tenant's data, so guessing them is limited per
username and per client address exactly like API logins (the two share one
budget). A refused attempt answers 429 with ``Retry-After`` before the password
is looked at.
"""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect

from findash.common.errors import RateLimited
from findash.tenancy.ratelimit import login_attempt_start, login_attempt_succeeded


@csrf_protect
@never_cache
def admin_login(
    request: HttpRequest, extra_context: dict[str, object] | None = None
) -> HttpResponse:
    if request.method != "POST":
        return admin.site.login(request, extra_context)
    username = str(request.POST.get("username", ""))[:150]
    ip = request.META.get("REMOTE_ADDR")
    try:
        login_attempt_start(username=username, ip=ip, endpoint="admin_login")
    except RateLimited as exc:
        refused = HttpResponse(
            "Too many login attempts; try again later.\n", status=429, content_type="text/plain"
        )
        refused["Retry-After"] = str(exc.retry_after)
        return refused
    response = admin.site.login(request, extra_context)
    if response.status_code == 302 and request.user.is_authenticated:
        login_attempt_succeeded(username=username, ip=ip)
    return response
