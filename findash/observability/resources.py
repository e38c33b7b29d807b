"""CPU and memory of the serving process group, for the CPU and memory alerts.

In gunicorn's multiprocess mode the client library's process collector is not exposed, and
one worker's numbers would say little anyway. This collector reads /proc at scrape time for
the whole group — gunicorn's master (the worker's parent) and every worker — and the limits
the group runs under (the cgroup's CPU quota and memory limit; the machine's when unlimited).
A counter summed over processes drops when a worker is recycled; `rate()` treats that as a
reset, which costs one scrape interval of accuracy. Outside Linux it reports nothing.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector

_PROC = Path("/proc")
_CGROUP = Path("/sys/fs/cgroup")


def _group_pids(multiprocess: bool) -> list[int]:
    me = os.getpid()
    if not multiprocess:
        return [me]
    master = os.getppid()
    pids = [master]
    for entry in _PROC.iterdir():
        if entry.name.isdigit() and _parent(int(entry.name)) == master:
            pids.append(int(entry.name))
    return pids


def _stat_fields(pid: int) -> list[str] | None:
    try:
        raw = (_PROC / str(pid) / "stat").read_text()
    except OSError:
        return None
    # The command name (field 2) may hold spaces; everything after its ")" is space-separated.
    return raw.rsplit(")", 1)[-1].split()


def _parent(pid: int) -> int | None:
    fields = _stat_fields(pid)
    return int(fields[1]) if fields else None


def _cpu_seconds_and_rss(pid: int) -> tuple[float, int]:
    fields = _stat_fields(pid)
    if not fields:
        return 0.0, 0
    ticks = os.sysconf("SC_CLK_TCK")
    cpu = (int(fields[11]) + int(fields[12])) / ticks  # utime + stime
    rss = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
    return cpu, rss


def cpu_limit_cores() -> float:
    try:
        quota, period = (_CGROUP / "cpu.max").read_text().split()
        if quota != "max":
            return int(quota) / int(period)
    except (OSError, ValueError):
        pass
    return float(os.cpu_count() or 1)


def memory_limit_bytes() -> int:
    try:
        limit = (_CGROUP / "memory.max").read_text().strip()
        if limit != "max":
            return int(limit)
    except (OSError, ValueError):
        pass
    try:
        for line in (_PROC / "meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


class ResourceCollector(Collector):
    def __init__(self, *, multiprocess: bool) -> None:
        self.multiprocess = multiprocess

    def collect(self) -> Iterator[CounterMetricFamily | GaugeMetricFamily]:
        if not _PROC.is_dir():
            return
        pids = _group_pids(self.multiprocess)
        usage = [_cpu_seconds_and_rss(pid) for pid in pids]
        yield CounterMetricFamily(
            "findash_cpu_seconds",
            "CPU time (user + system) of the serving process group",
            value=sum(cpu for cpu, _ in usage),
        )
        yield GaugeMetricFamily(
            "findash_resident_memory_bytes",
            "Resident memory of the serving process group",
            value=sum(rss for _, rss in usage),
        )
        yield GaugeMetricFamily(
            "findash_processes", "Processes in the serving process group", value=len(pids)
        )
        yield GaugeMetricFamily(
            "findash_cpu_limit_cores", "CPU cores the group may use", value=cpu_limit_cores()
        )
        yield GaugeMetricFamily(
            "findash_memory_limit_bytes", "Memory the group may use", value=memory_limit_bytes()
        )
