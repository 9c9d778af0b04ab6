-- Up Migration

-- The 5-minute buckets whose mentions changed behind the rollup watermark: a retry of an
-- old request_id deletes its earlier mentions (at the replaced row's processed_at) and
-- records their bucket here in the same transaction. The rollup job takes these rows (one
-- DELETE ... RETURNING, so a retry committing meanwhile stays for the next run) and counts
-- those buckets again, instead of re-reading recent hours on every run: a run now reads only
-- the mentions past the watermark and the changed buckets. A queue, not a set: a bucket may
-- appear more than once, and no key means no lock between concurrent retries.
CREATE TABLE mention_rollup_changes (
  bucket timestamptz NOT NULL
);

-- Down Migration
DROP TABLE IF EXISTS mention_rollup_changes;
