"""gunicorn settings for every deployment (container and native).

Prometheus multiprocess mode: each worker writes its samples under
PROMETHEUS_MULTIPROC_DIR and /metrics merges them. The directory is emptied
when the master starts (stale files of a previous run would add old counts)
and a dead worker's live gauges are dropped when it exits.

Environment: PORT / GUNICORN_BIND, WEB_CONCURRENCY (workers), GUNICORN_THREADS,
GUNICORN_TIMEOUT, GUNICORN_MAX_REQUESTS, PROMETHEUS_MULTIPROC_DIR, CACHE_URL (read only
to warn).
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path
from typing import Any

_ROOT = Path(__file__).resolve().parent.parent

bind = os.environ.get("GUNICORN_BIND") or f"127.0.0.1:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
worker_class = "gthread" if threads > 1 else "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5  # nginx closes idle upstream connections before this (deploy/native)
# Recycle a worker after this many requests (a guard against slow leaks). Each restart
# imports Django again (seconds of CPU): 5000 meant one every few seconds at cached speed.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "100000"))
max_requests_jitter = max_requests // 10
accesslog = None  # the app writes one structured line per request
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
preload_app = False  # workers import Django after fork, with the environment set below


def _logconfig() -> dict[str, Any]:
    """gunicorn's own lines (boot, worker exits) in the app's format: JSON unless console."""
    if str(_ROOT) not in sys.path:
        sys.path.insert(0, str(_ROOT))
    from config.settings.logging import LOGGING

    return {
        **LOGGING,
        "loggers": {
            **LOGGING["loggers"],
            "gunicorn.error": {
                "level": loglevel.upper(),
                "handlers": ["console"],
                "propagate": False,
            },
        },
    }


logconfig_dict = _logconfig()


def _port(server: Any) -> str:
    address = str(server.cfg.bind[0]) if server.cfg.bind else "default"
    return address.rsplit(":", 1)[-1].replace("/", "_")


def on_starting(server: Any) -> None:
    """Runs once in the master, before any worker exists."""
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR") or str(
        _ROOT / "var" / "prometheus" / _port(server)
    )
    path = Path(directory)
    path.mkdir(parents=True, exist_ok=True)
    # Empty it rather than remove it: in a container it is a tmpfs mount point on a
    # read-only root, which cannot be removed.
    for entry in path.iterdir():
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(path)
    cache_url = os.environ.get("CACHE_URL", "locmem://") or "locmem://"
    if server.cfg.workers > 1 and cache_url.startswith("locmem"):
        # A per-process cache cannot be invalidated across workers: serve fresh instead.
        os.environ.setdefault("DASHBOARD_CACHE_ENABLED", "false")
        # Nor can it tell other workers about a revoked token: resolve every request.
        os.environ.setdefault("AUTH_MEMO_SECONDS", "0")
        server.log.warning(
            "CACHE_URL is locmem with %s workers: dashboard caching and the auth memo are off "
            "(set CACHE_URL=redis://… or memcached://… to cache across workers)",
            server.cfg.workers,
        )


def post_worker_init(worker: Any) -> None:
    """In each worker, once the app is loaded and before it takes requests: subscribe the
    shared-version memo (up to 2 s). Started by the first request of a worker that boots
    under full load (a GUNICORN_MAX_REQUESTS restart), it took ~5 s to win the GIL from
    the busy request threads, and every warm read of that worker went the full path
    meanwhile. Without Redis the memo is off and this returns at once; another app served
    with this file (the warm-path benchmark's bare "hello") has no memo."""
    from django.conf import settings

    if not getattr(settings, "VERSION_MEMO_SECONDS", 0):
        return
    from findash.common.version_memo import version_memo

    subscribing = version_memo.usable() is None and version_memo.state != "off"
    if subscribing and not version_memo.wait_usable(2.0):
        worker.log.warning("shared-version memo not subscribed yet: %s", version_memo.state)


def child_exit(server: Any, worker: Any) -> None:
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
