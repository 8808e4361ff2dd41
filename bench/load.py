"""Saving one value under load: 50 clients against a real server, from a second process.

Target (issue 3, periodic reporting): p95 ≤ 30 ms with 50 concurrent clients on
PostgreSQL. Two loads, both on loopback against `trienkhai serve` (gunicorn, WORKERS
processes) on the benchmark's database, each request saving one value of a 10-indicator
form through `POST /api/v1/datavalues` with a bearer token:

- **open loop** (what the target means for 50 people entering data): each of 50 clients
  is one person at their own unit and sends one save every second on average (random
  gaps, Poisson arrivals), whether or not the server keeps up; the latency of a request
  is counted from when it was due, so a server that falls behind shows it (no
  "coordinated omission"). A small generator in this file, run as its own process.
- **closed loop** (capacity): wrk keeps 50 connections busy, each sending its next save
  as soon as the last one answers, into random units of 10,000; its throughput is what
  the machine can do, and its latency is 50 ÷ throughput by construction.
"""

import contextlib
import datetime as dt
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from bench import measure
from bench.measure import Measurement
from trienkhai.common.actors import BENCH

TITLE = "Lưu số liệu khi nhiều người cùng nhập / saving values under load"
CLIENTS = 50
SECONDS = 10
OPEN_SECONDS = 20
RATE = 1.0
"""Saves per second per client in the open loop: one person, one cell a second."""
UNITS = 10_000
INDICATORS = 10
WORKERS = 4
CAPACITY_TARGET = 500
"""Saves a second in the closed loop (issue 18), with a p95 of at most CAPACITY_P95_MS."""
CAPACITY_P95_MS = 200
"""Server processes: 2 per core on this 2-core machine (`trienkhai serve`'s default)."""

