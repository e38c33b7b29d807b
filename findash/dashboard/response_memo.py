"""Cached dashboard answers kept in this process too, so a warm read touches no cache server.

An entry is the answer's bytes and ETag tagged with the tenant data version it was stored
under (as in the shared cache). It is served only while the process's remembered version
(``findash.common.version_memo``, exact through Redis pub/sub) is that same version, so
this memo can never be staler than the version memo; when that memo is not usable
(no subscription, locmem, memcached) this one is not consulted at all. Bounded by
``_MAX_BYTES`` (emptied when full) and by ``DASHBOARD_CACHE_TTL`` per entry.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from django.conf import settings
from django.core.signals import setting_changed

_MAX_BYTES = 64 * 1024 * 1024


class ResponseMemo:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        # cache key -> (version, body, etag, monotonic deadline)
        self._entries: dict[str, tuple[str, bytes, str, float]] = {}
        self._bytes = 0

    def get(self, key: str, version: str) -> tuple[bytes, str] | None:
        entry = self._entries.get(key)
        if entry is None or entry[0] != version or time.monotonic() >= entry[3]:
            return None
        return entry[1], entry[2]

    def etag(self, key: str, version: str) -> str | None:
        found = self.get(key, version)
        return found[1] if found is not None else None

    def put(self, key: str, version: str, body: bytes, etag: str) -> None:
        deadline = time.monotonic() + float(settings.DASHBOARD_CACHE_TTL)
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= len(old[1])
            if self._bytes + len(body) > _MAX_BYTES:
                self._entries.clear()
                self._bytes = 0
            self._entries[key] = (version, body, etag, deadline)
            self._bytes += len(body)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0


response_memo = ResponseMemo()


def _settings_changed(**kwargs: Any) -> None:
    if kwargs.get("setting") in ("CACHES", "DASHBOARD_CACHE_TTL", "VERSION_MEMO_SECONDS"):
        response_memo.clear()


setting_changed.connect(_settings_changed)
