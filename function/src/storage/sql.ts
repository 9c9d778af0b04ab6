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

/** $1, $2: window [from, to); $3: one label or null for every label; $4: entities per label. */
export const TOP_ENTITIES = `
SELECT label, entity_text, mentions FROM (
  SELECT label, entity_text, count(*) AS mentions,
         row_number() OVER (PARTITION BY label ORDER BY count(*) DESC, entity_text) AS rank
  FROM entity_mentions
  WHERE processed_at >= $1 AND processed_at < $2 AND ($3::text IS NULL OR label = $3)
  GROUP BY label, entity_text
) ranked
WHERE rank <= $4
ORDER BY label, mentions DESC, entity_text`;

/** $1: 'minute' | 'hour' | 'day' (buckets in UTC); $2, $3: window [from, to); $4: one label or null. */
export const MENTIONS_OVER_TIME = `
SELECT date_trunc($1, processed_at, 'UTC') AS bucket_start, label, count(*) AS mentions
FROM entity_mentions
WHERE processed_at >= $2 AND processed_at < $3 AND ($4::text IS NULL OR label = $4)
GROUP BY 1, 2
ORDER BY 1, 2`;

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