SCRIPT = """
math.randomseed(os.time())
request = function()
  local unit = string.format("XA%05d", math.random(0, {units} - 1))
  local body = '{{"form":"LOAD","unit":"' .. unit .. '","period":"{period}","values":' ..
    '[{{"indicator":"so_' .. math.random(0, {indicators} - 1) .. '","value":"' ..
    math.random(1, 100000) .. '"}}]}}'
  return wrk.format("POST", "/api/v1/datavalues",
    {{["Content-Type"] = "application/json", ["Authorization"] = "Bearer {token}"}}, body)
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %d %d %d %d %d\\n", latency:percentile(50), latency:percentile(95),
    latency:percentile(99), summary.requests, e.status + e.connect + e.read + e.write + e.timeout))
end
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait(port: int, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise RuntimeError("the server did not start")


def open_loop(
    port: int,
    token: str,
    period: str,
    clients: int,
    rate: float,
    seconds: float,
    timeout: float = 30,
):
    """{"latencies_ms": [...], "errors": n, "late_starts": n}: ``clients`` people, each
    at unit XA{n} on a keep-alive connection of its own, sending saves at Poisson
    times of ``rate`` a second for ``seconds``. Runs in its own process (see main)."""
    import http.client

    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    start = time.monotonic() + 1.0

    def person(n: int) -> None:
        rng = random.Random(n)
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        due = start + min(rng.expovariate(rate), seconds / 2)
        mine: list[float] = []
        failed = 0
        while due < start + seconds:
            pause = due - time.monotonic()
            if pause > 0:
                time.sleep(pause)
            body = json.dumps(
                {
                    "form": "LOAD",
                    "unit": f"XA{n:05d}",
                    "period": period,
                    "values": [
                        {
                            "indicator": f"so_{rng.randrange(INDICATORS)}",
                            "value": str(rng.randint(1, 100000)),
                        }
                    ],
                }
            )
            status = None
            for _attempt in range(2):
                try:
                    connection.request(
                        "POST",
                        "/api/v1/datavalues",
                        body,
                        {"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
                    )
                    response = connection.getresponse()
                    response.read()
                    status = response.status
                    break
                except OSError:
                    # The server closes a keep-alive connection idle for 5 s; a browser
                    # opens another and sends again: so do we, the time still counting.
                    connection.close()
                    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
            if status != 200:
                failed += 1
            mine.append((time.monotonic() - due) * 1000)
            due += rng.expovariate(rate)
        with lock:
            latencies.extend(mine)
            errors[0] += failed

    threads = [threading.Thread(target=person, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"latencies_ms": latencies, "errors": errors[0]}


def _percentile(samples: list[float], q: int) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[q - 1]


def _run_open_loop(port: int, token: str, period: str, seconds: float) -> dict:
    """The open-loop generator in a second process (its threads must not share our GIL)."""
    code = (
        "import json, sys; from bench.load import open_loop; "
        "print(json.dumps(open_loop(*json.loads(sys.argv[1]))))"
    )
    args = json.dumps([port, token, period, CLIENTS, RATE, seconds])
    done = subprocess.run(
        [sys.executable, "-c", code, args],
        capture_output=True,
        text=True,
        check=True,
        timeout=seconds + 120,
        cwd=Path(__file__).resolve().parent.parent,
    )
    return json.loads(done.stdout)


def _wrk(script: Path, port: int, connections: int, seconds: int) -> tuple[int, ...]:
    done = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            "10s",
            "-s",
            str(script),
            f"http://127.0.0.1:{port}",
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=seconds + 120,
    )
    line = next(line for line in done.stdout.splitlines() if line.startswith("RESULT "))
    return tuple(int(x) for x in line.split()[1:])


CPU_SAVES = 300
"""Sequential saves timed for the CPU measurement, in each of ROUNDS rounds."""
ROUNDS = 3


def _wsgi_save(handler, token: str, body: bytes) -> int:
    """One ``POST /api/v1/datavalues`` through Django's WSGI handler, as gunicorn calls it
    (the response read and closed, which ends the request: connections handled as in
    the server)."""
    import io

    environ = {
        "REQUEST_METHOD": "POST",
        "SCRIPT_NAME": "",
        "PATH_INFO": "/api/v1/datavalues",
        "QUERY_STRING": "",
        "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": str(len(body)),
        "HTTP_AUTHORIZATION": f"Bearer {token}",
        "HTTP_HOST": "127.0.0.1",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    status: list[str] = []
    response = handler(environ, lambda s, headers, exc_info=None: status.append(s))
    try:
        b"".join(response)
    finally:
        response.close()
    return int(status[0].split()[0])


def cpu_per_save(token: str, period: str, *, saves: int = CPU_SAVES, alone: bool = True) -> dict:
    """{"ms": CPU ms per save (median of the rounds), "rounds": [ms, ...], "statements":
    per save besides BEGIN/COMMIT} in this process, steady state.

    What one save costs the server's Python (and SQLite, which runs in the process;
    PostgreSQL's own work is in its server and not counted): ``saves`` sequential
    requests through the WSGI handler, each changing a value that already exists in a
    report that already exists (10 units' cells are saved once first, untimed). CPU
    time (``time.process_time``), so other tenants of the machine do not change it.
    ``alone`` clears the receivers of values_changed for the measurement (reporting's
    own part) and puts them back after.
    """
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection

    from trienkhai.reporting.signals import values_changed

    handler = WSGIHandler()

    def body(unit: int, cells: list[tuple[int, int]]) -> bytes:
        values = [{"indicator": f"so_{i}", "value": str(v)} for i, v in cells]
        payload = {"form": "LOAD", "unit": f"XA{unit:05d}", "period": period, "values": values}
        return json.dumps(payload).encode()

    receivers = list(values_changed.receivers)
    if alone:
        values_changed.receivers.clear()
        values_changed.sender_receivers_cache.clear()
    statements = [0]

    def count(execute, sql, params, many, context):
        if not sql.startswith(("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE")):
            statements[0] += 1
        return execute(sql, params, many, context)

    try:
        for unit in range(10):
            status = _wsgi_save(handler, token, body(unit, [(i, 1) for i in range(INDICATORS)]))
            if status != 200:
                raise RuntimeError(f"warm-up save answered {status}")
        rounds = []
        for round_ in range(ROUNDS):
            # Each round gives every cell new numbers: each save writes.
            first = 1000 + round_ * saves
            bodies = [body(n % 10, [((n // 10) % INDICATORS, first + n)]) for n in range(saves)]
            with connection.execute_wrapper(count):
                start = time.process_time()
                for payload in bodies:
                    if _wsgi_save(handler, token, payload) != 200:
                        raise RuntimeError("a timed save failed")
                rounds.append((time.process_time() - start) * 1000 / saves)
    finally:
        values_changed.receivers[:] = receivers
        values_changed.sender_receivers_cache.clear()
    return {
        "ms": statistics.median(rounds),
        "rounds": rounds,
        "statements": statements[0] / (saves * ROUNDS),
    }


def setup(progress=print) -> tuple[str, str]:
    """(token, period id): UNITS communes reporting a form of INDICATORS figures, and a
    manager of their province with an API token."""
    from bench.reporting import _units
    from trienkhai.accounts.services import add_user, issue_token
    from trienkhai.orgs import services as org_services
    from trienkhai.orgs.kinds import ROOT_CODE, ensure_standard_data
    from trienkhai.orgs.models import Unit, UnitKind
    from trienkhai.reporting import services
    from trienkhai.reporting.periods import containing

    ensure_standard_data()
    day = dt.date(2015, 1, 1)
    owner = org_services.create_unit(
        acting_user=BENCH,
        code="TINH",
        name="Tỉnh thử",
        kind=UnitKind.objects.get(code="province"),
        parent=Unit.objects.get(code=ROOT_CODE),
        valid_from=day,
    )
    progress(f"creating {UNITS:,} units")
    _units(owner, UnitKind.objects.get(code="commune"), day)
    indicators = [
        services.create_indicator(acting_user=BENCH, code=f"so_{n}", name=f"Số {n}")
        for n in range(INDICATORS)
    ]
    period = containing(dt.date.today(), "yearly")
    services.create_form(
        acting_user=BENCH,
        code="LOAD",
        name="Tải",
        owner=owner,
        period_type="yearly",
        indicators=indicators,
        kind=UnitKind.objects.get(code="commune"),
        level=1,
        valid_from=day,
    )
    admin = add_user(
        acting_user=BENCH, username="admin", password="x-bench-x", unit=owner, role="manager"
    )
    return issue_token(user=admin), period.id


def run(progress=print) -> list[Measurement]:
    from django.db import connection

    if shutil.which("wrk") is None:
        raise RuntimeError("wrk is not installed (apt-get install wrk; make system-deps does it)")
    token, period = setup(progress)
    progress(f"server CPU per save: {CPU_SAVES} sequential saves in this process")
    cpu = cpu_per_save(token, period)
    connection.close()

    shipped = _serve_and_load(token, period, progress, alone=False)
    alone = _serve_and_load(token, period, progress, alone=True)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    results = []
    cores = os.cpu_count() or 1
    for (opened, closed, used), how in ((shipped, ""), (alone, ", reporting alone (no receiver)")):
        samples = opened["latencies_ms"]
        p50, p95, p99, requests, errors = closed
        results += [
            Measurement(
                "save_value_open_p95_ms" + ("_alone" if how else ""),
                f"Save one value (`POST /api/v1/datavalues`), {CLIENTS} people each saving "
                f"about {RATE:g} value/s (open loop){how}, p95",
                round(_percentile(samples, 95), 1),
                "ms",
                30,
                f"{len(samples):,} saves in {OPEN_SECONDS} s "
                f"({len(samples) / OPEN_SECONDS:,.0f}/s), {opened['errors']} errors; median "
                f"{statistics.median(samples):.1f} ms, p99 {_percentile(samples, 99):.1f} ms; "
                f"{WORKERS} server processes",
            ),
            Measurement(
                "save_value_closed_p95_ms" + ("_alone" if how else ""),
                f"the same with {CLIENTS} clients saving back to back (closed loop, wrk){how}: "
                "p95, for capacity",
                round(p95 / 1000, 1),
                "ms",
                30,
                f"{requests:,} saves in {SECONDS} s ({requests / SECONDS:,.0f}/s), "
                f"{errors} errors; median {p50 / 1000:.1f} ms, p99 {p99 / 1000:.1f} ms; "
                f"load average {load:.1f} at the end",
            ),
        ]
        if how:
            continue
        spent = sum(used.values())
        results += [
            Measurement(
                "save_value_closed_ms_per_save",
                f"the same closed loop: wall time per save (1,000 ÷ saves a second); issue 18 "
                f"asks for {CAPACITY_TARGET} saves/s with a p95 ≤ {CAPACITY_P95_MS} ms",
                round(1000 * SECONDS / max(requests, 1), 2),
                "ms",
                1000 / CAPACITY_TARGET,
                f"{requests / SECONDS:,.0f} saves/s, p95 {p95 / 1000:.0f} ms; the wall clock of "
                f"a machine shared with others: load average {load:.1f} at the end",
            ),
            Measurement(
                "save_value_closed_cpu_ms",
                "CPU per save in that closed loop: the server's processes + the load "
                "generator (wrk) + PostgreSQL's backends",
                round(spent, 2),
                "ms",
                1000 * cores / CAPACITY_TARGET,
                f"server {used['server']:.2f} ms, wrk {used['client']:.2f} ms, PostgreSQL "
                f"{used['database']:.2f} ms: {cores} idle cores would make about "
                f"{1000 * cores / spent:,.0f} saves/s (CPU time: what other tenants of the "
                "machine change least; it still grows with their load)",
            ),
        ]
    results.append(
        Measurement(
            "save_value_cpu_ms",
            f"Server CPU of one save, reporting alone (no receiver): {CPU_SAVES} sequential "
            "saves through the WSGI handler, report and value existing, CPU time per save",
            round(cpu["ms"], 2),
            "ms",
            4,
            f"median of {ROUNDS} rounds ({', '.join(f'{r:.2f}' for r in cpu['rounds'])} ms); "
            f"{cpu['statements']:.0f} SQL statements per save besides BEGIN/COMMIT; the "
            "request's Python (and SQLite's work, in the process), not PostgreSQL's server",
        )
    )
    return results


# Started as the server: ``alone`` clears the receivers of values_changed before the
# workers fork, to measure reporting's own part apart from what listens to it.
SERVER = """
import os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trienkhai.settings")
import django
django.setup()
if sys.argv[1] == "alone":
    from trienkhai.reporting.signals import values_changed
    values_changed.receivers.clear()
    values_changed.sender_receivers_cache.clear()
from trienkhai.cli import main
main(sys.argv[2:])
"""


def _serve_and_load(token: str, period: str, progress, *, alone: bool):
    """(open-loop result, closed-loop wrk numbers) against a fresh server."""
    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-c",
            SERVER,
            "alone" if alone else "shipped",
            "serve",
            "--port",
            str(port),
            "--workers",
            str(WORKERS),
        ],
        env={**os.environ, "TRIENKHAI_INSECURE_DEV_KEY": "1"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    label = "reporting alone" if alone else "as shipped"
    try:
        _wait(port)
        with tempfile.TemporaryDirectory() as folder:
            script = Path(folder) / "save.lua"
            script.write_text(
                SCRIPT.format(units=UNITS, indicators=INDICATORS, period=period, token=token)
            )
            progress(f"{label}: warming up")
            # The first save may do one-off work (a listener building its tables).
            open_loop(port, token, period, 1, 1.0, 0.5, timeout=600)
            _wrk(script, port, 10, 3)
            progress(f"{label}: open loop, {CLIENTS} people, {RATE:g} save/s each")
            opened = _run_open_loop(port, token, period, OPEN_SECONDS)
            progress(f"{label}: closed loop, {CLIENTS} connections for {SECONDS} s")
            servers, backends = _process_tree(server.pid), _backends()
            before = _cpu_seconds(servers, backends)
            closed = _wrk(script, port, CLIENTS, SECONDS)
            after = _cpu_seconds(servers, backends)
            cpu = {k: (after[k] - before[k]) * 1000 / max(closed[3], 1) for k in before}
    finally:
        server.terminate()
        server.wait(timeout=30)
    return opened, closed, cpu


def _process_tree(pid: int) -> list[int]:
    """``pid`` and its descendants (the gunicorn master and its workers)."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    parents[int(entry)] = int(stat.read().rsplit(")", 1)[1].split()[1])
            except OSError:
                continue
    tree = [pid]
    for _generation in range(3):
        tree += [child for child, parent in parents.items() if parent in tree and child not in tree]
    return tree


