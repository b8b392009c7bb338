-- Shared part of the Orleans ADO.NET schema for PostgreSQL: the table of named queries.
-- Every provider loads its queries with the fixed statement
--   SELECT QueryKey, QueryText FROM OrleansQuery
-- so the table and column names must stay as they are (PostgreSQL folds them to lower case and
-- Npgsql matches the column names case-insensitively).
-- Apply this file first, then 02-clustering.sql, 03-persistence.sql, 04-reminders.sql.
-- Safe to apply again.

CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  varchar(64) NOT NULL,
    QueryText text        NOT NULL,

    CONSTRAINT PK_OrleansQuery PRIMARY KEY (QueryKey)
);
