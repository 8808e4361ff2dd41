"""CPU time of one saved value, for profiling: ``python -m bench.savecpu [options]``.

Issue 18 asks for 500 saves a second on 2 cores, that is under 4 ms of CPU per save for
everything (the server's Python, PostgreSQL's backend, the load generator). On a machine
shared with other work the wall clock says little; the CPU a save costs changes least.
This script sets up bench/load.py's database (10,000 communes, a 10-indicator yearly form
"LOAD", a province manager's bearer token) in a fresh database, then sends ``--saves``
sequential ``POST /api/v1/datavalues`` through Django's WSGI handler in this process,
each changing one existing value of an existing report (the same path as a real request:
every middleware, the token, the policy, the service, the analytics receiver unless
``--alone``), and prints:

- our CPU per save (``time.process_time``: Python, and SQLite, which runs in the process);
- on PostgreSQL, the backend's CPU per save (from ``/proc/<backend pid>/stat``, when the
  server runs on this machine and its /proc entry is readable);
- SQL statements per save besides BEGIN/COMMIT/savepoints;
- with ``--profile N``: a cProfile of N more saves (CPU time), top functions by own and
  by cumulative time.

Not a benchmark of docs/PERFORMANCE.md (``make bench`` measures capacity with a real
server); a tool to see where a save's CPU goes before and after a change.

    .venv/bin/python -m bench.savecpu --saves 2000 --profile 1000
    PG_URL=postgres://trienkhai:trienkhai@127.0.0.1:5432/trienkhai_mine \\
        .venv/bin/python -m bench.savecpu --databases postgresql
"""

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from bench import databases

ROOT = Path(__file__).resolve().parent.parent
RESULT_PREFIX = "SAVECPU "


class Saver:
    """bench/load.py's database set up in this process, and saves through the WSGI handler."""

    def __init__(self, *, alone: bool = False):
        from django.core.handlers.wsgi import WSGIHandler
        from django.db import connection

        from bench import load
        from trienkhai.analytics import rebuild
        from trienkhai.reporting.signals import values_changed

        self.token, self.period = load.setup(progress=lambda m: print(f"  {m}", file=sys.stderr))
        # What the server's background thread does after the set-up's reorganisation
        # marks (analytics.rebuild.schedule): without it every save would go the long way.
        rebuild.refresh()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.handler = WSGIHandler()
        if alone:
            values_changed.receivers.clear()
            values_changed.sender_receivers_cache.clear()
        self.next = 0
        # Every cell of 10 reports exists (the first save of a report creates it, and the
        # first save after the bulk set-up builds the hierarchy table).
        self.save(10 * load.INDICATORS)

    def body(self, n: int) -> bytes:
        """Save ``n``: a new number into one of the 100 cells, in turn."""
        from bench import load

        unit, indicator = n % 10, (n // 10) % load.INDICATORS
        payload = {
            "form": "LOAD",
            "unit": f"XA{unit:05d}",
            "period": self.period,
            "values": [{"indicator": f"so_{indicator}", "value": str(1000 + n)}],
        }
        return json.dumps(payload).encode()

    def save(self, count: int) -> float:
        """``count`` saves; the CPU seconds they took in this process."""
        from bench import load

        bodies = [self.body(self.next + n) for n in range(count)]
        self.next += count
        start = time.process_time()
        for payload in bodies:
            status = load._wsgi_save(self.handler, self.token, payload)
            if status != 200:
                raise RuntimeError(f"a save answered {status}")
        return time.process_time() - start


def measure(saves: int, *, alone: bool, profile: int, dump: str = "") -> dict:
    """Runs in the worker: the set-up, a warm-up, ``saves`` timed saves, the profile."""
    import cProfile
    import io
    import pstats

    from django.db import connection

    from bench.measure import cpu, server_pid

    saver = Saver(alone=alone)
    statements = [0]

    def count(execute, sql, params, many, context):
        if not sql.startswith(("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE")):
            statements[0] += 1
        return execute(sql, params, many, context)

    backend = server_pid()
    with connection.execute_wrapper(count):
        theirs, wall = cpu(backend), time.perf_counter()
        ours = saver.save(saves)
        theirs, wall = cpu(backend) - theirs, time.perf_counter() - wall
    result = {
        "database": connection.vendor,
        "saves": saves,
        "cpu_ms": ours * 1000 / saves,
        "backend_cpu_ms": theirs * 1000 / saves if backend else None,
        "wall_ms": wall * 1000 / saves,
        "statements": statements[0] / saves,
        "load": os.getloadavg()[0],
    }
    if profile:
        profiler = cProfile.Profile(time.process_time)  # CPU, not the wall
        profiler.enable()
        saver.save(profile)
        profiler.disable()
        if dump:
            profiler.dump_stats(dump)
        for order in ("tottime", "cumulative"):
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats(order).print_stats(30)
            result[f"profile_{order}"] = out.getvalue()
    return result


def _worker(args: argparse.Namespace) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trienkhai.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    result = measure(args.saves, alone=args.alone, profile=args.profile, dump=args.dump)
    print(RESULT_PREFIX + json.dumps(result), flush=True)
    return 0


def _run(database_url: str, args: argparse.Namespace) -> dict:
    env = {
        **os.environ,
        "TRIENKHAI_DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "trienkhai.settings",
        "TRIENKHAI_DEBUG": "0",
    }
    command = [sys.executable, "-m", "bench.savecpu", "--worker", "--saves", str(args.saves)]
    command += ["--profile", str(args.profile)] + (["--alone"] if args.alone else [])
    command += ["--dump", args.dump] if args.dump else []
    done = subprocess.run(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
    for line in done.stdout.splitlines():
        if line.startswith(RESULT_PREFIX):
            return json.loads(line[len(RESULT_PREFIX) :])
    raise RuntimeError(f"the worker failed on {database_url} (exit {done.returncode})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.savecpu", description=__doc__)
    parser.add_argument("--saves", type=int, default=2000)
    parser.add_argument("--profile", type=int, default=0, help="profile this many more saves")
    parser.add_argument("--dump", default="", help="write the profile's raw stats here")
    parser.add_argument("--alone", action="store_true", help="without the analytics receiver")
    parser.add_argument("--databases", default="sqlite", help="sqlite,postgresql (PG_URL)")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        return _worker(args)
    for name in args.databases.split(","):
        if name == "sqlite":
            with databases.sqlite(ROOT, "savecpu") as url:
                result = _run(url, args)
        elif name == "postgresql":
            pg_url = databases.postgres_url()
            if pg_url is None:
                parser.error("PG_URL is not set (your own database name, not trienkhai's)")
            with databases.postgres(pg_url) as url:
                result = _run(url, args)
        else:
            parser.error(f"unknown database {name}")
        for order in ("tottime", "cumulative"):
            if f"profile_{order}" in result:
                print(result.pop(f"profile_{order}"))
        backend = result["backend_cpu_ms"]
        print(
            f"{result['database']}: {result['cpu_ms']:.2f} ms CPU per save in the process"
            + (f" + {backend:.2f} ms in PostgreSQL's backend" if backend is not None else "")
            + f"; {result['statements']:.1f} statements per save; wall {result['wall_ms']:.2f} ms;"
            f" {result['saves']} saves; load average {result['load']:.1f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