def _backends() -> list[int]:
    """The PostgreSQL server processes serving the bench's database (none on SQLite),
    when their /proc entries are readable."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
            " AND pid <> pg_backend_pid()"
        )
        pids = [pid for (pid,) in cursor.fetchall()]
    connection.close()
    return [pid for pid in pids if os.access(f"/proc/{pid}/stat", os.R_OK)]


def _cpu_seconds(servers: list[int], backends: list[int]) -> dict[str, float]:
    """CPU seconds so far of the server's processes, of the load generator (wrk, a
    child of this process once it has ended) and of the PostgreSQL backends."""
    import resource

    def of(pids: list[int]) -> float:
        total = 0.0
        for pid in pids:
            with contextlib.suppress(OSError):  # ended meanwhile: a connection closed
                total += measure.cpu(pid)
        return total

    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "server": of(servers),
        "client": children.ru_utime + children.ru_stime,
        "database": of(backends),
    }


NOTES = """\
Issue 18's target: 500 saves a second in the closed loop with a p95 ≤ 200 ms, that is
2 ms of wall time per save, and about 4 ms of CPU per save for everything on 2 cores (the
server's processes, wrk, PostgreSQL's backends): the two rows after the closed loop's.
On a machine shared with other engineers the CPU row says what 2 idle cores could do
(2,000 ÷ its value saves/s); the wall-clock rows say what the load let happen. Since
6/12/2026 (decision 0027): SQLite's writers queue on a lock file instead of sleeping in
SQLite's busy handler (1…100 ms steps); `trienkhai serve` imports every view before
forking (each worker spent its first seconds of load importing them); a save's outlier
warnings are read after its transaction.

