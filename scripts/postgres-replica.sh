#!/usr/bin/env bash
# A streaming replica of the machine's PostgreSQL (scripts/postgres.sh, port 5432) as a
# second cluster on port 5433, for the replica tests (docs/decisions/0026-read-replica.md).
# Idempotent: a replica that streams is left alone; one that is stopped is started; one
# that cannot stream (its slot was dropped, its WAL is gone) is built again.
#
#   bash scripts/postgres-replica.sh        make sure the replica streams
#   bash scripts/postgres-replica.sh drop   stop and remove it, and drop its slot (so the
#                                           primary holds back no WAL for it)
set -euo pipefail
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
primary_port=${TRIENKHAI_PRIMARY_PORT:-5432}
port=${TRIENKHAI_REPLICA_PORT:-5433}
cluster=replica
slot=trienkhai_replica
as_pg() { $sudo -u postgres "$@" 2>/dev/null || su postgres -c "$(printf '%q ' "$@")"; }
if [ "$(id -u)" -eq 0 ]; then as_pg() { su postgres -c "$(printf '%q ' "$@")"; }; fi
primary() { as_pg psql -X -p "$primary_port" -tAc "$1"; }
replica() { as_pg psql -X -p "$port" -tAc "$1" 2>/dev/null; }
exists() { $sudo pg_lsclusters -h | grep -q "^$version $cluster "; }

if [ "${1:-}" = "drop" ]; then
  if exists; then $sudo pg_dropcluster --stop "$version" "$cluster"; fi
  if primary "SELECT 1 FROM pg_replication_slots WHERE slot_name='$slot'" | grep -q 1; then
    primary "SELECT pg_drop_replication_slot('$slot')" >/dev/null
  fi
  exit 0
fi

streaming() { replica "SELECT status FROM pg_stat_wal_receiver" | grep -q streaming; }
wait_streaming() {
  for _ in $(seq 1 "$1"); do
    streaming && return 0
    sleep 1
  done
  return 1
}

# The slot keeps on the primary the WAL the replica has not received yet (a replica that
# was stopped catches up instead of being rebuilt). A cap, so that a replica left stopped
# can never fill the primary's disk: past it the slot is given up and the next run of
# this script builds the replica again.
if ! primary "SELECT 1 FROM pg_replication_slots WHERE slot_name='$slot'" | grep -q 1; then
  primary "SELECT pg_create_physical_replication_slot('$slot')" >/dev/null
fi
if [ "$(primary "SHOW max_slot_wal_keep_size")" = "-1" ]; then
  primary "ALTER SYSTEM SET max_slot_wal_keep_size = '2GB'" >/dev/null
  primary "SELECT pg_reload_conf()" >/dev/null
fi

if exists; then
  $sudo pg_ctlcluster "$version" "$cluster" start >/dev/null 2>&1 || true
  wait_streaming 20 && exit 0
  echo "postgres-replica: the replica on port $port does not stream; building it again" >&2
  $sudo pg_dropcluster --stop "$version" "$cluster"
fi

# A new cluster (Debian's configuration in /etc/postgresql/$version/$cluster), its data
# directory replaced by a copy of the primary's: -R writes standby.signal and the
# connection to the primary (the postgres user over the Unix socket, peer
# authentication: no password anywhere), -S streams from the slot.
$sudo pg_createcluster "$version" "$cluster" --port "$port" >/dev/null
datadir=/var/lib/postgresql/$version/$cluster
$sudo find "$datadir" -mindepth 1 -delete
as_pg pg_basebackup -p "$primary_port" -D "$datadir" -R -S "$slot" -X stream -c fast
# A hot standby needs at least the primary's values of these.
conf=/etc/postgresql/$version/$cluster/conf.d/replica.conf
{
  for name in max_connections max_worker_processes max_wal_senders \
    max_prepared_transactions max_locks_per_transaction; do
    echo "$name = $(primary "SHOW $name")"
  done
  echo "hot_standby = on"
} | $sudo tee "$conf" >/dev/null
$sudo pg_ctlcluster "$version" "$cluster" start
if ! wait_streaming 60; then
  echo "postgres-replica: the replica on port $port does not stream" >&2
  exit 1
fi
