/** The store's statements; the schema is in function/migrations/. */

/**
 * One statement writes a batch: upsert the texts, insert their mentions, and record in a
 * transaction-local setting which request_ids replaced an existing row (a retry), for
 * DELETE_REPLACED_MENTIONS. New request_ids, nearly all of them, then cost no lookup in
 * entity_mentions at all.
 * $1..$5: request_id, entities (JSON), entity_count, model_version, text_length per row;
 * $6..$8: request_id, label, entity_text per mention.
 */
export const WRITE_BATCH = `
WITH upserted AS (
  INSERT INTO enriched_texts (request_id, entities, entity_count, model_version, text_length)
  SELECT * FROM unnest($1::text[], $2::jsonb[], $3::int[], $4::text[], $5::int[])
  ON CONFLICT (request_id) DO UPDATE SET
    entities = EXCLUDED.entities,
    entity_count = EXCLUDED.entity_count,
    model_version = EXCLUDED.model_version,
    text_length = EXCLUDED.text_length,
    processed_at = now()
  RETURNING request_id, old.request_id IS NOT NULL AS replaced
),
mentions AS (
  INSERT INTO entity_mentions (request_id, label, entity_text, processed_at)
  SELECT request_id, label, entity_text, now()
  FROM unnest($6::text[], $7::text[], $8::text[]) AS m(request_id, label, entity_text)
)
SELECT set_config('ner_processor.replaced_ids', coalesce(array_agg(request_id) FILTER (WHERE replaced), '{}')::text, true)
FROM upserted`;

/**
 * Deletes the earlier mentions of the request_ids WRITE_BATCH replaced: every mention of
 * theirs not inserted by this transaction. A statement of its own, after WRITE_BATCH: by then
 * this transaction holds those rows' locks, and this statement's fresh snapshot also sees the
 * mentions of a concurrent writer of the same id that committed first (WRITE_BATCH's snapshot
 * may predate that commit, so it could leave them as duplicates). Without replaced ids the
 * one-time filter skips the scan.
 */
export const DELETE_REPLACED_MENTIONS = `
DELETE FROM entity_mentions
WHERE current_setting('ner_processor.replaced_ids') <> '{}'
  AND request_id = ANY(current_setting('ner_processor.replaced_ids')::text[])
  AND xmin <> pg_current_xact_id()::xid`;

export const CURRENT_LSN = 'SELECT pg_current_wal_lsn()::text AS lsn';

/** $1: a consistency token or null. True when this server reflects every write up to it. */
export const REPLAYED = `
SELECT $1::pg_lsn IS NULL OR NOT pg_is_in_recovery() OR pg_last_wal_replay_lsn() >= $1::pg_lsn AS replayed`;

export const FIND_RESULT = `
SELECT request_id, entities, model_version, text_length, processed_at
FROM enriched_texts WHERE request_id = $1`;

/**
 * Analytics read the hourly rollups from the hour `rollupFrom` up to `until` and
 * entity_mentions for the rest of the window [from, to):
 * - `until` is where the rollups stop: the rollup watermark `rolled_up_to` (to the minute: the
 *   hour it falls in is rolled up partially, up to it) when the window reaches past it, else
 *   the last whole hour of the window before the watermark; never before `rollupFrom`.
 * - mentions in [until, to) are counted raw (the not yet rolled-up tail);
 * - the partial hour at the window's start is either counted raw ([addFrom, addTo)) or, when
 *   `from` lies in the first half of its hour, taken from that hour's rollup minus the raw
 *   mentions of [subtractFrom, subtractTo) before `from`: at most half an hour read raw.
 * Counts can therefore be net of subtracted mentions: only positive totals are answers.
 * Shared parameters: $1 to, $2 rollupFrom, $3 last hour boundary <= to, $4 addFrom,
 * $5 addTo, $6 subtractFrom, $7 subtractTo (see windowParameters in postgres-store.ts).
 */
const ROLLED_UNTIL = `
rolled AS MATERIALIZED (
  SELECT CASE WHEN $1::timestamptz >= rolled_up_to THEN greatest($2::timestamptz, rolled_up_to)
              ELSE greatest($2::timestamptz, least($3::timestamptz, rolled_up_to))
         END AS until
  FROM mention_rollup_state
)`;

