-- Orleans ADO.NET reminders for PostgreSQL. Needs 01-main.sql. Safe to apply again.
--
-- Version is the reminder's ETag; every upsert bumps it so concurrent upserts get distinct ETags.
-- GrainHash is the grain's uniform hash (a uint) stored as a signed integer, as Orleans sends it;
-- the range queries compare it signed too, which keeps the ring order consistent.

CREATE TABLE IF NOT EXISTS OrleansRemindersTable
(
    ServiceId    text        NOT NULL,
    GrainId      text        NOT NULL,
    ReminderName text        NOT NULL,
    StartTime    timestamptz NOT NULL,
    -- Milliseconds; Orleans sends an int or, for periods over ~24 days, a bigint.
    Period       bigint      NOT NULL,
    GrainHash    integer     NOT NULL,
    Version      integer     NOT NULL,

    CONSTRAINT PK_OrleansRemindersTable PRIMARY KEY (ServiceId, GrainId, ReminderName)
);

-- Each silo loads the reminders of its hash range.
CREATE INDEX IF NOT EXISTS IX_OrleansRemindersTable_ServiceId_GrainHash
    ON OrleansRemindersTable (ServiceId, GrainHash);

-- Query keys and parameter names are fixed by Orleans.Reminders.AdoNet; it reads GrainId,
-- ReminderName, StartTime, Period and Version back by name. The provider refuses to start
-- unless all seven keys are present.
INSERT INTO OrleansQuery (QueryKey, QueryText)
VALUES
(
    'ReadReminderRowsKey',
    'SELECT GrainId, ReminderName, StartTime, Period, Version
    FROM OrleansRemindersTable
    WHERE ServiceId = @ServiceId AND GrainId = @GrainId'
),
(
    'ReadReminderRowKey',
    'SELECT GrainId, ReminderName, StartTime, Period, Version
    FROM OrleansRemindersTable
    WHERE ServiceId = @ServiceId AND GrainId = @GrainId AND ReminderName = @ReminderName'
),
(
    -- Used when BeginHash < EndHash (signed): the range (BeginHash, EndHash].
    'ReadRangeRows1Key',
    'SELECT GrainId, ReminderName, StartTime, Period, Version
    FROM OrleansRemindersTable
    WHERE ServiceId = @ServiceId AND GrainHash > @BeginHash AND GrainHash <= @EndHash'
),
(
    -- Otherwise the range wraps around the ring (equal bounds mean the whole ring).
    'ReadRangeRows2Key',
    'SELECT GrainId, ReminderName, StartTime, Period, Version
    FROM OrleansRemindersTable
    WHERE ServiceId = @ServiceId AND (GrainHash > @BeginHash OR GrainHash <= @EndHash)'
),
(
    -- One atomic statement, so concurrent upserts of one reminder never fail or share an ETag.
    'UpsertReminderRowKey',
    'INSERT INTO OrleansRemindersTable AS r
        (ServiceId, GrainId, ReminderName, StartTime, Period, GrainHash, Version)
    VALUES (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash, 0)
    ON CONFLICT (ServiceId, GrainId, ReminderName) DO UPDATE
    SET StartTime = EXCLUDED.StartTime,
        Period = EXCLUDED.Period,
        GrainHash = EXCLUDED.GrainHash,
        Version = CASE WHEN r.Version >= 2147483647 THEN 0 ELSE r.Version + 1 END
    RETURNING Version'
),
(
    -- True only when the row existed with the given ETag.
    'DeleteReminderRowKey',
    'WITH deleted AS (
        DELETE FROM OrleansRemindersTable
        WHERE ServiceId = @ServiceId AND GrainId = @GrainId AND ReminderName = @ReminderName
            AND Version = @Version
        RETURNING 1
    )
    SELECT EXISTS (SELECT 1 FROM deleted) AS Deleted'
),
(
    'DeleteReminderRowsKey',
    'DELETE FROM OrleansRemindersTable
    WHERE ServiceId = @ServiceId'
)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;
