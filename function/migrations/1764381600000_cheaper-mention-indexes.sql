-- Up Migration

-- Fewer, cheaper indexes on entity_mentions, the bulk of every write's cost (docs/persistence.md,
-- "Where a persisted batch's CPU goes"). Each stored comment has about 2.5 mentions.
--
-- 1. No request_id index. A retry's earlier mentions are found by the replaced row's
--    processed_at, which they share, then filtered by request_id (DELETE_REPLACED_MENTIONS in
--    src/storage/sql.ts). The index served only that lookup and was the costliest part of a
--    write: a random-order text key, about a fifth of PostgreSQL's CPU and of the WAL per
--    stored comment, plus full-page images of random leaf pages after every checkpoint.
-- 2. One time-ordered index instead of (label, processed_at) INCLUDE (entity_text) and
--    (processed_at, label). Every new entry lands at its right end; the label-first index
--    took 20 insertion points in mid-index (one per label), where pages split half-full
--    (WAL and CPU of twice the splits) and INCLUDE leaves no deduplication. Analytics read
--    raw mentions only for short time ranges (window edges under 5 minutes, the rollup job's
--    recent hours): a time range of this index answers them index-only, reading the range's
--    other labels too.
--
-- Built in this migration's transaction, which blocks writes to entity_mentions while it
-- runs: on a large table, first run
--   CREATE INDEX CONCURRENTLY entity_mentions_time_label_text ON entity_mentions (processed_at, label) INCLUDE (entity_text);
-- by hand; the migration then only drops the old indexes.
CREATE INDEX IF NOT EXISTS entity_mentions_time_label_text ON entity_mentions (processed_at, label) INCLUDE (entity_text);
DROP INDEX entity_mentions_request_id;
DROP INDEX entity_mentions_label_time;
DROP INDEX entity_mentions_time_label;

-- Down Migration
CREATE INDEX IF NOT EXISTS entity_mentions_time_label ON entity_mentions (processed_at, label);
CREATE INDEX IF NOT EXISTS entity_mentions_label_time ON entity_mentions (label, processed_at) INCLUDE (entity_text);
CREATE INDEX IF NOT EXISTS entity_mentions_request_id ON entity_mentions (request_id);
DROP INDEX IF EXISTS entity_mentions_time_label_text;