Since 07/12/2026 a save checks the actor's rights and the form's units and reads its
cells before it takes the write lock (1,289 Python calls inside SQLite's lock a save
before, 936 after), and a server process runs one request's Python at a time
(decision 0051: its 4 threads take turns; LibreOffice and the mail server are waited
for aside). The closed loop on SQLite as shipped moves by a quarter from one run to the
next on this machine, so runs were alternated (07/12/2026, 04:00–04:45 UTC, load 1.2–2.5):
4 processes × 4 threads as before 307, 385, 396 and 349 saves/s (p95 270–420 ms, server
CPU 3.4–4.4 ms a save); taking turns 481, 515 and 380/s (the table's run; 3.1–3.9 ms);
4 × 1 thread 445, 529, 556 and 592/s (p95 94–228 ms); 4 × 2 threads 450 and 456/s;
8 × 1 thread 464 and 488/s; a switch interval of 0.5 ms 404 and 406/s. Issue 18's 500/s
as shipped is reached in some runs, not all; the p95 stays above 200 ms in most. On
PostgreSQL the server's and PostgreSQL's CPU (4.45 + 2.45 ms a save) fill the two
cores near 290/s whatever the threads: a database on its own machine is the answer
there (docs/OPERATIONS.md).

The turn handed over first come, first served (00a617d) against the plain lock before
it (ce68525), alternated on a quiet machine (07/12/2026, 09:01–09:09 UTC, load 0.4–2.0,
SQLite as shipped, closed loop): plain lock 568 and 544 saves/s, p95 172 and 301 ms,
p99 192 and 329 ms; handed over 521 and 497 saves/s, p95 152 and 111 ms, p99 163 and
115 ms. The queue trades some 8 % of throughput for a tail that no longer runs away
(the median rises from 56–83 to 101–120 ms: every save waits its turn, none waits
several); issue 18's 500/s with p95 ≤ 200 ms was met by one run of each. Three more
alternations the same morning (09:50–09:59, load 1.6–2.5 as other work started): plain
lock 592, 508 and 538 saves/s (p95 168, 183, 325 ms), queue 404, 407 and 434 (p95 338,
397, 386 ms). The queue lost both ways on a machine with other work (the turn handed to
a thread still asleep waits for a core: a lock convoy) and was reverted (decision 0051).

On a freshly started machine (07/12/2026, 00:11 UTC, load 0.7 before the run; the
bench's own set-up brings it to 1.4–4.3), before those two changes, the closed loop made
426 saves/s on SQLite as shipped (p95 292 ms) and 502/s with reporting alone (p95
175 ms), 286/s and 330/s on PostgreSQL. In process (`python -m bench.savecpu --saves
1000`, load 1.0–1.7): SQLite 1.84 ms of CPU a save; PostgreSQL 2.71 ms + 2.51 ms in its
backend (2.52 + 1.86 ms with reporting alone, 7 statements: about 0.27 ms of backend CPU
a statement). Server-side binding with psycopg's prepared statements
(`OPTIONS["server_side_binding"]`) changed nothing measurable (2.60 + 2.75 ms), so it
stays off.

On a quiet machine (06/12/2026, 11:57 UTC, load 0.7 at the start) the closed loop
made 193 saves/s on SQLite and 178/s on PostgreSQL. SQLite's server processes then used
6.99 ms of CPU a save, 1.35 cores at that rate: the cores were not the limit, the one
writer at a time was (each save holds SQLite's write lock from its first write to the
end of its fsync, with the analytics totals inside). PostgreSQL used 6.46 + 4.06 ms, 1.9
cores: it was the CPU. CPU time on this virtual machine moves too: the in-process row
gave 4.22, 3.93 and 3.45 ms in the bench and 2.59, 2.35, 2.40 ms in a profiling script
run a minute later on the same code and data. A profile of those sequential saves
(cProfile, SQLite): the outlier warnings of the saved cell 12 % of the time, finding the
form and unit 12 %, the token's user 9 %, the commit's fsync 9 %, the middleware 17 %.

What the target can mean on this machine. 50 clients that each send the next save the
moment the last one is answered (closed loop) wait, on average, 50 ÷ throughput: a p95
of 30 ms would need about 1,700 saves a second, about 1.2 ms of CPU per save for the
request's Python, PostgreSQL's work and the load generator together, on 2 cores. One
save cost the server about 11 ms of CPU in its worker (measured from /proc over 300
sequential saves, with or without the analytics receiver: 11.7 and 11.5 ms); the hot
path written by hand brought reporting's part down to the last row of the table (CPU
time in the process, so other tenants of the machine change it little), which is what
sets the capacity; the closed-loop rows measure it, and their latency follows from it. 50 people entering data
each save a cell every second or so: the open-loop rows, the ones the target is held to.
They need the machine's cores: at 51 saves/s the server needs about 0.6 core of Python
plus PostgreSQL's share, which a quiet machine has and this shared one (several
engineers' test suites, load average 4–11 during the runs) often did not — the same
open loop gave a p95 of 256 ms on SQLite and 966 ms on PostgreSQL at load 4, and
several seconds at load 10. Compare runs by the load average noted beside them.

One save (steady state, the report already exists) is 6 statements when the user's
role is at the unit or at its parent, as here: the token with its user and the user's
roles (whether one is at the root, whether units merged into theirs); the form with its
owner and the unit with its versions; the report locked FOR UPDATE; the cell locked
FOR UPDATE; the write; the change row; plus BEGIN/COMMIT (12, 16 and 25 in earlier
versions). A role higher up
adds the walk up the hierarchy today (policy), a form assigned by level to units below
the owner's children the walk on the period's last day, a role at a unit that others
merged into the lineage. These statements are written by hand (`common/rows.py`):
Django building and compiling a queryset cost 0.3–1 ms of CPU each, most of the 11 ms.
SQLite's connection is kept between requests like PostgreSQL's (opening it and running
its pragmas cost about a millisecond a request). The first save of a report also
creates it and its history row. The form's structure (dated indicators,
options, assignments) is kept in memory per process under a key that changes with it
(`reporting.structure`). `trienkhai serve` runs gunicorn processes (2 per core) so that
requests use both cores rather than one GIL (docs/decisions/0009-server-processes.md).

