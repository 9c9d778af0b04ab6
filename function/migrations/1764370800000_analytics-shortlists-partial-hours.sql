-- Up Migration

-- Exact top entities from shortlists (see TOP_ENTITIES in src/storage/sql.ts):
-- the most mentioned entities of one label in one hour, read from the top of this index...
DROP INDEX entity_mentions_hourly_label;
CREATE INDEX entity_mentions_hourly_label_top ON entity_mentions_hourly (label, bucket, mentions DESC) INCLUDE (entity_text);
-- ...then each shortlisted entity's hours in the window, in one index range.
CREATE INDEX entity_mentions_hourly_entity ON entity_mentions_hourly (label, entity_text, bucket) INCLUDE (mentions);

-- Analytics read recent rows with index-only scans, which need the visibility map set:
-- vacuum these tables after a bounded number of inserts / rewritten rollup rows rather than
-- a fraction of their (large) size, so recent pages do not stay unvacuumed for hours.
ALTER TABLE entity_mentions SET (
  autovacuum_vacuum_insert_scale_factor = 0, autovacuum_vacuum_insert_threshold = 200000,
  autovacuum_vacuum_scale_factor = 0.02
);
ALTER TABLE entity_mentions_hourly SET (
  autovacuum_vacuum_insert_scale_factor = 0, autovacuum_vacuum_insert_threshold = 100000,
  autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 100000
);

-- The rollup job now also rolls up the current hour partially, up to rolled_up_to (to the
-- minute): analysts see whole hours only.
CREATE OR REPLACE VIEW analytics.entity_mentions_hourly AS
  SELECT bucket, label, entity_text, mentions FROM public.entity_mentions_hourly
  WHERE bucket + interval '1 hour' <= (SELECT rolled_up_to FROM public.mention_rollup_state);

-- Down Migration
CREATE OR REPLACE VIEW analytics.entity_mentions_hourly AS
  SELECT bucket, label, entity_text, mentions FROM public.entity_mentions_hourly
  WHERE bucket < (SELECT rolled_up_to FROM public.mention_rollup_state);
ALTER TABLE entity_mentions_hourly RESET (
  autovacuum_vacuum_insert_scale_factor, autovacuum_vacuum_insert_threshold,
  autovacuum_vacuum_scale_factor, autovacuum_vacuum_threshold
);
ALTER TABLE entity_mentions RESET (
  autovacuum_vacuum_insert_scale_factor, autovacuum_vacuum_insert_threshold, autovacuum_vacuum_scale_factor
);
DROP INDEX IF EXISTS entity_mentions_hourly_entity;
DROP INDEX IF EXISTS entity_mentions_hourly_label_top;
CREATE INDEX entity_mentions_hourly_label ON entity_mentions_hourly (label, bucket) INCLUDE (entity_text, mentions);
