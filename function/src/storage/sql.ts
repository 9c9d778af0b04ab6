/** The store's statements; the schema is in function/migrations/. */

/** $1..$5: request_id, entities (JSON), entity_count, model_version, text_length arrays, one element per row. */
export const UPSERT_TEXTS = `
INSERT INTO enriched_texts (request_id, entities, entity_count, model_version, text_length)
SELECT * FROM unnest($1::text[], $2::jsonb[], $3::int[], $4::text[], $5::int[])
ON CONFLICT (request_id) DO UPDATE SET
  entities = EXCLUDED.entities,
  entity_count = EXCLUDED.entity_count,
  model_version = EXCLUDED.model_version,
  text_length = EXCLUDED.text_length,
  processed_at = now()`;

/**
 * $1: the upserted request_ids; $2..$4: request_id, label, entity_text per mention.
 * Runs as the statement after UPSERT_TEXTS in the same transaction: by then this transaction
 * holds the row locks of those ids, and this statement's snapshot includes the mentions of
 * any concurrent writer of the same id that committed first, so they are replaced too.
 */
export const REPLACE_MENTIONS = `
WITH replaced AS (
  DELETE FROM entity_mentions WHERE request_id = ANY($1::text[])
)
INSERT INTO entity_mentions (request_id, label, entity_text, processed_at)
SELECT request_id, label, entity_text, now()
FROM unnest($2::text[], $3::text[], $4::text[]) AS m(request_id, label, entity_text)`;

export const CURRENT_LSN = 'SELECT pg_current_wal_lsn()::text AS lsn';

/** $1: a consistency token or null. True when this server reflects every write up to it. */
export const REPLAYED = `
SELECT $1::pg_lsn IS NULL OR NOT pg_is_in_recovery() OR pg_last_wal_replay_lsn() >= $1::pg_lsn AS replayed`;

export const FIND_RESULT = `
SELECT request_id, entities, model_version, text_length, processed_at
FROM enriched_texts WHERE request_id = $1`;

/**
 * Analytics read the hourly rollups for whole hours before the rollup job's watermark and
 * entity_mentions for the rest of the window: [from, raw1End) before the first whole hour
 * and [until, to) after the rolled-up hours. `until` = max(hs, min(hf, rolled_up_to)).
 * Shared parameters: $1 from, $2 to, $3 hs (first whole hour), $4 raw1End (min(hs, to)),
 * $5 hf (last hour boundary <= to).
 */
const ROLLED_UNTIL = `
rolled AS MATERIALIZED (
  SELECT greatest($3::timestamptz, least($5::timestamptz, rolled_up_to)) AS until FROM mention_rollup_state
)`;

const LABEL_FILTER = '($6::text IS NULL OR label = $6)';

/**
 * Plus $6: the labels (text[]), $7: entities per label. Each label gets its own index scans
 * and a top-N sort of only its own counts.
 */
export const TOP_ENTITIES = `
WITH ${ROLLED_UNTIL}
SELECT l.label, top.entity_text, top.mentions
FROM unnest($6::text[]) AS l(label)
CROSS JOIN LATERAL (
  SELECT entity_text, sum(mentions) AS mentions
  FROM (
    SELECT entity_text, mentions FROM entity_mentions_hourly
    WHERE label = l.label AND bucket >= $3 AND bucket < (SELECT until FROM rolled)
    UNION ALL
    SELECT entity_text, 1 FROM entity_mentions
    WHERE label = l.label AND processed_at >= $1 AND processed_at < $4
    UNION ALL
    SELECT entity_text, 1 FROM entity_mentions
    WHERE label = l.label AND processed_at >= (SELECT until FROM rolled) AND processed_at < $2
  ) counts
  GROUP BY entity_text
  ORDER BY mentions DESC, entity_text
  LIMIT $7
) top
ORDER BY l.label, top.mentions DESC, top.entity_text`;

/** Plus $6: one label or null for all, $7: 'minute' | 'hour' | 'day' (buckets in UTC). */
export const MENTIONS_OVER_TIME = `
WITH ${ROLLED_UNTIL},
counts AS (
  SELECT bucket AS at, label, mentions FROM label_mentions_hourly
  WHERE bucket >= $3 AND bucket < (SELECT until FROM rolled) AND ${LABEL_FILTER}
  UNION ALL
  SELECT processed_at, label, 1 FROM entity_mentions
  WHERE processed_at >= $1 AND processed_at < $4 AND ${LABEL_FILTER}
  UNION ALL
  SELECT processed_at, label, 1 FROM entity_mentions
  WHERE processed_at >= (SELECT until FROM rolled) AND processed_at < $2 AND ${LABEL_FILTER}
)
SELECT date_trunc($7, at, 'UTC') AS bucket_start, label, sum(mentions) AS mentions
FROM counts
GROUP BY 1, 2
ORDER BY 1, 2`;

/** One rollup job at a time across every function instance (transaction-scoped: PgBouncer-safe). */
export const ROLLUP_LOCK = `SELECT pg_try_advisory_xact_lock(hashtext('ner-processor mention rollup')) AS locked`;

/**
 * The hours the rollup job recomputes now: from the watermark (or the oldest mention on the
 * first run), at most $1 hours at a time, up to the last hour closed 5 minutes ago (so no
 * transaction still writing into it); the last 2 closed hours again each time, which
 * picks up mentions moved by late retries.
 */
export const ROLLUP_RANGE = `
SELECT start_at, least(target, start_at + make_interval(hours => $1)) AS end_at, target
FROM (
  SELECT target,
         CASE WHEN rolled_up_to = '-infinity'
              THEN coalesce((SELECT date_trunc('hour', min(processed_at), 'UTC') FROM entity_mentions), target)
              ELSE least(rolled_up_to, target - interval '2 hours')
         END AS start_at
  FROM mention_rollup_state, date_trunc('hour', now() - interval '5 minutes', 'UTC') AS target
) range`;

/** $1, $2: the hours [start, end) to recompute. */
export const ROLLUP_STEPS = [
  'DELETE FROM entity_mentions_hourly WHERE bucket >= $1 AND bucket < $2',
  `INSERT INTO entity_mentions_hourly (bucket, label, entity_text, mentions)
   SELECT date_trunc('hour', processed_at, 'UTC'), label, entity_text, count(*)
   FROM entity_mentions WHERE processed_at >= $1 AND processed_at < $2
   GROUP BY 1, 2, 3`,
  'DELETE FROM label_mentions_hourly WHERE bucket >= $1 AND bucket < $2',
  `INSERT INTO label_mentions_hourly (bucket, label, mentions)
   SELECT bucket, label, sum(mentions) FROM entity_mentions_hourly
   WHERE bucket >= $1 AND bucket < $2
   GROUP BY 1, 2`,
];

/** $1: the end of the hours just recomputed. */
export const ADVANCE_ROLLUP = 'UPDATE mention_rollup_state SET rolled_up_to = greatest(rolled_up_to, $1)';

/**
 * Replication lag as seen by the serving server: 0 on a primary or a standby that has
 * replayed all it received; otherwise the age of the last replayed transaction.
 */
export const FRESHNESS = `
SELECT CASE
         WHEN NOT pg_is_in_recovery() OR pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
         ELSE coalesce(extract(epoch FROM now() - pg_last_xact_replay_timestamp()), 0)
       END AS lag_seconds,
       (SELECT max(processed_at) FROM enriched_texts) AS newest_processed_at`;
