#!/usr/bin/env bash
# PostgreSQL for the `postgres` target (docs/engines.md): installs Debian's
# package when missing, starts the cluster, and creates the warehouse
# database, the role dbt builds as and the role BI tools read as. Idempotent.
# Settings from env vars, with the defaults profiles.yml uses:
#   PGHOST localhost, PGPORT 5432, PGDATABASE user_warehouse,
#   PGUSER / PGPASSWORD dbt / dbt (the builder), BI_READER_PASSWORD bi_reader.
set -euo pipefail

host="${PGHOST:-localhost}"
port="${PGPORT:-5432}"
database="${PGDATABASE:-user_warehouse}"
builder="${PGUSER:-dbt}"
builder_password="${PGPASSWORD:-dbt}"
reader_password="${BI_READER_PASSWORD:-bi_reader}"

if ! command -v pg_ctlcluster >/dev/null; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi

version="$(ls /usr/lib/postgresql | sort -n | tail -1)"
if ! pg_lsclusters -h | grep -q "^${version} main"; then
    pg_createcluster "$version" main >/dev/null
fi
pg_ctlcluster "$version" main start >/dev/null 2>&1 || true
for _ in $(seq 30); do
    pg_isready -q -h "$host" -p "$port" && break
    sleep 1
done

# as the postgres superuser over the local socket, in database $1; the PG*
# vars above are for the warehouse connection, not for this one
as_postgres_in() {
    local db="$1"
    shift
    env -u PGHOST -u PGUSER -u PGPASSWORD -u PGDATABASE -u PGOPTIONS \
        runuser -u postgres -- psql -q -v ON_ERROR_STOP=1 -p "$port" -d "$db" "$@"
}

# quote_literal keeps passwords from env vars out of the SQL text's syntax
as_postgres_in postgres -v builder="$builder" -v builder_password="$builder_password" \
    -v reader_password="$reader_password" <<'SQL'
select format('create role %I login password %L', :'builder', :'builder_password')
where not exists (select from pg_roles where rolname = :'builder') \gexec
select format('alter role %I login password %L', :'builder', :'builder_password') \gexec
select format('create role bi_reader login password %L', :'reader_password')
where not exists (select from pg_roles where rolname = 'bi_reader') \gexec
select format('alter role bi_reader login password %L', :'reader_password') \gexec
SQL
as_postgres_in postgres -v database="$database" -v builder="$builder" <<'SQL'
select format('create database %I owner %I', :'database', :'builder')
where not exists (select from pg_database where datname = :'database') \gexec
SQL
# bi_reader may connect; what it reads is granted by dbt on the marts only
as_postgres_in "$database" -v database="$database" -v builder="$builder" <<'SQL'
select format('grant connect on database %I to bi_reader', :'database') \gexec
-- timestamps are stored in UTC whatever the server's zone (as on DuckDB)
select format('alter database %I set timezone to %L', :'database', 'UTC') \gexec
revoke create on schema public from public;
select format('grant create on schema public to %I', :'builder') \gexec
SQL
echo "postgres ${version} ready: ${host}:${port}/${database} (builder ${builder}, reader bi_reader)"
