"""Cache backend chosen by ``CACHE_URL`` (locmem://, redis://, memcached://)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

from config.env import ENVIRONMENT, env_bool, env_float, env_str


def cache_config(url: str) -> dict[str, Any]:
    parsed = urlparse(url)
    scheme = parsed.scheme
    timeout = env_float("CACHE_SOCKET_TIMEOUT", 0.25)
    if scheme in ("locmem", ""):
        return {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": parsed.netloc or "findash",
        }
    if scheme in ("redis", "rediss"):
        return {
            "BACKEND": "findash.observability.redis_cache.ReusingRedisCache",
            "LOCATION": url,
            "OPTIONS": {"socket_connect_timeout": timeout, "socket_timeout": timeout},
        }
    if scheme in ("memcached", "pymemcache"):
        return {
            "BACKEND": "django.core.cache.backends.memcached.PyMemcacheCache",
            "LOCATION": parsed.netloc or "127.0.0.1:11211",
            "OPTIONS": {
                "connect_timeout": timeout,
                "timeout": timeout,
                "no_delay": True,
                "ignore_exc": False,
            },
        }
    if scheme == "dummy":
        return {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    raise ValueError(f"CACHE_URL scheme {scheme!r} is not supported")


CACHE_URL = env_str("CACHE_URL", "locmem://") or "locmem://"
CACHES = {"default": cache_config(CACHE_URL)}
# Environments sharing one Redis/memcached must not share keys: tenant ids of different
# databases collide, and a dashboard cached for one would be served by the other.
CACHES["default"]["KEY_PREFIX"] = env_str("CACHE_KEY_PREFIX", ENVIRONMENT) or ENVIRONMENT
# Off when the cache is per process (locmem) but several workers serve: a write in one
# worker could not invalidate another's entries. deploy/gunicorn.conf.py sets it then.
DASHBOARD_CACHE_ENABLED = env_bool("DASHBOARD_CACHE_ENABLED", True)
# With Redis, each process remembers shared versions (tenant data, auth) and cached
# dashboard answers, kept exact by pub/sub; the subscriber re-reads them every second (a
# lost message is caught there) and an entry it could not re-read for this many seconds
# is not used. 0: read the version from Redis on every request (README, Warm path).
VERSION_MEMO_SECONDS = env_float("VERSION_MEMO_SECONDS", 10.0)