/** The raw mentions of the window, each +1 or -1 (subtracted), with the columns `columns`. */
function rawEdges(columns: string, filter: string): string {
  return `
    SELECT ${columns}, 1 AS mentions FROM entity_mentions
    WHERE ${filter} AND processed_at >= $4 AND processed_at < $5
    UNION ALL
    SELECT ${columns}, 1 FROM entity_mentions
    WHERE ${filter} AND processed_at >= (SELECT until FROM rolled) AND processed_at < $1
    UNION ALL
    SELECT ${columns}, -1 FROM entity_mentions
    WHERE ${filter} AND processed_at >= $6 AND processed_at < $7`;
}

/**
 * Plus $8: the labels (text[]), $9: entities per label (K), $10: shortlist length (N >= K).
 *
 * Exact top K without aggregating every rolled-up row of the window (a threshold algorithm,
 * per label):
 * - each rolled-up hour's N most mentioned entities (`hour_lists`, the top of an index) and
 *   the N most mentioned of the raw edges are the candidates; an entity missing from an
 *   hour's list has at most that hour's N-th count `cap` there (0 if the list is complete);
 * - a candidate's total is at least its listed counts plus its raw count (`low`), and at most
 *   that plus the caps of the hours it is not listed in (`high`); an entity on no list has at
 *   most every hour's cap plus the N-th raw count (`labels.caps + raw_cap`);
 * - if the K-th largest `low` exceeds that, the top K are candidates, and only those
 *   whose `high` reaches that K-th `low` can be in it: their exact totals (one index range
 *   each) decide. Otherwise (a flat or sparse distribution) the label is aggregated in full.
 * Heavy-tailed mentions, as real comments are, pass with short lists and few exact totals.
 */
export const TOP_ENTITIES = `
WITH ${ROLLED_UNTIL},
raw AS MATERIALIZED (
  SELECT label, entity_text, sum(mentions) AS mentions,
         row_number() OVER (PARTITION BY label ORDER BY sum(mentions) DESC) AS rank
  FROM (${rawEdges('label, entity_text', 'label = ANY($8::text[])')}
  ) edges
  GROUP BY label, entity_text
),
hour_lists AS MATERIALIZED (
  SELECT l.label, s.entity_text, s.mentions, s.rank,
         CASE WHEN s.listed = $10 THEN s.last ELSE 0 END AS cap
  FROM unnest($8::text[]) AS l(label)
  -- (an array: the planner then expects a few hours, not a thousand, and aggregates by hash)
  CROSS JOIN unnest(ARRAY(SELECT generate_series($2::timestamptz, (SELECT until FROM rolled) - interval '1 microsecond', interval '1 hour'))) AS hours(bucket)
  CROSS JOIN LATERAL (
    SELECT entity_text, mentions, row_number() OVER () AS rank, count(*) OVER () AS listed, min(mentions) OVER () AS last
    FROM (
      SELECT entity_text, mentions FROM entity_mentions_hourly
      WHERE label = l.label AND bucket = hours.bucket
      ORDER BY mentions DESC
      LIMIT $10
    ) top
  ) s
),
-- Labels with a list cut short somewhere: lists that hold everything prove nothing a full
-- aggregation of the same few rows would not, so those labels are aggregated in full.
labels AS MATERIALIZED (
  SELECT label, sum(caps) AS caps, sum(raw_cap) AS raw_cap
  FROM (
    SELECT label, cap AS caps, 0 AS raw_cap FROM hour_lists WHERE rank = 1
    UNION ALL
    SELECT label, 0, greatest(mentions, 0) FROM raw WHERE rank = $10
  ) per_list
  GROUP BY label
  HAVING sum(caps) + sum(raw_cap) > 0
),
-- The shortlisted entities (listed in some hour or among the N most mentioned raw) with their
-- listed counts, the caps of the hours they are listed in and their raw counts. Counts are
-- summed as integer (one hour's or edge's count fits; the sums are bigint): a sum of bigint
-- keeps an allocated state per group and answers numeric, which over the thousands of raw
-- entities of all labels took several times the memory (spilling to disk) and time.
candidates AS MATERIALIZED (
  SELECT label, entity_text, raw, listed + raw AS low, listed + raw + labels.caps - listed_caps AS high
  FROM (
    SELECT label, entity_text, sum(listed) AS listed, sum(listed_caps) AS listed_caps, sum(raw) AS raw
    FROM (
      SELECT label, entity_text, mentions::int AS listed, cap::int AS listed_caps, 0 AS raw, true AS shortlisted
      FROM hour_lists
      UNION ALL
      SELECT label, entity_text, 0, 0, mentions::int, rank <= $10 FROM raw
    ) counts
    WHERE label IN (SELECT label FROM labels)
    GROUP BY label, entity_text
    HAVING bool_or(shortlisted)
  ) summed
  JOIN labels USING (label)
),
proven AS MATERIALIZED (
  SELECT label, kth_low FROM (
    SELECT label, (array_agg(low ORDER BY low DESC))[$9] AS kth_low FROM candidates GROUP BY label
  ) thresholds
  JOIN labels USING (label)
  WHERE kth_low > labels.caps + labels.raw_cap
),
totals AS (
  SELECT c.label, c.entity_text, rolled_up.mentions + c.raw AS mentions,
         row_number() OVER (PARTITION BY c.label ORDER BY rolled_up.mentions + c.raw DESC, c.entity_text) AS rank
  FROM candidates c
  JOIN proven ON proven.label = c.label AND c.high >= proven.kth_low
  CROSS JOIN LATERAL (
    SELECT coalesce(sum(mentions), 0) AS mentions FROM entity_mentions_hourly
    WHERE label = c.label AND entity_text = c.entity_text AND bucket >= $2 AND bucket < (SELECT until FROM rolled)
  ) rolled_up
)
SELECT label, entity_text, mentions FROM totals WHERE rank <= $9
UNION ALL
SELECT l.label, top.entity_text, top.mentions
FROM unnest($8::text[]) AS l(label)
CROSS JOIN LATERAL (
  SELECT entity_text, sum(mentions) AS mentions
  FROM (
    SELECT entity_text, mentions FROM entity_mentions_hourly
    WHERE label = l.label AND bucket >= $2 AND bucket < (SELECT until FROM rolled)
    UNION ALL
    SELECT entity_text, mentions FROM raw WHERE raw.label = l.label
  ) counts
  GROUP BY entity_text
  HAVING sum(mentions) > 0
  ORDER BY mentions DESC, entity_text
  LIMIT $9
) top
WHERE l.label NOT IN (SELECT label FROM proven)
ORDER BY label, mentions DESC, entity_text`;