What the analytics receiver adds (`reporting.signals.values_changed`, rollups kept live
inside the save's transaction; the "as shipped" rows include it, the "reporting alone"
rows clear the receivers before the server forks): one statement per save — the saved
cells' chains joined from the closure and every ancestor's total upserted, the
indicator's rule and the absence of a pending reorganisation checked inside that same
statement (decision 0013) — about 0.3 ms of our CPU and 0.5–0.9 ms of PostgreSQL's.
Those totals are shared rows: every commune's save of an indicator and period updates
the same province and country rows. At 51 saves/s over 10 indicators each such row
sees about 5 saves a second, held 10–16 ms (the statement to the end of the commit,
mostly the WAL flush), so about 5–8 % of saves wait, 0.4–0.7 ms on average: the gap
between the two open-loop rows is CPU, not waiting (SQLite, which has no row locks,
shows it too). After 10,000 units are created in bulk the first save also builds its
hierarchy table (a one-off second or more; the warm-up takes it). Until 23/11/2026 the
setup's reorganisation marks stayed pending for the whole run (only a read asked for
the refresh), so every "as shipped" save went the long way (12 statements instead of
7; p95 35–51 ms on PostgreSQL at load 3–5); the first save that meets a mark now asks
for it too. SQLite commits with `synchronous=FULL` since 23/11/2026 (decision 0017:
one fsync per commit, ~0.2 ms on this disk)."""
