"""``python -m bench [NAME ...] [--databases sqlite,postgresql] [--no-write]``.

Runs the registered benchmarks, each in a fresh subprocess per database, and writes
their sections of docs/PERFORMANCE.md. PostgreSQL is used when PG_URL is set (the
Makefile sets it) and its server answers. A database not run (``--databases sqlite``)
keeps its column of the section already written, with the date it was measured. Exits 1
if a measurement of this run misses its target.
"""

import argparse
import importlib
import json
import os
import subprocess
import sys
from pathlib import Path

from bench import databases, report
from bench.worker import RESULT_PREFIX

BENCHMARKS: dict[str, str] = {
    # name (section marker) → module with TITLE and run()
    "orgs": "bench.orgs",
    "reporting": "bench.reporting",
    "load": "bench.load",
    "documents": "bench.documents",
    "drafting": "bench.drafting",
    "issuing": "bench.issuing",
    "signatures": "bench.signatures",
    "analytics": "bench.analytics",
    "statuses": "bench.statuses",
    "outliers": "bench.outliers",
    "quality": "bench.quality",
    "desk": "bench.desk",
    "edxml": "bench.edxml",
    "reminders": "bench.reminders",
    "contests": "bench.contests",
    "activities": "bench.activities",
}

ROOT = Path(__file__).resolve().parent.parent
PERFORMANCE = ROOT / "docs" / "PERFORMANCE.md"


def _work(module: str, database_url: str) -> dict:
    env = {
        **os.environ,
        "TRIENKHAI_DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "trienkhai.settings",
        "TRIENKHAI_DEBUG": "0",  # DEBUG keeps every query in memory and slows them
    }
    done = subprocess.run(
        [sys.executable, "-m", "bench.worker", module],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
        check=False,
    )
    for line in done.stdout.splitlines():
        if line.startswith(RESULT_PREFIX):
            return json.loads(line[len(RESULT_PREFIX) :])
    raise RuntimeError(f"{module} failed on {database_url} (exit {done.returncode})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument(
        "names", nargs="*", help=f"benchmarks to run (default all: {', '.join(BENCHMARKS)})"
    )
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--no-write", action="store_true", help="print, do not update the docs")
    args = parser.parse_args(argv)
    names = args.names or list(BENCHMARKS)
    unknown = [name for name in names if name not in BENCHMARKS]
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(unknown)}")
    wanted = set(args.databases.split(","))

    skipped: dict[str, str] = {}
    pg_url = databases.postgres_url()
    if "postgresql" in wanted:
        if pg_url is None:
            skipped["postgresql"] = "PG_URL is not set"
        elif (why := databases.postgres_available(pg_url)) is not None:
            skipped["postgresql"] = f"server not reachable ({why})"
    else:
        skipped["postgresql"] = "not requested"
    if "sqlite" not in wanted:
        skipped["sqlite"] = "not requested"

    failed = False
    for name in names:
        module = BENCHMARKS[name]
        runs: dict[str, dict] = {}
        if "sqlite" not in skipped:
            print(f"[{name}] SQLite ...", file=sys.stderr, flush=True)
            with databases.sqlite(ROOT, name) as url:
                runs["sqlite"] = _work(module, url)
        if "postgresql" not in skipped and pg_url is not None:
            print(f"[{name}] PostgreSQL ...", file=sys.stderr, flush=True)
            with databases.postgres(pg_url) as url:
                runs["postgresql"] = _work(module, url)
        loaded = importlib.import_module(module)
        notes = getattr(loaded, "NOTES", "")
        # A database not run now keeps its column from the section already written.
        previous = report.current(PERFORMANCE, name)
        text = report.section(name, loaded.TITLE, runs, skipped, notes, previous)
        print(text)
        failed |= any(
            result["value"] > result["target"] for run in runs.values() for result in run["results"]
        )
        if not args.no_write:
            report.write(PERFORMANCE, name, text)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
