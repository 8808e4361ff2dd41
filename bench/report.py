"""docs/PERFORMANCE.md: each benchmark owns the text between its two markers."""

import datetime as dt
import os
import platform
import re
from pathlib import Path

HEADER = """# Performance

Measured by `make bench` (`python -m bench`), which writes the sections below; each
section says on what machine and when. Targets come from the issues; a value passes when
it is at or below its target.
"""


def machine() -> dict[str, str]:
    """What the numbers were measured on."""
    cpu = "unknown"
    memory = "unknown"
    with _suppress_missing():
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with _suppress_missing():
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    return {
        "arch": platform.machine(),
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "ram": memory,
        "python": platform.python_version(),
        # Other work on the machine moves the numbers; say how busy it was.
        "load": f"{os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else "unknown",
        "date": dt.date.today().isoformat(),
    }


class _suppress_missing:
    def __enter__(self):
        return self

    def __exit__(self, kind, value, traceback):
        return kind is not None and issubclass(kind, OSError)


DATABASES = [("sqlite", "SQLite"), ("postgresql", "PostgreSQL")]


def _number(value: float, unit: str) -> str:
    return f"{value:,.2f} {unit}" if value < 100 else f"{value:,.0f} {unit}"


def section(
    name: str, title: str, runs: dict[str, dict], skipped: dict[str, str], notes: str = ""
) -> str:
    """The markdown of one benchmark's section, markers included.

    ``runs``: database vendor → worker payload; ``skipped``: vendor → why it did not run;
    ``notes``: the benchmark's own explanation (its ``NOTES``), shown under the table.
    """
    info = machine()
    versions = ", ".join(
        f"{label} {runs[vendor]['version']}" for vendor, label in DATABASES if vendor in runs
    )
    lines = [
        f"<!-- bench:{name} -->",
        f"## {title}",
        "",
        f"Measured on {info['date']} with `python -m bench {name}`: {info['arch']}, "
        f"{info['cpu']}, {info['cores']} cores, {info['ram']} RAM; Python {info['python']}; "
        f"{versions}; load average {info['load']} when the run started.",
        "",
        "| measurement | SQLite | PostgreSQL | target | result | notes |",
        "|---|---:|---:|---:|---|---|",
    ]
    keys: dict[str, dict] = {}
    for vendor, _ in DATABASES:
        for result in runs.get(vendor, {}).get("results", []):
            keys.setdefault(result["key"], result)
    for key, first in keys.items():
        cells = []
        passed = []
        for vendor, _ in DATABASES:
            result = next(
                (r for r in runs.get(vendor, {}).get("results", []) if r["key"] == key), None
            )
            if result is None:
                cells.append("—")
                continue
            cells.append(_number(result["value"], result["unit"]))
            passed.append(result["value"] <= result["target"])
        verdict = "pass" if passed and all(passed) else "**fail**"
        target = f"< {first['target']:g} {first['unit']}"
        lines.append(
            f"| {first['label']} | {cells[0]} | {cells[1]} | {target} | {verdict} | {first['note']} |"
        )
    for vendor, label in DATABASES:
        if vendor in skipped:
            lines += ["", f"{label} was not measured: {skipped[vendor]}"]
    if notes:
        lines += ["", notes]
    lines.append(f"<!-- /bench:{name} -->")
    return "\n".join(lines)


def write(path: Path, name: str, text: str) -> None:
    """Put ``text`` in place of the section ``name`` of ``path``, keeping everything else."""
    current = path.read_text() if path.exists() else HEADER
    pattern = re.compile(
        rf"<!-- bench:{re.escape(name)} -->.*?<!-- /bench:{re.escape(name)} -->", re.DOTALL
    )
    if pattern.search(current):
        updated = pattern.sub(lambda _: text, current)
    else:
        updated = current.rstrip("\n") + "\n\n" + text + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(updated if updated.endswith("\n") else updated + "\n")
