"""Runs one benchmark inside a fresh process: ``python -m bench.worker MODULE``.

TRIENKHAI_DATABASE_URL names an empty database; the worker migrates it, runs the
module's ``run()`` and prints one line ``BENCH-RESULT {json}`` on stdout. Progress goes
to stderr.
"""

import importlib
import json
import os
import sys

RESULT_PREFIX = "BENCH-RESULT "


def _database_version() -> tuple[str, str]:
    from django.db import connection

    if connection.vendor == "sqlite":
        import sqlite3

        return "sqlite", sqlite3.sqlite_version
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return connection.vendor, str(cursor.fetchone()[0]).split()[0]


def main(module_name: str) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trienkhai.settings")
    import django

    django.setup()
    from django.core.management import call_command

    def progress(message: str) -> None:
        print(f"  {message}", file=sys.stderr, flush=True)

    call_command("migrate", verbosity=0)
    module = importlib.import_module(module_name)
    vendor, version = _database_version()
    results = module.run(progress=progress)
    payload = {
        "database": vendor,
        "version": version,
        "results": [result.to_dict() for result in results],
    }
    print(RESULT_PREFIX + json.dumps(payload, ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
