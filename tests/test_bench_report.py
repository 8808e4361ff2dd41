"""bench/report.py: a run on one database keeps the other database's column of the
section already in docs/PERFORMANCE.md (values, notes, when it was measured)."""

from pathlib import Path

from bench import report

ROOT = Path(__file__).resolve().parent.parent


def today() -> str:
    """The day the report writes, read when asserted (not at import: a run that starts
    before 17:00 UTC and asserts after would compare two days)."""
    return report.today().isoformat()


OLD_SECTION = """<!-- bench:demo -->
## Demo

Measured on 2026-01-02 with `python -m bench demo`: x86_64, Some CPU, 2 cores, 8.0 GiB RAM; Python 3.11.7; SQLite 3.40.1, PostgreSQL 15.18; load average 0.7 when the run started.

| measurement | SQLite | PostgreSQL | target | result | notes |
|---|---:|---:|---:|---|---|
| Import, once | 1.90 s | 3.57 s | < 30 s | pass | 14,165 units |
| Search a \\| b, p95 | 41.40 ms | 160 ms | < 100 ms | **fail** | median 38.1 ms |

The benchmark's notes.
<!-- /bench:demo -->"""


def _run(version: str, *results: tuple[str, str, float, float, str]) -> dict:
    return {
        "version": version,
        "results": [
            {
                "key": key,
                "label": label,
                "value": value,
                "unit": unit,
                "target": target,
                "note": note,
            }
            for key, label, value, target, note in results
            for unit in ["s" if key == "import" else "ms"]
        ],
    }


def _table(text: str) -> dict[str, list[str]]:
    """measurement → the other cells of its row, as written."""
    rows = [line for line in text.splitlines() if line.startswith("| ") and "---" not in line]
    return {cells[0]: cells[1:] for cells in map(report._cells, rows[1:])}


def _write_run(path: Path, runs: dict, skipped: dict) -> str:
    text = report.section(
        "demo", "Demo", runs, skipped, "The benchmark's notes.", report.current(path, "demo")
    )
    report.write(path, "demo", text)
    return path.read_text()


def test_it_keeps_both_columns_over_a_sqlite_run_then_a_postgresql_run(tmp_path):
    path = tmp_path / "PERFORMANCE.md"
    path.write_text(
        report.HEADER + "\n<!-- bench:other -->\nkept as it is\n<!-- /bench:other -->\n"
    )

    first = _write_run(
        path,
        {"sqlite": _run("3.40.1", ("import", "Import, once", 2.0, 30, "one transaction"))},
        {"postgresql": "not requested"},
    )
    assert _table(first)["Import, once"] == ["2.00 s", "—", "< 30 s", "pass", "one transaction"]
    assert "PostgreSQL was not measured: not requested" in first

    second = _write_run(
        path,
        {"postgresql": _run("15.18", ("import", "Import, once", 40.0, 30, "one COPY"))},
        {"sqlite": "not requested"},
    )
    # Both columns, judged together: PostgreSQL's 40 s misses the target.
    assert _table(second)["Import, once"] == [
        "2.00 s",
        "40.00 s",
        "< 30 s",
        "**fail**",
        "SQLite: one transaction<br>PostgreSQL: one COPY",
    ]
    assert "was not measured" not in second
    assert (
        f"- SQLite: measured on {today()} with `python -m bench demo --databases sqlite`" in second
    )
    assert (
        f"- PostgreSQL: measured on {today()} with `python -m bench demo --databases postgresql`"
        in second
    )
    assert "PostgreSQL 15.18; load average" in second and "SQLite 3.40.1; load average" in second
    assert "<!-- bench:other -->\nkept as it is\n<!-- /bench:other -->" in second
    assert second.count("<!-- bench:demo -->") == 1


