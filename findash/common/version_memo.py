"""Shared versions (``findash.tenancy.versioning``) remembered per process, kept exact by
Redis pub/sub, so a warm read needs no round trip to learn that nothing changed.

Every bump of a shared version ``PUBLISH``es the version's key on one channel (after the
``SET``); each process runs one subscriber thread that forgets the key when it hears it.
A reader asks ``version_memo.usable()`` first: that takes the subscriber's lock, reads whatever
invalidations already sit in the socket (a non-blocking poll, no round trip), and answers
a *stamp* only while the subscription is healthy. So:

- **Read your own writes across workers**: a write sends its response only after its
  ``PUBLISH`` and a following ``PING`` returned; the ``PING`` is answered in a later pass
  of Redis's event loop than the one that wrote the message to every subscriber's
  socket, so by the time the client's next request reaches another worker
  the message is in that worker's socket and is applied before the memo is consulted.
  What remains is a Redis on another host whose message to the reader's host is slower
  than write reply → client → reader (not reachable on one host). The subscriber also
  re-reads every remembered version each second (one ``MGET``): that bounds this and a
  lost message (a ``PUBLISH`` that failed after its ``SET``) to about a second; an entry
  that could not be re-read for ``VERSION_MEMO_SECONDS`` (10 s) is not used.
- **Fail-safe**: not subscribed yet, disconnected, an error, or no answer to the
  subscriber's ``PING`` for ``_DEAD_SECONDS``: ``usable()`` answers None and callers
  read Redis on every request as before. Every (re)subscription empties the memo first.
  An entry read from Redis is remembered only if no invalidation arrived since its stamp.
- Only the Redis backends have it; locmem is per process (its reads cost no round trip),
  memcached and dummy have no pub/sub: those read every time (``usable()`` is None).

State is visible in ``memo_status()`` (``/health`` reports it) and the log.
"""

from __future__ import annotations

import contextlib
import logging
import os
import select
import threading
import time
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.core.signals import setting_changed

from findash.common.safe_cache import cache_get_many

logger = logging.getLogger("findash.cache")

_CHANNEL = "shared-versions"
_PING_SECONDS = 1.0
_DEAD_SECONDS = 3.0  # no pong (or message) for this long: unhealthy
_MAX_ENTRIES = 10_000


def _redis_cache() -> Any | None:
    """The Django Redis cache's client object, or None for any other backend."""
    from django.core.cache.backends.redis import RedisCache

    cache = caches["default"]
    return cache if isinstance(cache, RedisCache) else None


def version_channel() -> str:
    """The channel, prefixed like the cache's keys (environments may share a Redis)."""
    cache = caches["default"]
    return str(cache.make_key(_CHANNEL))


def version_published(key: str) -> bool:
    """Tell every process the version under ``key`` changed; False when it could not."""
    cache = _redis_cache()
    if cache is None:
        return True  # nobody memoizes: nothing to tell
    try:
        client = cache._cache.get_client(None, write=True)
        client.publish(version_channel(), key)
        # Redis may send the PUBLISH reply before it writes the message to the subscribers
        # (in the same pass of its event loop); the reply to a second command comes from a
        # later pass, after every subscriber's socket got the message.
        client.ping()
        return True
    except Exception:
        logger.exception("shared version %s changed but could not be published", key)
        return False


def _poller(pubsub: Any) -> Any:
    sock = getattr(getattr(pubsub, "connection", None), "_sock", None)
    if sock is None:
        raise ConnectionError("the subscription has no socket")
    poller = select.poll()
    poller.register(sock, select.POLLIN | select.POLLERR | select.POLLHUP)
    return poller


