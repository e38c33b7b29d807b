"""CPU and memory of the serving process group (the series the CPU/memory alerts use)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from findash.observability.resources import ResourceCollector

pytestmark = pytest.mark.skipif(not os.path.isdir("/proc"), reason="reads /proc (Linux)")


def _samples(collector: ResourceCollector) -> dict[str, float]:
    return {s.name: s.value for family in collector.collect() for s in family.samples}


def test_one_process_reports_its_own_cpu_memory_and_the_limits() -> None:
    samples = _samples(ResourceCollector(multiprocess=False))
    assert samples["findash_processes"] == 1
    assert samples["findash_cpu_seconds_total"] > 0
    assert samples["findash_resident_memory_bytes"] > 10 * 1024 * 1024  # a Django process
    assert samples["findash_cpu_limit_cores"] > 0
    assert samples["findash_memory_limit_bytes"] >= samples["findash_resident_memory_bytes"]


def test_multiprocess_sums_the_master_and_every_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    alone = _samples(ResourceCollector(multiprocess=False))
    # This process plays gunicorn's master; a child that allocates 64 MiB plays a worker.
    monkeypatch.setattr(os, "getppid", os.getpid)
    worker = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; b = bytearray(64 << 20); print(1, flush=True); time.sleep(30)",
        ],
        stdout=subprocess.PIPE,
    )
    try:
        assert worker.stdout is not None and worker.stdout.readline().strip() == b"1"
        group = _samples(ResourceCollector(multiprocess=True))
    finally:
        worker.kill()
        worker.wait()
    assert group["findash_processes"] == 2
    extra = group["findash_resident_memory_bytes"] - alone["findash_resident_memory_bytes"]
    assert extra > 60 * 1024 * 1024
