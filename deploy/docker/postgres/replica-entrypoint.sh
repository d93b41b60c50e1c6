#!/bin/sh
# Docker mode only: the streaming replica. On first boot it clones the primary with pg_basebackup
# (-R writes standby.signal and primary_conninfo, -X stream copies the WAL written meanwhile), exactly
# as local mode does in stack/src/components/postgres.ts; afterwards it just starts and replays.
# Runs as the postgres user; PGPASSWORD holds the replicator password. Started by entrypoint.sh on our
# Debian image (docker mode) and directly on the official image (deploy/k8s).
set -eu

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  until pg_basebackup -h postgres-primary -p 5432 -U replicator -D "$PGDATA" -R -X stream -c fast; do
    echo 'replica: primary not ready for a base backup yet; retrying in 2 s'
    rm -rf "$PGDATA"
    sleep 2
  done
  chmod 0700 "$PGDATA"
fi

# Settings a standby must match or exceed on the primary (max_connections, max_wal_senders).
exec postgres -c listen_addresses='*' -c hot_standby=on -c hot_standby_feedback=on -c max_connections=200 -c max_wal_senders=5 \
  -c shared_buffers=64MB
