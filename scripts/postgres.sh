#!/usr/bin/env bash
# Starts the machine's PostgreSQL and makes the role and database the tests use.
set -euo pipefail
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
if ! $sudo pg_lsclusters -h | grep -q "^$version main"; then
  $sudo pg_createcluster "$version" main >/dev/null
fi
$sudo pg_ctlcluster "$version" main start 2>/dev/null || true
for _ in $(seq 1 30); do
  pg_isready -q -h 127.0.0.1 -p 5432 && break
  sleep 1
done
as_pg() { $sudo -u postgres "$@" 2>/dev/null || su postgres -c "$(printf '%q ' "$@")"; }
if [ "$(id -u)" -eq 0 ]; then as_pg() { su postgres -c "$(printf '%q ' "$@")"; }; fi
if ! as_pg psql -tAc "SELECT 1 FROM pg_roles WHERE rolname='trienkhai'" | grep -q 1; then
  # SUPERUSER so that the test runner can create and drop its databases and extensions.
  as_pg psql -qc "CREATE ROLE trienkhai LOGIN SUPERUSER PASSWORD 'trienkhai'"
fi
if ! as_pg psql -tAc "SELECT 1 FROM pg_database WHERE datname='trienkhai'" | grep -q 1; then
  as_pg createdb -O trienkhai trienkhai
fi
