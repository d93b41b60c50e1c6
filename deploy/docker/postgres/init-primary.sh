#!/bin/sh
# Docker mode (and Kubernetes): the primary's roles and databases. entrypoint.sh runs it at every boot
# of our Debian image, against a server that listens on its socket only; the official postgres image
# (deploy/k8s) runs it once, from /docker-entrypoint-initdb.d. It mirrors provisionPrimary() in
# stack/src/components/postgres.ts (local mode), and like it is idempotent:
#   - one login role per service database, named after it and owning it, the only service role that
#     may connect to it (CONNECT revoked from PUBLIC); passwords from <DATABASE>_DB_PASSWORD
#   - the operator (APP_USER, APP_PASSWORD): a member of every service role and of pg_monitor, for the
#     auditor, the exporters and the tests; `replicator` for the streaming replica
#   - a volume from before one role per service (everything owned by the operator) is handed over
# The deploy tests check that the database list equals serviceDatabases there.
set -eu
databases='identity catalog orders payments notifications'
app_user=${APP_USER:-confeitaria}

sql() { psql -v ON_ERROR_STOP=1 --no-psqlrc --quiet --username "${POSTGRES_USER:-postgres}" "$@"; }

sql --dbname postgres -v app_user="$app_user" -v app_password="${APP_PASSWORD:?APP_PASSWORD is required}" \
  -v replication_password="${REPLICATION_PASSWORD:?REPLICATION_PASSWORD is required}" <<'SQL'
SELECT format('CREATE ROLE %I', :'app_user') WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'app_user')
\gexec
ALTER ROLE :"app_user" WITH LOGIN PASSWORD :'app_password';
SELECT 'CREATE ROLE replicator' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'replicator')
\gexec
ALTER ROLE replicator WITH LOGIN REPLICATION PASSWORD :'replication_password';
GRANT pg_monitor TO :"app_user";
REVOKE CONNECT, TEMPORARY ON DATABASE postgres FROM PUBLIC;
GRANT CONNECT ON DATABASE postgres TO :"app_user";
SQL

for database in $databases; do
  variable="$(printf '%s' "$database" | tr '[:lower:]' '[:upper:]')_DB_PASSWORD"
  password=$(eval "printf '%s' \"\${$variable:-}\"")
  [ -n "$password" ] || { echo "init-primary: $variable (the $database role's password) is required" >&2; exit 1; }
  sql --dbname postgres -v app_user="$app_user" -v db="$database" -v password="$password" <<'SQL'
SELECT format('CREATE ROLE %I', :'db') WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'db')
\gexec
ALTER ROLE :"db" WITH LOGIN PASSWORD :'password';
GRANT :"db" TO :"app_user";
SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'db') WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'db')
\gexec
ALTER DATABASE :"db" OWNER TO :"db";
REVOKE CONNECT, TEMPORARY ON DATABASE :"db" FROM PUBLIC;
SQL
done

# Only after every database has its owner: REASSIGN also moves the databases the operator still owns.
for database in $databases; do
  echo 'REASSIGN OWNED BY :"app_user" TO :"db";' | sql --dbname "$database" -v app_user="$app_user" -v db="$database"
done

# Password logins from the network for every database, and for the replication pseudo-database,
# which `all` does not cover.
line='host replication replicator all scram-sha-256'
grep -qxF "$line" "$PGDATA/pg_hba.conf" || echo "$line" >> "$PGDATA/pg_hba.conf"
