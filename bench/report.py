"""docs/PERFORMANCE.md: each benchmark owns the text between its two markers."""

import datetime as dt
import os
import platform
import re
from dataclasses import dataclass, field
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
        "date": today().isoformat(),
    }


def today() -> dt.date:
    """Today in Vietnam, as the product counts days (settings.TIME_ZONE), whatever zone
    this process runs in: a Django process has TZ set to it, a bare one has the
    machine's, and from 17:00 UTC the two disagree."""
    from zoneinfo import ZoneInfo

    return dt.datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date()


class _suppress_missing:
    def __enter__(self):
        return self

    def __exit__(self, kind, value, traceback):
        return kind is not None and issubclass(kind, OSError)


DATABASES = [("sqlite", "SQLite"), ("postgresql", "PostgreSQL")]
LABELS = dict(DATABASES)
VENDORS = {label: vendor for vendor, label in DATABASES}
MISSING = "—"
COLUMNS = ["measurement", *LABELS.values(), "target", "result", "notes"]


def _number(value: float, unit: str) -> str:
    return f"{value:,.2f} {unit}" if value < 100 else f"{value:,.0f} {unit}"


@dataclass
class Stamp:
    """When, how and on what one database's column was measured."""

    date: str
    command: str
    machine: str  # "x86_64, <cpu>, 2 cores, 23.5 GiB RAM"
    python: str
    version: str
    load: str

    def line(self, label: str) -> str:
        return (
            f"- {label}: measured on {self.date} with `{self.command}`: {self.machine}; "
            f"Python {self.python}; {label} {self.version}; load average {self.load} "
            "when the run started."
        )


@dataclass
class Row:
    """One line of a section's table; per database only where it has a value."""

    label: str
    target: float | None
    target_text: str
    cells: dict[str, str] = field(default_factory=dict)  # vendor → value as shown
    values: dict[str, float] = field(default_factory=dict)  # vendor → value, when readable
    notes: dict[str, str] = field(default_factory=dict)  # vendor → note, when known
    plain_note: str | None = None  # the notes cell as read, when it named no database
    result_text: str = ""  # the result cell as read (used only when the target is unreadable)

    def verdict(self) -> str:
        if self.target is None:
            return self.result_text
        passed = [value <= self.target for value in self.values.values()]
        return "pass" if passed and all(passed) else "**fail**"

    def notes_text(self) -> str:
        """One note when every database with a value has the same one (or only one has a
        value), else each database's own, named."""
        present = [vendor for vendor, _ in DATABASES if vendor in self.cells]
        known = {vendor: self.notes[vendor] for vendor in present if vendor in self.notes}
        if len(known) == len(present) and len(set(known.values())) <= 1:
            return next(iter(known.values()), "")
        return "<br>".join(f"{LABELS[vendor]}: {note}" for vendor, note in known.items() if note)

    def markdown(self) -> str:
        cells = [
            self.label,
            *(self.cells.get(vendor, MISSING) for vendor, _ in DATABASES),
            self.target_text,
            self.verdict(),
            self.notes_text(),
        ]
        return "| " + " | ".join(_escape(cell) for cell in cells) + " |"


def _escape(cell: str) -> str:
    return cell.replace("|", "\\|")


def _cells(line: str) -> list[str]:
    """A markdown table line's cells; ``\\|`` is a pipe inside a cell."""
    text = line.strip()
    if text.startswith("|"):
        text = text[1:]
    if text.endswith("|") and not text.endswith("\\|"):
        text = text[:-1]
    return [cell.strip().replace("\\|", "|") for cell in re.split(r"(?<!\\)\|", text)]


_STAMP = re.compile(
    r"^(?:- (?P<label>[^:]+): m|M)easured on (?P<date>\S+) with `(?P<command>[^`]*)`: "
    r"(?P<machine>.*?); Python (?P<python>\S+); (?P<versions>.*?); "
    r"load average (?P<load>\S+) when the run started\.$"
)
_VALUE = re.compile(r"^(-?(?:[\d,]+(?:\.\d+)?|inf))(?:\s|$)")
_TARGET = re.compile(r"^<\s*(-?(?:[\d,.]+(?:e[+-]?\d+)?|inf))(?:\s|$)")
_TAGGED = re.compile(r"^(" + "|".join(LABELS.values()) + r"): (.*)$", re.DOTALL)


