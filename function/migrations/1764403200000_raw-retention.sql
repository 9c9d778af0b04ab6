-- Up Migration

-- Raw data is kept for RAW_RETENTION_DAYS: the rollup job deletes older enriched_texts and
-- entity_mentions in batches once they are rolled up. `raw_kept_from` is the hour from which
-- every raw mention is still stored (it only moves forward, before any deletion): the job
-- recounts nothing older, and analytics windows reaching back past the retention are
-- counted in whole hours from the hourly rollups, which are kept.
ALTER TABLE mention_rollup_state ADD COLUMN raw_kept_from timestamptz NOT NULL DEFAULT '-infinity';

-- Down Migration
ALTER TABLE mention_rollup_state DROP COLUMN IF EXISTS raw_kept_from;
