"""What a benchmark returns, and helpers to time things inside a worker."""

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
