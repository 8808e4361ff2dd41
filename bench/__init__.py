"""Benchmarks: ``python -m bench`` (or ``make bench``) runs them and writes docs/PERFORMANCE.md.

Each benchmark is a module with a ``run()`` that returns ``Measurement``s, registered in
``bench.__main__.BENCHMARKS``. It runs in a fresh subprocess per database, because
Django reads TRIENKHAI_DATABASE_URL once, at start-up; the database is new and empty
each time (a SQLite file under var/bench/, a PostgreSQL database ``trienkhai_bench`` on
the server of PG_URL). Results go into the benchmark's own section of
docs/PERFORMANCE.md, between ``<!-- bench:NAME -->`` and ``<!-- /bench:NAME -->``;
other sections of that file are kept.

To add a benchmark: write ``bench/<name>.py`` with ``TITLE`` and ``run()`` (see
``bench/orgs.py``), add it to ``BENCHMARKS``, run ``python -m bench <name>``.
"""
