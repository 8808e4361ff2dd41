"""What a benchmark returns, and helpers to time things inside a worker."""

import os
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any


@dataclass
class Measurement:
    """One number against its target. ``ok`` is value <= target."""

    key: str
    """Stable identifier, e.g. "import_country_s"."""
    label: str
    """What was measured, for the table."""
    value: float
    unit: str
    target: float
    note: str = ""

    @property
    def ok(self) -> bool:
        return self.value <= self.target

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def timed(function: Callable[[], Any]) -> tuple[float, Any]:
    """(seconds, result) of one call."""
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


def repeat_ms(function: Callable[[], Any], *, runs: int = 100, warmup: int = 5) -> dict[str, float]:
    """Median and p95 in milliseconds over ``runs`` calls, after ``warmup`` untimed ones."""
    for _ in range(warmup):
        function()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        samples.append((time.perf_counter() - start) * 1000)
    return {
        "median": statistics.median(samples),
        "p95": statistics.quantiles(samples, n=100, method="inclusive")[94],
        "runs": runs,
    }


def cpu(pid: int | None) -> float:
    """CPU seconds used so far by process ``pid`` (None: none)."""
    if pid is None:
        return 0.0
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def server_pid() -> int | None:
    """The PostgreSQL backend serving this process, if its /proc entry is readable."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    return pid if os.access(f"/proc/{pid}/stat", os.R_OK) else None


def cpu_timed(function, server: int | None) -> tuple[float, float, float, object]:
    """(wall s, our CPU s, the database server's CPU s, result): on a shared machine the
    CPU seconds say what an operation costs, the wall clock what the load let it take."""
    ours, theirs = time.process_time(), cpu(server)
    wall, result = timed(function)
    return wall, time.process_time() - ours, cpu(server) - theirs, result
