#!/usr/bin/env bash
# Sets up a local PostgreSQL for the Orleans ADO.NET providers and applies sql/postgresql/*.sql.
# Safe to run repeatedly.
#
#   scripts/setup-postgres.sh                # install/start the server, create role + db, schema
#   scripts/setup-postgres.sh --schema-only  # only apply the schema to a server already running
#
# Settings (environment): PGHOST (127.0.0.1), PGPORT (the cluster's port, else 5432),
# ORLEANS_DB (orleans), ORLEANS_DB_USER (orleans), ORLEANS_DB_PASSWORD (orleans).
# The full set-up manages a local Debian/Ubuntu cluster and needs root (or sudo).
set -euo pipefail

PGHOST="${PGHOST:-127.0.0.1}"
ORLEANS_DB="${ORLEANS_DB:-orleans}"
ORLEANS_DB_USER="${ORLEANS_DB_USER:-orleans}"
ORLEANS_DB_PASSWORD="${ORLEANS_DB_PASSWORD:-orleans}"

SCHEMA_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/../sql/postgresql" && pwd)"
SCHEMA_FILES=(01-main.sql 02-clustering.sql 03-persistence.sql 04-reminders.sql)

log() { echo "setup-postgres: $*"; }
die() { echo "setup-postgres: error: $*" >&2; exit 1; }

usage() {
    echo "usage: $0 [--schema-only]"
}

schema_only=false
case "${1:-}" in
    "") ;;
    --schema-only) schema_only=true ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
esac

as_root() {
    if [[ $EUID -eq 0 ]]; then
        "$@"
    elif command -v sudo > /dev/null; then
        sudo "$@"
    else
        die "'$*' needs root"
    fi
}

# psql as the postgres superuser over the local socket (peer authentication), ignoring the
# PGHOST of the caller. Runs from / so psql does not complain about an unreadable cwd.
psql_admin() {
    (cd / && as_root runuser -u postgres -- env -u PGHOST -u PGHOSTADDR \
        psql -X -q -v ON_ERROR_STOP=1 -p "$PGPORT" -d postgres "$@")
}

# Warnings only: a re-run would otherwise print an "already exists, skipping" notice per object.
psql_orleans() {
    PGPASSWORD="$ORLEANS_DB_PASSWORD" PGOPTIONS="-c client_min_messages=warning" psql -X -q -v ON_ERROR_STOP=1 \
        -h "$PGHOST" -p "$PGPORT" -U "$ORLEANS_DB_USER" -d "$ORLEANS_DB" "$@"
}

wait_for_server() {
    local i
    for i in $(seq 1 60); do
        if pg_isready -q -h "$PGHOST" -p "$PGPORT"; then
            return 0
        fi
        sleep 0.5
    done
    die "no server accepting connections on $PGHOST:$PGPORT"
}

ensure_server() {
    if ! compgen -G '/usr/lib/postgresql/*/bin/postgres' > /dev/null; then
        log "installing postgresql"
        as_root apt-get update
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql
    fi

    # First cluster listed (version, name, port, status); create one if the package did not.
    local version name port status
    read -r version name port status _ < <(pg_lsclusters --no-header 2> /dev/null || true) || true
    if [[ -z "${version:-}" ]]; then
        version="$(basename "$(compgen -G '/usr/lib/postgresql/*' | sort -V | tail -n 1)")"
        name=main
        log "creating cluster $version/$name"
        as_root pg_createcluster "$version" "$name"
        read -r version name port status _ < <(pg_lsclusters --no-header | grep -E "^$version +$name ")
    fi
    PGPORT="${PGPORT:-$port}"

    if [[ "$status" != online* ]]; then
        log "starting cluster $version/$name"
        as_root pg_ctlcluster "$version" "$name" start
    else
        log "cluster $version/$name already running"
    fi
}

ensure_role_and_database() {
    log "ensuring role '$ORLEANS_DB_USER' and database '$ORLEANS_DB'"
    # Names and password go in as psql variables and are quoted by format(): no SQL injection.
    # The password is (re)set every run so the role always matches ORLEANS_DB_PASSWORD.
    psql_admin -v role="$ORLEANS_DB_USER" -v pw="$ORLEANS_DB_PASSWORD" -v db="$ORLEANS_DB" <<'SQL'
SELECT format('CREATE ROLE %I', :'role')
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'role') \gexec
SELECT format('ALTER ROLE %I LOGIN PASSWORD %L', :'role', :'pw') \gexec
SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'role')
WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'db') \gexec
SQL
}

apply_schema() {
    local f
    for f in "${SCHEMA_FILES[@]}"; do
        [[ -f "$SCHEMA_DIR/$f" ]] || die "missing $SCHEMA_DIR/$f"
        log "applying $f"
        # One transaction per file: a failing file leaves nothing half-applied.
        psql_orleans -1 -f "$SCHEMA_DIR/$f"
    done
}

if [[ "$schema_only" == true ]]; then
    PGPORT="${PGPORT:-5432}"
else
    ensure_server
fi
wait_for_server
log "server accepting connections on $PGHOST:$PGPORT"
if [[ "$schema_only" != true ]]; then
    ensure_role_and_database
fi
apply_schema
log "done: database '$ORLEANS_DB' on $PGHOST:$PGPORT, user '$ORLEANS_DB_USER'"
