-- Orleans ADO.NET grain storage for PostgreSQL. Needs 01-main.sql and PostgreSQL 15 or newer
-- (NULLS NOT DISTINCT). Safe to apply again.
--
-- A grain's state is found by (ServiceId, grain type, grain key). Orleans splits the key into
-- GrainIdN0/GrainIdN1 (GUID halves, or 0 and the integer key) plus GrainIdExtensionString (the
-- key extension, or the whole key of a string-keyed grain; NULL when there is none) and also
-- sends two int hashes that only serve as a cheap index prefix.
--
-- Version is the grain's ETag: NULL means "no state yet", a write must present the current one
-- and gets the next one back; a stale one gets NULL, which Orleans turns into an
-- InconsistentStateException.

CREATE TABLE IF NOT EXISTS OrleansStorage
(
    GrainIdHash            integer     NOT NULL,
    GrainIdN0              bigint      NOT NULL,
    GrainIdN1              bigint      NOT NULL,
    GrainTypeHash          integer     NOT NULL,
    GrainTypeString        text        NOT NULL,
    GrainIdExtensionString text,
    ServiceId              text        NOT NULL,
    -- NULL after a clear that keeps the row (and its version).
    PayloadBinary          bytea,
    ModifiedOn             timestamptz NOT NULL DEFAULT now(),
    Version                integer     NOT NULL
);

-- One row per grain, so two first writes racing cannot both insert. The strings are hashed to
-- keep index entries small whatever the key length; lookups still compare the full strings.
CREATE UNIQUE INDEX IF NOT EXISTS UX_OrleansStorage_Grain
    ON OrleansStorage (GrainIdHash, GrainTypeHash, ServiceId, GrainIdN0, GrainIdN1,
                       md5(GrainTypeString), md5(GrainIdExtensionString))
    NULLS NOT DISTINCT;

-- Next ETag; wraps instead of overflowing so a very busy grain can keep writing.
CREATE OR REPLACE FUNCTION orleans_storage_next_version(p_version integer)
RETURNS integer
LANGUAGE sql IMMUTABLE
AS $$
    SELECT CASE WHEN p_version >= 2147483647 THEN 1 ELSE p_version + 1 END
$$;

-- Returns the new version, or NULL when @GrainStateVersion is not the stored one.
CREATE OR REPLACE FUNCTION orleans_storage_write(
    p_grain_id_hash    integer,
    p_grain_id_n0      bigint,
    p_grain_id_n1      bigint,
    p_grain_type_hash  integer,
    p_grain_type       text,
    p_key_extension    text,
    p_service_id       text,
    p_version          integer,
    p_payload          bytea)
RETURNS integer
LANGUAGE plpgsql
AS $$
DECLARE
    v_new integer;
BEGIN
    IF p_version IS NULL THEN
        -- First write; if a row already exists another activation won and this one is stale.
        INSERT INTO OrleansStorage
            (GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeHash, GrainTypeString,
             GrainIdExtensionString, ServiceId, PayloadBinary, Version)
        VALUES
            (p_grain_id_hash, p_grain_id_n0, p_grain_id_n1, p_grain_type_hash, p_grain_type,
             p_key_extension, p_service_id, p_payload, 1)
        ON CONFLICT DO NOTHING
        RETURNING Version INTO v_new;
    ELSE
        UPDATE OrleansStorage
        SET PayloadBinary = p_payload,
            Version = orleans_storage_next_version(Version),
            ModifiedOn = now()
        WHERE GrainIdHash = p_grain_id_hash AND GrainTypeHash = p_grain_type_hash
          AND ServiceId = p_service_id
          AND GrainIdN0 = p_grain_id_n0 AND GrainIdN1 = p_grain_id_n1
          AND GrainTypeString = p_grain_type
          AND GrainIdExtensionString IS NOT DISTINCT FROM p_key_extension
          AND Version = p_version
        RETURNING Version INTO v_new;
    END IF;
    RETURN v_new;
END
$$;

-- Clear keeping the row: drops the payload but bumps the version, so a stale activation still
-- fails. Returns the new version, or NULL on a version mismatch.
CREATE OR REPLACE FUNCTION orleans_storage_clear(
    p_grain_id_hash    integer,
    p_grain_id_n0      bigint,
    p_grain_id_n1      bigint,
    p_grain_type_hash  integer,
    p_grain_type       text,
    p_key_extension    text,
    p_service_id       text,
    p_version          integer)
RETURNS integer
LANGUAGE sql
AS $$
    UPDATE OrleansStorage
    SET PayloadBinary = NULL,
        Version = orleans_storage_next_version(Version),
        ModifiedOn = now()
    WHERE GrainIdHash = p_grain_id_hash AND GrainTypeHash = p_grain_type_hash
      AND ServiceId = p_service_id
      AND GrainIdN0 = p_grain_id_n0 AND GrainIdN1 = p_grain_id_n1
      AND GrainTypeString = p_grain_type
      AND GrainIdExtensionString IS NOT DISTINCT FROM p_key_extension
      AND Version = p_version
    RETURNING Version
$$;

-- Clear with DeleteStateOnClear = true: removes the row. Orleans only checks that the returned
-- value differs from the ETag it sent, so the deleted version + 1 is returned (NULL on mismatch).
CREATE OR REPLACE FUNCTION orleans_storage_delete(
    p_grain_id_hash    integer,
    p_grain_id_n0      bigint,
    p_grain_id_n1      bigint,
    p_grain_type_hash  integer,
    p_grain_type       text,
    p_key_extension    text,
    p_service_id       text,
    p_version          integer)
RETURNS integer
LANGUAGE sql
AS $$
    DELETE FROM OrleansStorage
    WHERE GrainIdHash = p_grain_id_hash AND GrainTypeHash = p_grain_type_hash
      AND ServiceId = p_service_id
      AND GrainIdN0 = p_grain_id_n0 AND GrainIdN1 = p_grain_id_n1
      AND GrainTypeString = p_grain_type
      AND GrainIdExtensionString IS NOT DISTINCT FROM p_key_extension
      AND Version = p_version
    RETURNING orleans_storage_next_version(Version)
$$;

-- Query keys, parameter names and the columns read back (PayloadBinary, Version,
-- NewGrainStateVersion, and the first column for clear/delete) are fixed by
-- Orleans.Persistence.AdoNet. Write, clear and delete must return exactly one row.
INSERT INTO OrleansQuery (QueryKey, QueryText)
VALUES
(
    -- No row: state not written yet. A row with NULL payload: cleared, but the ETag remains.
    'ReadFromStorageKey',
    'SELECT PayloadBinary, Version
    FROM OrleansStorage
    WHERE GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash
        AND ServiceId = @ServiceId
        AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
        AND GrainTypeString = @GrainTypeString
        AND GrainIdExtensionString IS NOT DISTINCT FROM @GrainIdExtensionString'
),
(
    'WriteToStorageKey',
    'SELECT orleans_storage_write(@GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash,
        @GrainTypeString, @GrainIdExtensionString, @ServiceId, @GrainStateVersion,
        @PayloadBinary) AS NewGrainStateVersion'
),
(
    'ClearStorageKey',
    'SELECT orleans_storage_clear(@GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash,
        @GrainTypeString, @GrainIdExtensionString, @ServiceId, @GrainStateVersion) AS Version'
),
(
    -- Optional for Orleans, required only with AdoNetGrainStorageOptions.DeleteStateOnClear.
    'DeleteStorageKey',
    'SELECT orleans_storage_delete(@GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash,
        @GrainTypeString, @GrainIdExtensionString, @ServiceId, @GrainStateVersion) AS Version'
)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;
