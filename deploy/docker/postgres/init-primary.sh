#!/bin/sh
# Docker mode only: the primary's first-boot provisioning, run once by the postgres image's entrypoint
# from /docker-entrypoint-initdb.d. It mirrors provision() in stack/src/components/postgres.ts (local
# mode): the `confeitaria` role owning one database per service, `replicator` for the streaming
# replica, and pg_monitor so the exporters can read replication statistics. The deploy tests check
# that the database list here equals serviceDatabases there.
set -eu

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v app_password="$APP_PASSWORD" -v replication_password="$REPLICATION_PASSWORD" <<'SQL'
CREATE ROLE confeitaria WITH LOGIN PASSWORD :'app_password';
CREATE ROLE replicator WITH LOGIN REPLICATION PASSWORD :'replication_password';
GRANT pg_monitor TO confeitaria;
CREATE DATABASE identity OWNER confeitaria;
CREATE DATABASE catalog OWNER confeitaria;
CREATE DATABASE orders OWNER confeitaria;
CREATE DATABASE payments OWNER confeitaria;
CREATE DATABASE notifications OWNER confeitaria;
SQL

# The image's pg_hba.conf admits every database over TCP but not the replication pseudo-database.
echo 'host replication replicator all scram-sha-256' >> "$PGDATA/pg_hba.conf"
