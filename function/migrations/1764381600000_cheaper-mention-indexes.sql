-- Up Migration

-- Cheaper indexes on entity_mentions, the bulk of every write's cost (docs/persistence.md,
-- "PostgreSQL's CPU per stored comment"). Each stored comment has about 2.5 mentions.
--
-- 1. No request_id index. A retry's earlier mentions are found by the replaced row's
--    processed_at, which they share, then filtered by request_id (DELETE_REPLACED_MENTIONS in
--    src/storage/sql.ts). The index served only that lookup and was the costliest part of a
--    write: a random-order text key, about a fifth of PostgreSQL's CPU and of the WAL per
--    stored comment, plus full-page images of random leaf pages after every checkpoint.
-- 2. The time-ordered index carries entity_text, so the rollup job's and the retry lookup's
--    time ranges are read index-only. The label-first index stays: without it, a window's raw
--    edges read every label's mentions of those minutes from the heap, and the all-labels
--    top-entities query over 10M mentions went from p95 50-67 ms to 85-105 ms.
--
-- Built in this migration's transaction, which blocks writes to entity_mentions while it
-- runs: on a large table, first run
--   CREATE INDEX CONCURRENTLY entity_mentions_time_label_text ON entity_mentions (processed_at, label) INCLUDE (entity_text);
-- by hand; the migration then only drops the old indexes.
CREATE INDEX IF NOT EXISTS entity_mentions_time_label_text ON entity_mentions (processed_at, label) INCLUDE (entity_text);
DROP INDEX entity_mentions_request_id;
DROP INDEX entity_mentions_time_label;

-- Down Migration
CREATE INDEX IF NOT EXISTS entity_mentions_time_label ON entity_mentions (processed_at, label);
CREATE INDEX IF NOT EXISTS entity_mentions_request_id ON entity_mentions (request_id);
DROP INDEX IF EXISTS entity_mentions_time_label_text;
