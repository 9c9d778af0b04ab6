-- Up Migration

-- Hourly rollups of entity_mentions, so analytics over days of mentions read thousands of
-- rows instead of millions. The store's rollup job recomputes closed hours from
-- entity_mentions (idempotently) and advances mention_rollup_state.rolled_up_to; queries
-- read the rollups before that point and entity_mentions after it, so they are exact
-- whether or not the job has caught up.
CREATE TABLE entity_mentions_hourly (
  bucket      timestamptz NOT NULL,
  label       text NOT NULL,
  entity_text text NOT NULL,
  mentions    bigint NOT NULL,
  PRIMARY KEY (bucket, label, entity_text)
);
-- Top entities of one label: an index-only scan of its hours.
CREATE INDEX entity_mentions_hourly_label ON entity_mentions_hourly (label, bucket) INCLUDE (entity_text, mentions);

CREATE TABLE label_mentions_hourly (
  bucket   timestamptz NOT NULL,
  label    text NOT NULL,
  mentions bigint NOT NULL,
  PRIMARY KEY (bucket, label)
);

-- Every hour before rolled_up_to is in the rollup tables.
CREATE TABLE mention_rollup_state (
  singleton    boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  rolled_up_to timestamptz NOT NULL
);
INSERT INTO mention_rollup_state (rolled_up_to) VALUES ('-infinity');

CREATE VIEW analytics.entity_mentions_hourly AS
  SELECT bucket, label, entity_text, mentions FROM public.entity_mentions_hourly
  WHERE bucket < (SELECT rolled_up_to FROM public.mention_rollup_state);

-- Down Migration
DROP VIEW IF EXISTS analytics.entity_mentions_hourly;
DROP TABLE IF EXISTS mention_rollup_state;
DROP TABLE IF EXISTS label_mentions_hourly;
DROP TABLE IF EXISTS entity_mentions_hourly;
