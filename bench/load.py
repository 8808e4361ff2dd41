"""Saving one value under load: 50 concurrent clients against a real server.

Target (issue: periodic reporting): p95 ≤ 30 ms on PostgreSQL. The load comes from a
second process on loopback (wrk, from Debian's packages), bounded to 10 s; the server is
`trienkhai serve` (waitress, 8 threads) on the benchmark's database. Each request saves
one random value into one of 10,000 units' reports through `POST /api/v1/datavalues`
with a bearer token, so requests rarely touch the same row.
"""

import datetime as dt
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.measure import Measurement

TITLE = "Lưu số liệu khi nhiều người cùng nhập / saving values under load"
CLIENTS = 50
SECONDS = 10
UNITS = 10_000

SCRIPT = """
math.randomseed(os.time())
request = function()
  local unit = string.format("XA%05d", math.random(0, {units} - 1))
  local body = '{{"form":"LOAD","unit":"' .. unit .. '","period":"{period}","values":' ..
    '[{{"indicator":"so_lop","value":"' .. math.random(1, 100000) .. '"}}]}}'
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


def _wait(port: int, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise RuntimeError("the server did not start")


def run(progress=print) -> list[Measurement]:
    from django.db import connection

    from bench.reporting import _units
    from trienkhai.accounts.services import add_user, issue_token
    from trienkhai.orgs import services as org_services
    from trienkhai.orgs.kinds import ROOT_CODE, ensure_standard_data
    from trienkhai.orgs.models import Unit, UnitKind
    from trienkhai.reporting import services
    from trienkhai.reporting.periods import containing

    if shutil.which("wrk") is None:
        raise RuntimeError("wrk is not installed (apt-get install wrk; make system-deps does it)")
    ensure_standard_data()
    day = dt.date(2015, 1, 1)
    owner = org_services.create_unit(
        acting_user=None,
        code="TINH",
        name="Tỉnh thử",
        kind=UnitKind.objects.get(code="province"),
        parent=Unit.objects.get(code=ROOT_CODE),
        valid_from=day,
    )
    progress(f"creating {UNITS:,} units")
    _units(owner, UnitKind.objects.get(code="commune"), day)
    indicator = services.create_indicator(acting_user=None, code="so_lop", name="Số lớp")
    period = containing(dt.date.today(), "yearly")
    services.create_form(
        acting_user=None,
        code="LOAD",
        name="Tải",
        owner=owner,
        period_type="yearly",
        indicators=[indicator],
        kind=UnitKind.objects.get(code="commune"),
        level=1,
        valid_from=day,
    )
    admin = add_user(
        acting_user=None, username="admin", password="x-bench-x", unit=owner, role="manager"
    )
    token = issue_token(user=admin)
    connection.close()

    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from trienkhai.cli import main; main()",
            "serve",
            "--port",
            str(port),
        ],
        env={**os.environ},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait(port)
        with tempfile.TemporaryDirectory() as folder:
            script = Path(folder) / "save.lua"
            script.write_text(SCRIPT.format(units=UNITS, period=period.id, token=token))
            url = f"http://127.0.0.1:{port}"
            progress(f"warming up, then {CLIENTS} clients for {SECONDS} s")
            subprocess.run(
                ["wrk", "-t2", "-c10", "-d3s", "-s", str(script), url],
                capture_output=True,
                check=True,
                timeout=60,
            )
            done = subprocess.run(
                [
                    "wrk",
                    "-t2",
                    f"-c{CLIENTS}",
                    f"-d{SECONDS}s",
                    "--timeout",
                    "10s",
                    "-s",
                    str(script),
                    url,
                ],
                capture_output=True,
                text=True,
                check=True,
                timeout=120,
            )
    finally:
        server.terminate()
        server.wait(timeout=30)
    line = next(line for line in done.stdout.splitlines() if line.startswith("RESULT "))
    p50, p95, p99, requests, errors = (int(x) for x in line.split()[1:])
    note = (
        f"{requests:,} saves in {SECONDS} s ({requests / SECONDS:,.0f}/s), {errors} errors; "
        f"median {p50 / 1000:.1f} ms, p99 {p99 / 1000:.1f} ms"
    )
    return [
        Measurement(
            "save_value_p95_ms",
            f"Save one value (`POST /api/v1/datavalues`), {CLIENTS} concurrent clients, p95",
            round(p95 / 1000, 1),
            "ms",
            30,
            note,
        )
    ]


NOTES = """\
The server is one waitress process with 8 threads on a 2-core machine, and the load
generator shares those cores. With 50 clients the requests queue: the p95 is mostly
waiting time, about 50 × the time one save takes ÷ the work done in parallel. Each save
asks the policy, checks the unit's assignment and the submission's lock, and writes the
value and its change row in one transaction."""