const LABEL_FILTER = '($8::text IS NULL OR label = $8)';

/** Plus $8: one label or null for all, $9: 'minute' | 'hour' | 'day' (buckets in UTC). */
export const MENTIONS_OVER_TIME = `
WITH ${ROLLED_UNTIL},
counts AS (
  SELECT bucket AS at, label, mentions FROM label_mentions_hourly
  WHERE bucket >= $2 AND bucket < (SELECT until FROM rolled) AND ${LABEL_FILTER}
  UNION ALL${rawEdges('processed_at, label', LABEL_FILTER)}
)
SELECT date_trunc($9, at, 'UTC') AS bucket_start, label, sum(mentions) AS mentions
FROM counts
GROUP BY 1, 2
HAVING sum(mentions) > 0
ORDER BY 1, 2`;

/** One rollup job at a time across every function instance (transaction-scoped: PgBouncer-safe). */
export const ROLLUP_LOCK = `SELECT pg_try_advisory_xact_lock(hashtext('ner-processor mention rollup')) AS locked`;

/**
 * What the rollup job recomputes now: from the hour of the watermark (or of the oldest
 * mention on the first run), at most $1 hours at a time, up to the last minute closed 5
 * minutes ago (so no transaction still writes before it: processed_at is a transaction's
 * start, and writes are cut at DB_STATEMENT_TIMEOUT_MS); the last 2 hours again each time,
 * which picks up mentions moved by late retries. The hour of `target` is rolled up
 * partially, up to `target`, and completed by the next runs.
 */
export const ROLLUP_RANGE = `
SELECT start_at, least(target, start_at + make_interval(hours => $1)) AS end_at, target
FROM (
  SELECT target,
         date_trunc('hour', CASE WHEN rolled_up_to = '-infinity'
              THEN coalesce((SELECT min(processed_at) FROM entity_mentions), target)
              ELSE least(rolled_up_to, target - interval '2 hours')
         END, 'UTC') AS start_at
  FROM mention_rollup_state, date_trunc('minute', now() - interval '5 minutes', 'UTC') AS target
) range`;

/** $1, $2: the mentions [start, end) to recompute: whole hours from `start`, the last one partial if `end` is not a whole hour. */
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

/** $1: the end of the mentions just recomputed. */
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