class VersionMemo:
    """One per process: the subscriber thread and the remembered versions."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._versions: dict[str, tuple[str, float]] = {}  # key -> (version, read at)
        self._generation = 0  # + 1 on every invalidation and (re)subscription
        self._pubsub: Any = None
        self._client: Any = None
        self._poller: Any = None
        self._healthy = False
        self._heard_at = float("-inf")
        self._pinged_at = float("-inf")
        self._subscriptions = 0
        self._thread: threading.Thread | None = None
        self._pid = 0
        self._stopping = threading.Event()
        self.state = "off"
        self.last_error = ""

    # --- readers -------------------------------------------------------------
    def usable(self) -> int | None:
        """A stamp when the memo may be used (after applying pending invalidations)."""
        if self._pid != os.getpid() and not self._start():
            return None
        if not self._healthy:
            return None
        with self._lock:
            try:
                if self._readable():
                    self._drain()
            except Exception as error:
                self._down(error)
                return None
            if not self._healthy or time.monotonic() - self._heard_at > _DEAD_SECONDS:
                return None
            return self._generation

    def _readable(self) -> bool:
        """Lock held: bytes wait in the socket (after a full drain redis-py buffers none)."""
        if self._poller is None:
            raise ConnectionError("not subscribed")
        return bool(self._poller.poll(0))

    def wait_usable(self, seconds: float) -> bool:
        """Start the subscriber if needed and wait until it is confirmed (tests, benchmarks)."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.usable() is not None:
                return True
            time.sleep(0.01)
        return False

    def get(self, key: str) -> str | None:
        entry = self._versions.get(key)
        if entry is None or time.monotonic() - entry[1] > float(settings.VERSION_MEMO_SECONDS):
            return None
        return entry[0]

    def put(self, key: str, version: str, stamp: int) -> None:
        """Remember ``version`` unless an invalidation arrived since ``stamp`` was taken."""
        with self._lock:
            if stamp != self._generation or not self._healthy:
                return
            if len(self._versions) >= _MAX_ENTRIES:
                self._versions.clear()
            self._versions[key] = (version, time.monotonic())

    def forget(self, key: str | None = None) -> None:
        with self._lock:
            self._forget(key)

    # --- subscriber ----------------------------------------------------------
    def _forget(self, key: str | None) -> None:
        self._generation += 1
        if key is None:
            self._versions.clear()
        else:
            self._versions.pop(key, None)

    def _start(self) -> bool:
        """Start this process's subscriber (again after a fork); False without Redis."""
        with self._lock:
            if self._pid == os.getpid():
                return self._healthy
            self._pid = os.getpid()
            self._healthy, self._pubsub = False, None
            self._forget(None)
            if not settings.VERSION_MEMO_SECONDS or _redis_cache() is None:
                self.state = "off"
                return False
            self._stopping = threading.Event()
            self.state = "connecting"
            self._thread = threading.Thread(
                target=self._run, args=(self._stopping,), name="version-memo", daemon=True
            )
            self._thread.start()
            return False

    def _run(self, stopping: threading.Event) -> None:
        backoff = 0.1
        while not stopping.is_set():
            try:
                self._subscribe(stopping)
                backoff = 0.1
                while not stopping.is_set():
                    self._wait_and_drain()
            except Exception as error:
                with self._lock:
                    if stopping.is_set():
                        return  # stop() cleaned up; a newer subscriber may be running
                    self._down(error)
                stopping.wait(backoff)
                backoff = min(backoff * 2, 5.0)

    def _subscribe(self, stopping: threading.Event) -> None:
        import redis
        from redis.backoff import NoBackoff
        from redis.retry import Retry

        cache = _redis_cache()
        if cache is None:
            raise RuntimeError("the cache is not Redis any more")
        client: Any = redis.Redis.from_url(
            cache._servers[0],
            socket_connect_timeout=1.0,
            socket_timeout=_DEAD_SECONDS,
            retry=Retry(NoBackoff(), 0),  # a silent reconnect could lose messages
        )
        pubsub = client.pubsub()
        pubsub.subscribe(version_channel())
        with self._lock:
            if stopping.is_set():
                pubsub.close()
                client.close()
                raise RuntimeError("stopped while subscribing")
            # Keep the client: collecting it closes its pool, the subscription's too.
            self._client, self._pubsub, self._subscriptions = client, pubsub, 0
            self._poller = _poller(pubsub)  # the readers' (one poll object per thread)
            self._heard_at = self._pinged_at = time.monotonic()
        deadline = time.monotonic() + _DEAD_SECONDS
        while time.monotonic() < deadline:
            self._wait_and_drain()
            if self._healthy:
                return
        raise TimeoutError("no subscription confirmed")

    def _wait_and_drain(self) -> None:
        pubsub, waiter = self._pubsub, _poller(self._pubsub)
        waiter.poll(_PING_SECONDS * 1000)  # without the lock: readers drain meanwhile
        with self._lock:
            if self._pubsub is not pubsub:
                raise ConnectionError("the subscription was replaced")
            self._drain()
            now = time.monotonic()
            ping = self._healthy and now - self._pinged_at >= _PING_SECONDS
            if ping:
                self._pinged_at = now
                pubsub.ping()
            if now - self._heard_at > _DEAD_SECONDS:
                raise TimeoutError(f"no answer from Redis for {_DEAD_SECONDS} s")
        if ping:
            self._revalidate()

    def _revalidate(self) -> None:
        """Read every remembered version again (one ``MGET``, off the request path), so
        entries do not expire under the readers while nothing changed; a version that
        moved without a message is logged and replaced."""
        with self._lock:
            stamp, keys = self._generation, list(self._versions)
        if not keys:
            return
        found = cache_get_many(keys)
        if found is None:
            return  # the entries expire after VERSION_MEMO_SECONDS; readers ask Redis then
        now = time.monotonic()
        with self._lock:
            if stamp != self._generation or not self._healthy:
                return  # an invalidation arrived meanwhile: what was read may be older
            for key in keys:
                remembered = self._versions.get(key)
                current = found.get(key)
                if remembered is None:
                    continue
                if current != remembered[0]:
                    logger.warning("shared version %s moved without a message", key)
                    self._forget(key)
                else:
                    self._versions[key] = (remembered[0], now)

    def _drain(self) -> None:
        """Apply every message already received (lock held); raises on a broken connection."""
        pubsub = self._pubsub
        if pubsub is None:
            return
        while True:
            message = pubsub.get_message(timeout=0.0)
            if message is None:
                return
            self._heard_at = time.monotonic()
            kind = message.get("type")
            if kind == "message":
                data = message["data"]
                self._forget(data.decode() if isinstance(data, bytes) else str(data))
            elif kind == "subscribe":
                # The first confirms; another means redis-py subscribed again on a new
                # connection, after messages may have been lost: start empty either way.
                self._subscriptions += 1
                self._forget(None)
                if self._subscriptions > 1:
                    raise ConnectionError("subscribed again: messages may have been lost")
                self._healthy, self.state, self.last_error = True, "subscribed", ""
                logger.info("shared-version memo subscribed; reads skip the version round trip")

    def _down(self, error: Exception | None) -> None:
        """Lock held: stop using the memo until a new subscription is confirmed."""
        was_healthy, was_down = self._healthy, self.state == "down"
        self._healthy = False
        self._forget(None)
        pubsub, client, self._pubsub, self._client = self._pubsub, self._client, None, None
        self._poller = None
        for closing in (pubsub, client):
            with contextlib.suppress(Exception):  # closing a broken connection
                closing is not None and closing.close()
        if error is None:
            self.state = "stopped"
            return
        self.state, self.last_error = "down", f"{type(error).__name__}: {error}"
        if was_healthy or not was_down:
            logger.warning(
                "shared-version memo down (%s); every read asks Redis until it is back",
                self.last_error,
            )

    def stop(self) -> None:
        """Stop the subscriber (tests, settings changes); the next use starts a new one."""
        self._stopping.set()
        with self._lock:
            self._down(None)
            self._pid = 0
            self.state = "off"


version_memo = VersionMemo()


def memo_status() -> dict[str, str]:
    return {"state": version_memo.state, "last_error": version_memo.last_error}


def _settings_changed(**kwargs: Any) -> None:
    if kwargs.get("setting") in ("CACHES", "VERSION_MEMO_SECONDS"):
        version_memo.stop()


setting_changed.connect(_settings_changed)