def _float(pattern: re.Pattern[str], text: str) -> float | None:
    found = pattern.match(text)
    return float(found[1].replace(",", "")) if found else None


def parse(text: str) -> tuple[dict[str, Stamp], list[Row]]:
    """What a section written by ``section`` says: each database's stamp (from the
    "Measured on" line or the per-database lines) and the table's rows.

    A notes cell naming no database is the note of the first database with a value in
    that row (what this module wrote before notes were kept per database), except that
    ``section`` treats it as every database's when a new run gives the same text.
    """
    stamps: dict[str, Stamp] = {}
    rows: list[Row] = []
    lines = text.splitlines()
    for line in lines:
        found = _STAMP.match(line.strip())
        if not found:
            continue
        for part in found["versions"].split(", "):
            label, _, version = part.partition(" ")
            if label in VENDORS and found["label"] in (None, label):
                stamps[VENDORS[label]] = Stamp(
                    found["date"],
                    found["command"],
                    found["machine"],
                    found["python"],
                    version,
                    found["load"],
                )
    for index, line in enumerate(lines):
        if line.strip().startswith("|") and _cells(line) == COLUMNS:
            body = lines[index + 1 :]
            break
    else:
        return stamps, rows
    for line in body:
        if not line.strip().startswith("|"):
            break
        if all(re.fullmatch(r":?-+:?", cell) for cell in _cells(line)):
            continue  # the |---| line
        cells = dict(zip(COLUMNS, _cells(line), strict=False))
        row = Row(
            label=cells.get("measurement", ""),
            target=_float(_TARGET, cells.get("target", "")),
            target_text=cells.get("target", ""),
            result_text=cells.get("result", ""),
        )
        for vendor, label in DATABASES:
            shown = cells.get(label, MISSING)
            if shown and shown != MISSING:
                row.cells[vendor] = shown
                if (value := _float(_VALUE, shown)) is not None:
                    row.values[vendor] = value
        note = cells.get("notes", "")
        tagged = [_TAGGED.match(part) for part in note.split("<br>")] if note else []
        if tagged and all(tagged):
            row.notes = {VENDORS[found[1]]: found[2] for found in tagged if found}
        elif row.cells:
            row.notes = {next(iter(row.cells)): note}
            row.plain_note = note
        rows.append(row)
    return stamps, rows


def _measured_rows(runs: dict[str, dict]) -> list[Row]:
    rows: dict[str, Row] = {}
    for vendor, _ in DATABASES:
        for result in runs.get(vendor, {}).get("results", []):
            row = rows.get(result["key"])
            if row is None:
                row = rows[result["key"]] = Row(
                    label=result["label"],
                    target=result["target"],
                    target_text=f"< {result['target']:g} {result['unit']}",
                )
            row.cells[vendor] = _number(result["value"], result["unit"])
            row.values[vendor] = result["value"]
            row.notes[vendor] = result["note"]
    return list(rows.values())


def _merge(rows: list[Row], earlier: list[Row], kept: list[str]) -> list[Row]:
    """``rows`` with the ``kept`` databases' cells of the same measurement (by label) from
    ``earlier``; an earlier row the new run no longer has stays where it was if a kept
    database has a value in it."""
    by_label = {row.label: row for row in earlier}
    for row in rows:
        old = by_label.get(row.label)
        if old is None:
            continue
        for vendor in kept:
            if vendor not in old.cells:
                continue
            row.cells[vendor] = old.cells[vendor]
            if vendor in old.values:
                row.values[vendor] = old.values[vendor]
            if vendor in old.notes and old.plain_note is None:
                row.notes[vendor] = old.notes[vendor]
            elif old.plain_note is not None and all(
                note == old.plain_note for v, note in row.notes.items() if v not in kept
            ):
                # The earlier cell said one thing for the row; the new run says the same.
                row.notes[vendor] = old.plain_note
            elif vendor in old.notes:
                row.notes[vendor] = old.notes[vendor]
    merged = list(rows)
    labels = {row.label for row in rows}
    for index, old in enumerate(earlier):
        if old.label in labels or not any(vendor in old.cells for vendor in kept):
            continue
        keep = Row(
            label=old.label,
            target=old.target,
            target_text=old.target_text,
            cells={v: c for v, c in old.cells.items() if v in kept},
            values={v: x for v, x in old.values.items() if v in kept},
            notes={v: n for v, n in old.notes.items() if v in kept},
            result_text=old.result_text,
        )
        before = [row.label for row in earlier[:index] if row.label in labels]
        place = (
            next(i for i, row in enumerate(merged) if row.label == before[-1]) + 1 if before else 0
        )
        merged.insert(place, keep)
        labels.add(old.label)
    return merged


