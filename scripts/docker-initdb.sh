#!/usr/bin/env bash
# Applies the Orleans schema in a container of the official postgres image (15 or newer).
# Mount sql/postgresql at /schema (read-only is fine) and this file into
# /docker-entrypoint-initdb.d/; the image runs it once, when the data directory is empty,
# against $POSTGRES_DB as $POSTGRES_USER. ORLEANS_SCHEMA_DIR overrides /schema.
#
# The body runs in a subshell so that it behaves the same whether the entrypoint executes this
# file or sources it (it sources files without the executable bit).
(
    set -euo pipefail
    schema_dir="${ORLEANS_SCHEMA_DIR:-/schema}"
    for f in 01-main.sql 02-clustering.sql 03-persistence.sql 04-reminders.sql; do
        [[ -f "$schema_dir/$f" ]] || { echo "docker-initdb: missing $schema_dir/$f" >&2; exit 1; }
        echo "docker-initdb: applying $f"
        PGOPTIONS="-c client_min_messages=warning" psql -X -q -v ON_ERROR_STOP=1 -1 --no-password \
            --username "$POSTGRES_USER" --dbname "${POSTGRES_DB:-$POSTGRES_USER}" -f "$schema_dir/$f"
    done
)
