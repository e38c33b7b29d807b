"""Metric updates noted in-process and written to prometheus_client off the request path.

In multiprocess mode (gunicorn) every ``inc``/``observe`` writes a memory-mapped file under
a lock, and ``labels()`` looks the child up under another: about a third of what the
warm lane (``config.fast_lane``) costs per request. It notes its updates here instead — a
dict increment — and a thread of this process writes them every ``FLUSH_SECONDS``, on a
scrape answered by this process, and at exit. Histogram observations are bucketed here
exactly as ``Histogram.observe`` would, so the exported series are identical, at most
``FLUSH_SECONDS`` late.
"""

from __future__ import annotations

import atexit
import bisect
import os
import threading
from typing import Any

FLUSH_SECONDS = 1.0


class MetricBatch:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: dict[Any, float] = {}  # counter child -> amount
        self._observed: dict[Any, list[float]] = {}  # histogram child -> [sum, per bucket…]
        self._pid = 0

    def inc(self, child: Any, amount: float = 1.0) -> None:
        self._started()
        with self._lock:
            self._counts[child] = self._counts.get(child, 0.0) + amount

    def observe(self, child: Any, value: float) -> None:
        self._started()
        bucket = bisect.bisect_left(child._upper_bounds, value)  # first bound >= value
        with self._lock:
            noted = self._observed.get(child)
            if noted is None:
                noted = self._observed[child] = [0.0] * (len(child._upper_bounds) + 1)
            noted[0] += value
            noted[bucket + 1] += 1

    def flush(self) -> None:
        with self._lock:
            counts, self._counts = self._counts, {}
            observed, self._observed = self._observed, {}
        for child, amount in counts.items():
            child.inc(amount)
        for child, noted in observed.items():
            child._sum.inc(noted[0])
            for index, count in enumerate(noted[1:]):
                if count:
                    child._buckets[index].inc(count)

    def _started(self) -> None:
        if self._pid != os.getpid():  # once per process (again after a fork)
            with self._lock:
                if self._pid == os.getpid():
                    return
                self._pid = os.getpid()
                self._counts, self._observed = {}, {}
            threading.Thread(target=self._run, name="metric-batch", daemon=True).start()

    def _run(self) -> None:
        pid = os.getpid()
        stop = threading.Event()
        while self._pid == pid:
            stop.wait(FLUSH_SECONDS)
            self.flush()


metric_batch = MetricBatch()
atexit.register(metric_batch.flush)