def test_a_rerun_replaces_only_its_own_column_and_keeps_the_others_date(tmp_path):
    path = tmp_path / "PERFORMANCE.md"
    path.write_text(report.HEADER + "\n" + OLD_SECTION + "\n")

    text = _write_run(
        path,
        {
            "sqlite": _run(
                "3.45.0",
                ("import", "Import, once", 2.5, 30, "14,165 units"),
                ("search", "Search a | b, p95", 42.0, 100, "median 39.0 ms"),
            )
        },
        {"postgresql": "not requested"},
    )
    table = _table(text)
    # SQLite new, PostgreSQL as it was; equal notes once, different ones named.
    assert table["Import, once"] == ["2.50 s", "3.57 s", "< 30 s", "pass", "14,165 units"]
    assert table["Search a | b, p95"] == [
        "42.00 ms",
        "160 ms",
        "< 100 ms",
        "**fail**",
        "SQLite: median 39.0 ms",
    ]
    # When each database was measured: PostgreSQL's line is the earlier run's.
    assert (
        "- PostgreSQL: measured on 2026-01-02 with `python -m bench demo`: x86_64, Some CPU, "
        "2 cores, 8.0 GiB RAM; Python 3.11.7; PostgreSQL 15.18; load average 0.7 when the run "
        "started."
    ) in text
    assert f"- SQLite: measured on {today()} with `python -m bench demo --databases sqlite`" in text
    assert "SQLite 3.45.0" in text and "Measured on 2026-01-02" not in text
    assert "Search a \\| b, p95" in text  # the pipe stays escaped in the table

    # And PostgreSQL re-run now: its column replaced, SQLite's (this run's) kept.
    again = _write_run(
        path,
        {
            "postgresql": _run(
                "16.4",
                ("import", "Import, once", 3.0, 30, "14,165 units"),
                ("search", "Search a | b, p95", 80.0, 100, "median 70.0 ms"),
            )
        },
        {"sqlite": "not requested"},
    )
    table = _table(again)
    assert table["Import, once"] == ["2.50 s", "3.00 s", "< 30 s", "pass", "14,165 units"]
    assert table["Search a | b, p95"] == [
        "42.00 ms",
        "80.00 ms",
        "< 100 ms",
        "pass",  # was **fail** with PostgreSQL's 160 ms
        "SQLite: median 39.0 ms<br>PostgreSQL: median 70.0 ms",
    ]
    assert "2026-01-02" not in again
    assert "PostgreSQL 16.4" in again and "SQLite 3.45.0" in again


def test_a_run_of_both_databases_writes_one_line_and_one_note_when_equal(tmp_path):
    path = tmp_path / "PERFORMANCE.md"
    path.write_text(report.HEADER + "\n" + OLD_SECTION + "\n")
    text = _write_run(
        path,
        {
            "sqlite": _run("3.40.1", ("import", "Import, once", 1.0, 30, "same")),
            "postgresql": _run("15.18", ("import", "Import, once", 1.5, 30, "same")),
        },
        {},
    )
    assert f"Measured on {today()} with `python -m bench demo`:" in text
    assert "SQLite 3.40.1, PostgreSQL 15.18; load average" in text
    assert "- SQLite:" not in text and "2026-01-02" not in text
    # A run of both databases owns the whole table: the earlier row is gone.
    assert _table(text) == {"Import, once": ["1.00 s", "1.50 s", "< 30 s", "pass", "same"]}


def test_a_row_the_new_run_lacks_stays_when_the_other_database_has_it(tmp_path):
    path = tmp_path / "PERFORMANCE.md"
    path.write_text(report.HEADER + "\n" + OLD_SECTION + "\n")
    text = _write_run(
        path,
        {"postgresql": _run("15.18", ("search", "Search a | b, p95", 90.0, 100, "median 70 ms"))},
        {"sqlite": "not requested"},
    )
    table = _table(text)
    assert list(table) == ["Import, once", "Search a | b, p95"]
    assert table["Import, once"] == ["1.90 s", "—", "< 30 s", "pass", "14,165 units"]
    assert table["Search a | b, p95"][:4] == ["41.40 ms", "90.00 ms", "< 100 ms", "pass"]


def test_the_sections_of_docs_performance_parse_with_both_columns():
    path = ROOT / "docs" / "PERFORMANCE.md"
    names = ["orgs", "reporting", "load", "documents", "drafting", "analytics"]
    for name in names:
        text = report.current(path, name)
        assert text is not None, name
        stamps, rows = report.parse(text)
        assert set(stamps) == {"sqlite", "postgresql"}, name
        assert rows and all(set(row.cells) == {"sqlite", "postgresql"} for row in rows), name
        assert all(row.target is not None for row in rows), name
        # Judged again from both columns, each row says what the file says.
        assert [row.verdict() for row in rows] == [row.result_text for row in rows], name
