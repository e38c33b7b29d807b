"""Middleware that only the browser-facing pages need, kept off the API's path."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.handlers.exception import convert_exception_to_response
from django.http import HttpRequest, HttpResponse
from django.utils.module_loading import import_string

Handler = Callable[[HttpRequest], HttpResponse]


class BrowserOnlyMiddleware:
    """Runs ``BROWSER_MIDDLEWARE`` (sessions, CSRF, login, messages) for the paths under
    ``BROWSER_PATH_PREFIXES`` (the Django admin, the web pages) and skips it elsewhere.

    The API authenticates with bearer tokens and its views are CSRF-exempt, so for it
    that chain only cost time: a message store and a cookie signer built per request.
    Each wrapped middleware sees the request exactly as in ``MIDDLEWARE``.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response
        self.prefixes = tuple(settings.BROWSER_PATH_PREFIXES)
        handler: Any = get_response
        for path in reversed(settings.BROWSER_MIDDLEWARE):
            handler = convert_exception_to_response(import_string(path)(handler))
        self.browser: Handler = handler

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info.startswith(self.prefixes):
            return self.browser(request)
        return self.get_response(request)
