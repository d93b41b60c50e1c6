#!/bin/sh
# Docker mode (and Kubernetes): the primary's first-boot provisioning. entrypoint.sh runs it on our
# Debian image; the official postgres image (deploy/k8s) runs it from /docker-entrypoint-initdb.d. It
# mirrors provision() in stack/src/components/postgres.ts (local mode): the application role
# (APP_USER, the user every service DSN names: POSTGRES_USER in docker-compose.yml) owning one database
# per service, `replicator` for the streaming replica, and pg_monitor so the exporters can read
# replication statistics. The deploy tests check that the database list equals serviceDatabases there.
set -eu

psql -v ON_ERROR_STOP=1 --username "${POSTGRES_USER:-postgres}" --dbname postgres \
  -v app_user="${APP_USER:-confeitaria}" -v app_password="$APP_PASSWORD" \
  -v replication_password="$REPLICATION_PASSWORD" <<'SQL'
CREATE ROLE :"app_user" WITH LOGIN PASSWORD :'app_password';
CREATE ROLE replicator WITH LOGIN REPLICATION PASSWORD :'replication_password';
GRANT pg_monitor TO :"app_user";
CREATE DATABASE identity OWNER :"app_user";
CREATE DATABASE catalog OWNER :"app_user";
CREATE DATABASE orders OWNER :"app_user";
CREATE DATABASE payments OWNER :"app_user";
CREATE DATABASE notifications OWNER :"app_user";
SQL

# Password logins from the network for every database, and for the replication pseudo-database,
# which `all` does not cover.
echo 'host replication replicator all scram-sha-256' >> "$PGDATA/pg_hba.conf"
