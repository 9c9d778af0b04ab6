-- Up Migration

-- Five-minute rollups for the edges of analytics windows (the partial hours at a window's
-- start and end): an edge reads at most 11 five-minute buckets (top entities: the top of
-- each bucket's list, like the hours) and less than 5 minutes of raw mentions. The rollup
-- job maintains them with the hourly ones (the hours are now summed from them), in the same
-- transaction, up to the same watermark. They are kept for a retention period only
-- (PostgresStore option fiveMinuteRollupDays); mention_rollup_state.five_minutes_from
-- is where they start: edges before it are read raw.
CREATE TABLE entity_mentions_5min (
  bucket      timestamptz NOT NULL,
  label       text NOT NULL,
  entity_text text NOT NULL,
  mentions    int NOT NULL,
  -- One entity's buckets in a window: one index range (exact totals of candidates).
  PRIMARY KEY (label, entity_text, bucket) INCLUDE (mentions)
);
-- The most mentioned entities of one label in one bucket (the shortlists); also the
-- rollup job's deletes of a bucket range (a skip scan over the few labels).
CREATE INDEX entity_mentions_5min_label_top ON entity_mentions_5min (label, bucket, mentions DESC) INCLUDE (entity_text);
ALTER TABLE entity_mentions_5min SET (
  autovacuum_vacuum_insert_scale_factor = 0, autovacuum_vacuum_insert_threshold = 100000,
  autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 100000
);

CREATE TABLE label_mentions_5min (
  bucket   timestamptz NOT NULL,
  label    text NOT NULL,
  mentions int NOT NULL,
  PRIMARY KEY (bucket, label)
);

-- The five-minute rollups hold every bucket in [five_minutes_from, rolled_up_to). Empty
-- until the next rollup run, which fills them from the hour it recomputes onwards.
ALTER TABLE mention_rollup_state ADD COLUMN five_minutes_from timestamptz;
UPDATE mention_rollup_state SET five_minutes_from = rolled_up_to;
ALTER TABLE mention_rollup_state ALTER COLUMN five_minutes_from SET NOT NULL;

-- Down Migration
ALTER TABLE mention_rollup_state DROP COLUMN IF EXISTS five_minutes_from;
DROP TABLE IF EXISTS label_mentions_5min;
DROP TABLE IF EXISTS entity_mentions_5min;