def section(
    name: str,
    title: str,
    runs: dict[str, dict],
    skipped: dict[str, str],
    notes: str = "",
    previous: str | None = None,
) -> str:
    """The markdown of one benchmark's section, markers included.

    ``runs``: database vendor → worker payload; ``skipped``: vendor → why it did not run;
    ``notes``: the benchmark's own explanation (its ``NOTES``), shown under the table;
    ``previous``: the section as it is in the file. A database not run now keeps its
    column (values, notes, when and on what it was measured) from ``previous``; the
    result is judged from both columns.
    """
    info = machine()
    stamps, earlier = parse(previous) if previous else ({}, [])
    kept = [
        vendor
        for vendor, _ in DATABASES
        if vendor not in runs and any(vendor in row.cells for row in earlier)
    ]
    rows = _merge(_measured_rows(runs), earlier, kept)
    command = f"python -m bench {name}"
    if len(runs) == 1:
        command += f" --databases {next(iter(runs))}"
    lines = [f"<!-- bench:{name} -->", f"## {title}", ""]
    if not kept:
        versions = ", ".join(
            f"{label} {runs[vendor]['version']}" for vendor, label in DATABASES if vendor in runs
        )
        lines.append(
            f"Measured on {info['date']} with `{command}`: {info['arch']}, "
            f"{info['cpu']}, {info['cores']} cores, {info['ram']} RAM; Python {info['python']}; "
            f"{versions}; load average {info['load']} when the run started."
        )
    else:
        lines += ["Each database's column comes from its own run:", ""]
        for vendor, label in DATABASES:
            if vendor in runs:
                stamp = Stamp(
                    info["date"],
                    command,
                    f"{info['arch']}, {info['cpu']}, {info['cores']} cores, {info['ram']} RAM",
                    info["python"],
                    runs[vendor]["version"],
                    info["load"],
                )
                lines.append(stamp.line(label))
            elif vendor in kept and vendor in stamps:
                lines.append(stamps[vendor].line(label))
            elif vendor in kept:
                lines.append(f"- {label}: measured in an earlier run (when was not recorded).")
    lines += [
        "",
        "| " + " | ".join(COLUMNS) + " |",
        "|---|---:|---:|---:|---|---|",
        *(row.markdown() for row in rows),
    ]
    for vendor, label in DATABASES:
        if vendor in skipped and vendor not in kept:
            lines += ["", f"{label} was not measured: {skipped[vendor]}"]
    if notes:
        lines += ["", notes]
    lines.append(f"<!-- /bench:{name} -->")
    return "\n".join(lines)


def _pattern(name: str) -> re.Pattern[str]:
    return re.compile(
        rf"<!-- bench:{re.escape(name)} -->.*?<!-- /bench:{re.escape(name)} -->", re.DOTALL
    )


def current(path: Path, name: str) -> str | None:
    """The section ``name`` of ``path`` as it is now, markers included (None if absent)."""
    if not path.exists():
        return None
    found = _pattern(name).search(path.read_text())
    return found[0] if found else None


def write(path: Path, name: str, text: str) -> None:
    """Put ``text`` in place of the section ``name`` of ``path``, keeping everything else."""
    current = path.read_text() if path.exists() else HEADER
    pattern = _pattern(name)
    if pattern.search(current):
        updated = pattern.sub(lambda _: text, current)
    else:
        updated = current.rstrip("\n") + "\n\n" + text + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(updated if updated.endswith("\n") else updated + "\n")
