#!/usr/bin/env bash
# Docker mode: Postgres 15 from Debian's package, as local mode runs it. POSTGRES_ROLE picks the part:
#   primary  initdb on first boot; at every boot init-primary.sh against a server that listens on its
#            socket only (nothing can connect before the roles are right); then the server, with the
#            arguments compose passes (`-c name=value` settings)
#   replica  replica-entrypoint.sh: a base backup of the primary on first boot, then streaming
# Runs as the postgres user; PGDATA is set by the image. Passwords come from the environment.
set -euo pipefail
here=$(dirname "$0")

if [[ ${POSTGRES_ROLE:-primary} == replica ]]; then
  exec bash "$here/replica-entrypoint.sh" "$@"
fi

if [[ ! -s $PGDATA/PG_VERSION ]]; then
  pwfile=$(mktemp)
  printf '%s\n' "${POSTGRES_PASSWORD:?POSTGRES_PASSWORD (the superuser password) is required}" > "$pwfile"
  initdb -D "$PGDATA" -U postgres --pwfile="$pwfile" --auth-local=peer --auth-host=scram-sha-256 \
    --encoding=UTF8 --locale=C.UTF-8
  rm -f "$pwfile"
  echo 'host all all all scram-sha-256' >> "$PGDATA/pg_hba.conf"
fi

# Roles and databases at every boot, as local mode does: passwords changed in the environment are
# applied, and a volume made by an older version is brought to the current layout.
pg_ctl -D "$PGDATA" -w -t 120 -o "-c listen_addresses=''" start
POSTGRES_USER=postgres bash "$here/init-primary.sh"
pg_ctl -D "$PGDATA" -w -m fast stop

exec postgres -D "$PGDATA" -c listen_addresses='*' "$@"
