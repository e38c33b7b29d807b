"""Statistics of the cache server behind CACHE_URL (Redis or memcached), for
monitoring/cache-performance.sh and scripts/optimize-cache-config.sh.

    cache_stats.py report              hits, misses, hit ratio, memory, evictions, keys
    cache_stats.py advise [--apply]    recommendations; --apply sets Redis's eviction policy
                                       to allkeys-lru when it would refuse writes when full
Exit 1 from `report` when the hit ratio is below 80 % or keys were evicted for lack of memory.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any
from urllib.parse import urlsplit


def redis_stats(url: str) -> dict[str, Any]:
    import redis

    client = redis.Redis.from_url(url, socket_timeout=5)
    info: dict[str, Any] = {**client.info("stats"), **client.info("memory")}
    db = int(urlsplit(url).path.strip("/") or 0)
    info["keys"] = client.info("keyspace").get(f"db{db}", {}).get("keys", 0)
    info["dashboard_keys"] = sum(1 for _ in client.scan_iter(match="*dashboard*", count=500))
    try:
        info["config"] = client.config_get("maxmemory*")
    except redis.ResponseError:  # CONFIG may be disabled on a managed server
        info["config"] = {}
    return info


def memcached_stats(url: str) -> dict[str, Any]:
    from pymemcache.client.base import Client

    parts = urlsplit(url)
    raw = Client((parts.hostname or "127.0.0.1", parts.port or 11211), timeout=5).stats()
    stats = {k.decode(): v for k, v in raw.items()}
    return {
        "keyspace_hits": stats.get("get_hits", 0),
        "keyspace_misses": stats.get("get_misses", 0),
        "evicted_keys": stats.get("evictions", 0),
        "used_memory": stats.get("bytes", 0),
        "maxmemory": stats.get("limit_maxbytes", 0),
        "keys": stats.get("curr_items", 0),
        "config": {},
    }


def stats(url: str) -> dict[str, Any]:
    if url.startswith(("redis://", "rediss://")):
        return redis_stats(url)
    if url.startswith("memcached://"):
        return memcached_stats(url)
    raise SystemExit(
        f"CACHE_URL={url!r}: statistics need Redis or memcached (locmem is per process)"
    )


def report(info: dict[str, Any]) -> int:
    hits, misses = int(info.get("keyspace_hits", 0)), int(info.get("keyspace_misses", 0))
    ratio = hits / (hits + misses) if hits + misses else None
    used, limit = int(info.get("used_memory", 0)), int(info.get("maxmemory", 0))
    print(
        f"  hits {hits}  misses {misses} (server-wide)  hit ratio "
        + (f"{ratio:.1%}" if ratio is not None else "-")
    )
    print(
        f"  memory {used / 2**20:.1f} MiB of "
        + (f"{limit / 2**20:.0f} MiB" if limit else "no limit")
    )
    print(f"  keys {info.get('keys', 0)} (dashboard: {info.get('dashboard_keys', '-')})")
    print(
        f"  evicted keys {info.get('evicted_keys', 0)}  "
        f"expired keys {info.get('expired_keys', '-')}"
    )
    bad = (ratio is not None and ratio < 0.8 and hits + misses > 100) or int(
        info.get("evicted_keys", 0)
    ) > 0
    print("❌ hit ratio below 80 % or evictions" if bad else "✅ cache within targets")
    return 1 if bad else 0


def advise(info: dict[str, Any], url: str, apply: bool) -> int:
    policy = info.get("config", {}).get("maxmemory-policy")
    limit = int(info.get("maxmemory", 0))
    evicted = int(info.get("evicted_keys", 0))
    ttl = os.environ.get("DASHBOARD_CACHE_TTL", "the environment's default")
    advice = []
    if policy == "noeviction" and limit:
        advice.append("maxmemory-policy is noeviction: when full, writes fail; use allkeys-lru")
    if not limit:
        advice.append("no maxmemory: set one (e.g. 256mb) so the cache cannot starve the host")
    if evicted:
        advice.append(
            f"{evicted} keys evicted: raise maxmemory, or lower DASHBOARD_CACHE_TTL ({ttl})"
        )
    hits, misses = int(info.get("keyspace_hits", 0)), int(info.get("keyspace_misses", 0))
    if hits + misses > 100 and hits / (hits + misses) < 0.8:
        advice.append(
            f"hit ratio below 80 %: a longer DASHBOARD_CACHE_TTL ({ttl} now) keeps answers longer"
        )
    for line in advice or ["nothing to change"]:
        print(f"  - {line}")
    if apply and policy == "noeviction" and url.startswith("redis"):
        import redis

        redis.Redis.from_url(url, socket_timeout=5).config_set("maxmemory-policy", "allkeys-lru")
        print("✅ applied: maxmemory-policy allkeys-lru")
    elif apply:
        print("nothing applied (only the eviction policy is changed automatically)")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("command", choices=["report", "advise"])
    parser.add_argument("--apply", action="store_true")
    args = parser.parse_args()
    url = os.environ.get("CACHE_URL", "")
    info = stats(url)
    shown = urlsplit(url)._replace(netloc=urlsplit(url).hostname or "").geturl()
    print(f"cache {shown} ({'Redis' if url.startswith('redis') else 'memcached'})")
    return report(info) if args.command == "report" else advise(info, url, args.apply)


if __name__ == "__main__":
    sys.exit(main())
