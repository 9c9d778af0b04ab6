/** The store's statements; the schema is in function/migrations/. */

const INSERT_TEXTS = `
  INSERT INTO enriched_texts (request_id, entities, entity_count, model_version, text_length)
  SELECT * FROM unnest($1::text[], $2::jsonb[], $3::int[], $4::text[], $5::int[])`;

const INSERT_MENTIONS = `
  INSERT INTO entity_mentions (request_id, label, entity_text, processed_at)
  SELECT request_id, label, entity_text, now()
  FROM unnest($6::text[], $7::text[], $8::text[]) AS m(request_id, label, entity_text)`;

/**
 * Writes a batch of new request_ids, nearly every batch: the texts and their mentions in one
 * statement. A plain INSERT, not an upsert: ON CONFLICT would first probe the primary key of
 * every row, then insert it speculatively and log a confirmation record for it. A request_id
 * that exists already fails it (unique_violation) and the store writes the batch again with
 * UPSERT_BATCH.
 * $1..$5: request_id, entities (JSON), entity_count, model_version, text_length per row;
 * $6..$8: request_id, label, entity_text per mention.
 */
export const INSERT_BATCH = `
WITH texts AS (${INSERT_TEXTS}
)${INSERT_MENTIONS}`;

/**
 * Writes a batch holding retried request_ids (same parameters as INSERT_BATCH): upserts the
 * texts, inserts their mentions, and records in transaction-local settings which
 * request_ids replaced an existing row and when that row was written (its processed_at,
 * which its mentions share), for DELETE_REPLACED_MENTIONS.
 */
export const UPSERT_BATCH = `
WITH upserted AS (${INSERT_TEXTS}
  ON CONFLICT (request_id) DO UPDATE SET
    entities = EXCLUDED.entities,
    entity_count = EXCLUDED.entity_count,
    model_version = EXCLUDED.model_version,
    text_length = EXCLUDED.text_length,
    processed_at = now()
  RETURNING request_id, old.processed_at AS replaced_at
),
mentions AS (${INSERT_MENTIONS}
)
SELECT set_config('ner_processor.replaced_ids', coalesce(array_agg(request_id) FILTER (WHERE replaced_at IS NOT NULL), '{}')::text, true),
       set_config('ner_processor.replaced_at', coalesce(array_agg(DISTINCT replaced_at) FILTER (WHERE replaced_at IS NOT NULL), '{}')::text, true)
FROM upserted`;

/**
 * Deletes the earlier mentions of the request_ids UPSERT_BATCH replaced: every mention of
 * theirs not inserted by this transaction. Only the replaced row's mentions can exist (each
 * write deletes those before it), and they carry its processed_at: the lookup goes through
 * the (processed_at, label) index, reading the mentions written by the transactions that
 * wrote the replaced rows (entity_mentions has no request_id index: it cost a fifth of
 * PostgreSQL's CPU per write and served only this delete). A statement of its own, after
 * UPSERT_BATCH: by then this transaction holds those rows' locks, and this statement's fresh
 * snapshot also sees the mentions of a concurrent writer of the same id that committed first
 * (UPSERT_BATCH's snapshot may predate that commit, so it could leave them as duplicates).
 * Without replaced ids `replaced` is empty and nothing is scanned. The settings are parsed
 * once, in `replaced`: as plain expressions in the condition the id array was parsed again
 * for every mention scanned (25 ms for 1,000).
 */
export const DELETE_REPLACED_MENTIONS = `
WITH replaced AS MATERIALIZED (
  SELECT current_setting('ner_processor.replaced_ids')::text[] AS ids,
         current_setting('ner_processor.replaced_at')::timestamptz[] AS processed_at
  WHERE current_setting('ner_processor.replaced_ids') <> '{}'
),
-- Their 5-minute buckets change: the rollup job counts them again (TAKE_CHANGED_BUCKETS).
changed AS (
  INSERT INTO mention_rollup_changes (bucket)
  SELECT DISTINCT date_bin('5 minutes', replaced_at, timestamptz 'epoch') FROM replaced, unnest(replaced.processed_at) AS replaced_at
)
DELETE FROM entity_mentions USING replaced
WHERE entity_mentions.processed_at = ANY(replaced.processed_at)
  AND entity_mentions.request_id = ANY(replaced.ids)
  AND entity_mentions.xmin <> pg_current_xact_id()::xid`;

export const CURRENT_LSN = 'SELECT pg_current_wal_lsn()::text AS lsn';

/** $1: a consistency token or null. True when this server reflects every write up to it. */
export const REPLAYED = `
SELECT $1::pg_lsn IS NULL OR NOT pg_is_in_recovery() OR pg_last_wal_replay_lsn() >= $1::pg_lsn AS replayed`;

export const FIND_RESULT = `
SELECT request_id, entities, model_version, text_length, processed_at
FROM enriched_texts WHERE request_id = $1`;

/**
 * Analytics split the window [$1 from, $2 to) into five consecutive parts (`parts`):
 *
 *   raw [from, fine_from) | 5-minute buckets [fine_from, hours_from) | hours [hours_from, hours_to)
 *   | 5-minute buckets [hours_to, fine_to) | raw [fine_to, to)
 *
 * - hours: the whole hours of the window up to the rollup watermark `rolled_up_to` (the hour
 *   it falls in is rolled up partially, up to it). When the window reaches past the
 *   watermark, the rollups are read up to it (hours_to = fine_to = rolled_up_to) and the rest,
 *   the not yet rolled-up tail (about a minute: the job runs every minute), raw;
 * - the partial hours at the edges: their whole 5-minute buckets from the five-minute rollups
 *   (which start at `five_minutes_from`: an edge before that is read raw, up to an hour), the
 *   rest raw: less than 5 minutes per edge. A window without a whole hour is read from
 *   5-minute buckets and raw mentions only;
 * - $3 false (minute buckets): everything raw.
 */
const WINDOW_PARTS = `
parts AS MATERIALIZED (
  SELECT CASE WHEN a < five_minutes_from THEN b ELSE a END AS fine_from, b AS hours_from,
         c AS hours_to, CASE WHEN c < five_minutes_from THEN c ELSE d END AS fine_to
  FROM mention_rollup_state
  CROSS JOIN LATERAL (
    SELECT greatest($1::timestamptz, least($2::timestamptz, rolled_up_to)) AS rolled_end, $2::timestamptz >= rolled_up_to AS open_end
  ) rolled
  CROSS JOIN LATERAL (
    SELECT date_trunc('hour', $1::timestamptz - interval '1 microsecond', 'UTC') + interval '1 hour' AS first_hour,
           CASE WHEN open_end THEN rolled_end ELSE date_trunc('hour', rolled_end, 'UTC') END AS hours_end,
           date_bin('5 minutes', $1::timestamptz - interval '1 microsecond', timestamptz 'epoch') + interval '5 minutes' AS first_five,
           CASE WHEN open_end THEN rolled_end ELSE date_bin('5 minutes', rolled_end, timestamptz 'epoch') END AS fives_end
  ) bounds
  CROSS JOIN LATERAL (SELECT $3::boolean AND hours_end > first_hour AS hours, $3::boolean AND fives_end > first_five AS fives) has
  CROSS JOIN LATERAL (
    SELECT CASE WHEN fives THEN first_five ELSE $1::timestamptz END AS a,
           CASE WHEN hours THEN first_hour WHEN fives THEN first_five ELSE $1::timestamptz END AS b,
           CASE WHEN hours THEN hours_end WHEN fives THEN first_five ELSE $1::timestamptz END AS c,
           CASE WHEN fives THEN fives_end ELSE $1::timestamptz END AS d
  ) points
)`;

/** A bound of the window's parts, as a value the planner can use in an index condition. */
const part = (name: 'fine_from' | 'hours_from' | 'hours_to' | 'fine_to'): string => `(SELECT ${name} FROM parts)`;

/** The raw mentions of the window's edges (one row each), with the columns `columns`. */
function rawEdges(columns: string, filter: string): string {
  return `
    SELECT ${columns} FROM entity_mentions
    WHERE ${filter} AND processed_at >= $1 AND processed_at < ${part('fine_from')}
    UNION ALL
    SELECT ${columns} FROM entity_mentions
    WHERE ${filter} AND processed_at >= ${part('fine_to')} AND processed_at < $2`;
}

/** The rolled-up rows of the window: `hourly` rows of its hours and `fiveMinutes` rows of its edges. */
function rolledUp(tables: { hourly: string; fiveMinutes: string }, columns: string, filter: string): string {
  return `
    SELECT ${columns} FROM ${tables.hourly}
    WHERE ${filter} AND bucket >= ${part('hours_from')} AND bucket < ${part('hours_to')}
    UNION ALL
    SELECT ${columns} FROM ${tables.fiveMinutes}
    WHERE ${filter} AND bucket >= ${part('fine_from')} AND bucket < ${part('hours_from')}
    UNION ALL
    SELECT ${columns} FROM ${tables.fiveMinutes}
    WHERE ${filter} AND bucket >= ${part('hours_to')} AND bucket < ${part('fine_to')}`;
}

const ENTITY_ROLLUPS = { hourly: 'entity_mentions_hourly', fiveMinutes: 'entity_mentions_5min' };

/**
 * The N most mentioned entities of each label in each of `buckets` of `table` (the top of
 * its (label, bucket, mentions DESC) index), with the list's cap: its N-th count if the list
 * was cut short, else 0. The buckets come as an array: the planner then expects a few, not
 * the thousand it assumes for generate_series, and aggregates the lists by hash.
 */
function bucketLists(table: string, buckets: string): string {
  return `
  SELECT l.label, s.entity_text, s.mentions, s.rank, CASE WHEN s.listed = $6 THEN s.last ELSE 0 END AS cap
  FROM unnest($4::text[]) AS l(label)
  CROSS JOIN unnest(ARRAY(${buckets})) AS buckets(bucket)
  CROSS JOIN LATERAL (
    SELECT entity_text, mentions, row_number() OVER () AS rank, count(*) OVER () AS listed, min(mentions) OVER () AS last
    FROM (
      SELECT entity_text, mentions FROM ${table}
      WHERE label = l.label AND bucket = buckets.bucket
      ORDER BY mentions DESC
      LIMIT $6
    ) top
  ) s`;
}

/**
 * Plus $4: the labels (text[]), $5: entities per label (K), $6: shortlist length (N >= K).
 *
 * Exact top K without aggregating every rolled-up row of the window (a threshold algorithm,
 * per label):
 * - the lists: the N most mentioned entities of each rolled-up bucket of the window (its hours
 *   and the 5-minute buckets of its edges) and of its raw edges; an entity missing from a
 *   bucket's list has at most that list's N-th count `cap` there (0 if the list is complete);
 * - a candidate's total is at least its listed counts plus its raw count (`low`), and at most
 *   that plus the caps of the buckets it is not listed in (`high`); an entity on no list has
 *   at most every bucket's cap plus the N-th raw count (`labels.caps + raw_cap`);
 * - if the K-th largest `low` exceeds that, the top K are candidates, and only those
 *   whose `high` reaches that K-th `low` can be in it: their exact totals (one index range
 *   per rollup table and part) decide. Otherwise (a flat or sparse distribution) the label is
 *   aggregated in full.
 * Heavy-tailed mentions, as real comments are, pass with short lists and few exact totals.
 */
export const TOP_ENTITIES = `
WITH ${WINDOW_PARTS},
raw AS MATERIALIZED (
  SELECT label, entity_text, count(*) AS mentions,
         row_number() OVER (PARTITION BY label ORDER BY count(*) DESC) AS rank
  FROM (${rawEdges('label, entity_text', 'label = ANY($4::text[])')}
  ) edges
  GROUP BY label, entity_text
),
bucket_lists AS MATERIALIZED (${bucketLists(
  'entity_mentions_hourly',
  `SELECT generate_series(hours_from, hours_to - interval '1 microsecond', interval '1 hour') FROM parts`,
)}
  UNION ALL${bucketLists(
    'entity_mentions_5min',
    `SELECT generate_series(fine_from, hours_from - interval '1 microsecond', interval '5 minutes') FROM parts
     UNION ALL
     SELECT generate_series(hours_to, fine_to - interval '1 microsecond', interval '5 minutes') FROM parts`,
  )}
),
-- Labels with a list cut short somewhere: lists that hold everything prove nothing a full
-- aggregation of the same few rows would not, so those labels are aggregated in full.
labels AS MATERIALIZED (
  SELECT label, sum(caps) AS caps, sum(raw_cap) AS raw_cap
  FROM (
    SELECT label, cap AS caps, 0 AS raw_cap FROM bucket_lists WHERE rank = 1
    UNION ALL
    SELECT label, 0, mentions FROM raw WHERE rank = $6
  ) per_list
  GROUP BY label
  HAVING sum(caps) + sum(raw_cap) > 0
),
-- The shortlisted entities (listed in some bucket or among the N most mentioned raw) with
-- their listed counts, the caps of the buckets they are listed in and their raw counts. Counts
-- are summed as integer (one bucket's or edge's count fits; the sums are bigint): a sum of
-- bigint keeps an allocated state per group and answers numeric, which over the thousands of
-- raw entities of all labels took several times the memory (spilling to disk) and time.
candidates AS MATERIALIZED (
  SELECT label, entity_text, raw, listed + raw AS low, listed + raw + labels.caps - listed_caps AS high
  FROM (
    SELECT label, entity_text, sum(listed) AS listed, sum(listed_caps) AS listed_caps, sum(raw) AS raw
    FROM (
      SELECT label, entity_text, mentions::int AS listed, cap::int AS listed_caps, 0 AS raw, true AS shortlisted
      FROM bucket_lists
      UNION ALL
      SELECT label, entity_text, 0, 0, mentions::int, rank <= $6 FROM raw
    ) counts
    WHERE label IN (SELECT label FROM labels)
    GROUP BY label, entity_text
    HAVING bool_or(shortlisted)
  ) summed
  JOIN labels USING (label)
),
proven AS MATERIALIZED (
  SELECT label, kth_low FROM (
    SELECT label, (array_agg(low ORDER BY low DESC))[$5] AS kth_low FROM candidates GROUP BY label
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
    SELECT coalesce(sum(mentions), 0) AS mentions
    FROM (${rolledUp(ENTITY_ROLLUPS, 'mentions', 'label = c.label AND entity_text = c.entity_text')}
    ) buckets
  ) rolled_up
)
SELECT label, entity_text, mentions FROM totals WHERE rank <= $5
UNION ALL
SELECT l.label, top.entity_text, top.mentions
FROM unnest($4::text[]) AS l(label)
CROSS JOIN LATERAL (
  SELECT entity_text, sum(mentions) AS mentions
  FROM (${rolledUp(ENTITY_ROLLUPS, 'entity_text, mentions', 'label = l.label')}
    UNION ALL
    SELECT entity_text, mentions FROM raw WHERE raw.label = l.label
  ) counts
  GROUP BY entity_text
  ORDER BY mentions DESC, entity_text
  LIMIT $5
) top
WHERE l.label NOT IN (SELECT label FROM proven)
ORDER BY label, mentions DESC, entity_text`;

const LABEL_FILTER = '($4::text IS NULL OR label = $4)';

/** Plus $4: one label or null for all, $5: 'minute' | 'hour' | 'day' (buckets in UTC). */
export const MENTIONS_OVER_TIME = `
WITH ${WINDOW_PARTS},
counts AS (${rolledUp(
  { hourly: 'label_mentions_hourly', fiveMinutes: 'label_mentions_5min' },
  'bucket AS at, label, mentions',
  LABEL_FILTER,
)}
  UNION ALL${rawEdges('processed_at, label, 1', LABEL_FILTER)}
)
SELECT date_trunc($5, at, 'UTC') AS bucket_start, label, sum(mentions) AS mentions
FROM counts
GROUP BY 1, 2
HAVING sum(mentions) > 0
ORDER BY 1, 2`;

/** One rollup job at a time across every function instance (transaction-scoped: PgBouncer-safe). */
export const ROLLUP_LOCK = `SELECT pg_try_advisory_xact_lock(hashtext('ner-processor mention rollup')) AS locked`;

/**
 * Where the rollup job stands, and the mentions past its watermark it rolls up now:
 * - `target`: the mentions before it are final. `processed_at` is a write transaction's
 *   start, so a transaction still open may yet commit mentions at its start time: target is
 *   the start of the oldest open transaction in this database, and at most now minus $3 ms
 *   (the few microseconds between a transaction's start and its entry in pg_stat_activity).
 *   Only sessions of this role show their start there: the writers are this store's own;
 * - `start_at`: the watermark `rolled_up_to`, from which counts are added (`recount` false);
 *   or, recounted from raw mentions (`recount` true), the hour of the oldest mention on the
 *   first run (or a rebuild: not before `raw_kept_from`, whose hours keep their counts), or
 *   the watermark's hour if the 5-minute level no longer holds that hour;
 * - `end_at`: target, at most $1 hours and about $4 mentions past start (all mentions of
 *   one time at once: a transaction's share it), never before the old watermark.
 * 5-minute buckets are kept from `five_minutes_cutoff` on: $2 days back, to the hour.
 * `raw_kept_from`: raw mentions before it may be deleted (EXPIRE_RAW), so nothing before it is
 * recounted. It is never past the watermark's hour, so recount mode always finds its mentions.
 */
export const ROLLUP_RANGE = `
SELECT start_at, greatest(start_at, rolled_up_to, least(target, start_at + make_interval(hours => $1), (
         -- The time of the mention $4 places on, or the next time after start if that is start.
         SELECT greatest(nth.processed_at, (SELECT min(processed_at) FROM entity_mentions WHERE processed_at > start_at))
         FROM (SELECT processed_at FROM entity_mentions WHERE processed_at >= start_at ORDER BY processed_at OFFSET $4 LIMIT 1) nth
       ))) AS end_at,
       start_at <> rolled_up_to AS recount, rolled_up_to = '-infinity' AS first_run,
       target, five_minutes_cutoff, five_minutes_from, raw_kept_from
FROM (
  SELECT rolled_up_to, five_minutes_from, raw_kept_from, target,
         CASE WHEN rolled_up_to = '-infinity'
                THEN greatest(raw_kept_from, date_trunc('hour', coalesce((SELECT min(processed_at) FROM entity_mentions), target), 'UTC'))
              WHEN date_trunc('hour', rolled_up_to, 'UTC') >= five_minutes_from THEN rolled_up_to
              ELSE date_trunc('hour', rolled_up_to, 'UTC')
         END AS start_at,
         date_trunc('hour', now() - $2 * interval '1 day', 'UTC') AS five_minutes_cutoff
  FROM mention_rollup_state
  CROSS JOIN LATERAL (
    SELECT least(now() - $3 * interval '1 millisecond', (
      SELECT min(xact_start) FROM pg_stat_activity
      WHERE datname = current_database() AND backend_type = 'client backend' AND pid <> pg_backend_pid()
    )) AS target
  ) open
) state`;

/**
 * Takes the earliest $1 changed 5-minute buckets off the queue DELETE_REPLACED_MENTIONS fills,
 * with every record of each (a bucket may be queued several times). One statement does it: a
 * retry that commits after its snapshot leaves its records for the next run, and the job's
 * later statements see every change it took.
 */
export const TAKE_CHANGED_BUCKETS = `
DELETE FROM mention_rollup_changes
WHERE bucket IN (SELECT DISTINCT bucket FROM mention_rollup_changes ORDER BY bucket LIMIT $1)
RETURNING bucket`;

/** The ranges of a rollup plan as the statements' parameters: $1 starts, $2 ends (disjoint). */
const PLANNED_RANGES = 'unnest($1::timestamptz[], $2::timestamptz[]) AS planned(range_start, range_end)';
const IN_PLANNED_RANGES = 'bucket >= planned.range_start AND bucket < planned.range_end';

/**
 * Counts the raw mentions of the planned ranges into 5-minute buckets again (delete +
 * insert: idempotent). A range ending inside a bucket leaves that bucket partial, up to it.
 * Their hours are adjusted (ADJUST_HOURS_*) or summed again (RESUM_HOURS).
 */
export const RECOUNT_FIVE_MINUTES = [
  `DELETE FROM entity_mentions_5min USING ${PLANNED_RANGES} WHERE ${IN_PLANNED_RANGES}`,
  `INSERT INTO entity_mentions_5min (bucket, label, entity_text, mentions)
   SELECT date_bin('5 minutes', processed_at, timestamptz 'epoch'), label, entity_text, count(*)
   FROM ${PLANNED_RANGES}
   JOIN entity_mentions ON processed_at >= planned.range_start AND processed_at < planned.range_end
   GROUP BY 1, 2, 3`,
  `DELETE FROM label_mentions_5min USING ${PLANNED_RANGES} WHERE ${IN_PLANNED_RANGES}`,
  `INSERT INTO label_mentions_5min (bucket, label, mentions)
   SELECT bucket, label, sum(mentions) FROM ${PLANNED_RANGES}
   JOIN entity_mentions_5min ON ${IN_PLANNED_RANGES}
   GROUP BY 1, 2`,
];

/**
 * $1, $2: the mentions [start, end) past the watermark: their counts are added to both
 * levels (the watermark's bucket and hour hold the mentions before it already). They are read
 * once; a run at a campaign's rate reads about a minute of mentions.
 */
export const ADD_TO_ROLLUPS = `
WITH counted AS MATERIALIZED (
  SELECT date_bin('5 minutes', processed_at, timestamptz 'epoch') AS bucket, label, entity_text, count(*)::int AS mentions
  FROM entity_mentions WHERE processed_at >= $1 AND processed_at < $2
  GROUP BY 1, 2, 3
),
five_minutes AS (
  INSERT INTO entity_mentions_5min (bucket, label, entity_text, mentions)
  SELECT bucket, label, entity_text, mentions FROM counted
  ON CONFLICT (label, entity_text, bucket) DO UPDATE SET mentions = entity_mentions_5min.mentions + EXCLUDED.mentions
),
hours AS (
  INSERT INTO entity_mentions_hourly (bucket, label, entity_text, mentions)
  SELECT date_trunc('hour', bucket, 'UTC'), label, entity_text, sum(mentions) FROM counted GROUP BY 1, 2, 3
  ON CONFLICT (bucket, label, entity_text) DO UPDATE SET mentions = entity_mentions_hourly.mentions + EXCLUDED.mentions
),
label_five_minutes AS (
  INSERT INTO label_mentions_5min (bucket, label, mentions)
  SELECT bucket, label, sum(mentions) FROM counted GROUP BY 1, 2
  ON CONFLICT (bucket, label) DO UPDATE SET mentions = label_mentions_5min.mentions + EXCLUDED.mentions
)
INSERT INTO label_mentions_hourly (bucket, label, mentions)
SELECT date_trunc('hour', bucket, 'UTC'), label, sum(mentions) FROM counted GROUP BY 1, 2
ON CONFLICT (bucket, label) DO UPDATE SET mentions = label_mentions_hourly.mentions + EXCLUDED.mentions`;

/**
 * Adds the 5-minute counts of the planned ranges ($1, $2), negated or not, to their hours.
 * Upserts find each hour row through the primary key (an UPDATE ... FROM was planned as a
 * hash join over the whole hourly table).
 */
function addToHours(sign: '-' | ''): string[] {
  return [
    `INSERT INTO entity_mentions_hourly (bucket, label, entity_text, mentions)
     SELECT date_trunc('hour', bucket, 'UTC'), label, entity_text, ${sign}sum(mentions)
     FROM ${PLANNED_RANGES} JOIN entity_mentions_5min ON ${IN_PLANNED_RANGES}
     GROUP BY 1, 2, 3
     ON CONFLICT (bucket, label, entity_text) DO UPDATE SET mentions = entity_mentions_hourly.mentions + EXCLUDED.mentions`,
    `INSERT INTO label_mentions_hourly (bucket, label, mentions)
     SELECT date_trunc('hour', bucket, 'UTC'), label, ${sign}sum(mentions)
     FROM ${PLANNED_RANGES} JOIN label_mentions_5min ON ${IN_PLANNED_RANGES}
     GROUP BY 1, 2
     ON CONFLICT (bucket, label) DO UPDATE SET mentions = label_mentions_hourly.mentions + EXCLUDED.mentions`,
  ];
}

/**
 * Changed buckets about to be recounted: their old counts are taken off their hours, which
 * hold exactly the sum of their 5-minute buckets, so every row exists and none goes below 0.
 */
export const ADJUST_HOURS_BEFORE = addToHours('-');

/** The changed buckets just recounted: their new counts are added to their hours. */
export const ADJUST_HOURS_AFTER = addToHours('');

/** $1: the adjusted hours: entities (and labels) no longer mentioned there leave them. */
export const DROP_EMPTY_HOURS = [
  'DELETE FROM entity_mentions_hourly WHERE bucket = ANY($1::timestamptz[]) AND mentions = 0',
  'DELETE FROM label_mentions_hourly WHERE bucket = ANY($1::timestamptz[]) AND mentions = 0',
];

/** $1: hours summed again in full from their 5-minute buckets. */
const PLANNED_HOURS = 'unnest($1::timestamptz[]) AS planned(hour)';
const IN_PLANNED_HOURS = "bucket >= planned.hour AND bucket < planned.hour + interval '1 hour'";

export const RESUM_HOURS = [
  'DELETE FROM entity_mentions_hourly WHERE bucket = ANY($1::timestamptz[])',
  `INSERT INTO entity_mentions_hourly (bucket, label, entity_text, mentions)
   SELECT planned.hour, label, entity_text, sum(mentions)
   FROM ${PLANNED_HOURS} JOIN entity_mentions_5min ON ${IN_PLANNED_HOURS}
   GROUP BY 1, 2, 3`,
  'DELETE FROM label_mentions_hourly WHERE bucket = ANY($1::timestamptz[])',
  `INSERT INTO label_mentions_hourly (bucket, label, mentions)
   SELECT planned.hour, label, sum(mentions)
   FROM ${PLANNED_HOURS} JOIN label_mentions_5min ON ${IN_PLANNED_HOURS}
   GROUP BY 1, 2`,
];

/** $1: the five-minute cutoff: older 5-minute buckets are dropped. */
export const EXPIRE_FIVE_MINUTES = [
  'DELETE FROM entity_mentions_5min WHERE bucket < $1',
  'DELETE FROM label_mentions_5min WHERE bucket < $1',
];

/**
 * $1, $2: the mentions [start, end) past the old watermark just rolled up, $3: the five-minute
 * cutoff. The 5-minute buckets now hold [start, end) and, unless this was a first run, what
 * they held before (start is never past the old watermark), minus what expired.
 */
export const ADVANCE_ROLLUP = `
UPDATE mention_rollup_state SET
  rolled_up_to = greatest(rolled_up_to, $2),
  five_minutes_from = greatest($3, CASE WHEN rolled_up_to = '-infinity' THEN $1 ELSE least(five_minutes_from, $1) END)`;

const RAW_KEPT_FROM = '(SELECT raw_kept_from FROM horizon)';

/** Deletes the oldest $2 rows of `table` processed from `from` to raw_kept_from (and meeting `condition`), answering their processed_at. */
function deleteOldest(table: string, from: string, condition?: string): string {
  return `
  DELETE FROM ${table}
  WHERE ctid = ANY(ARRAY(
    SELECT ctid FROM ${table}
    WHERE processed_at >= ${from} AND processed_at < ${RAW_KEPT_FROM}${condition ? ` AND ${condition}` : ''}
    ORDER BY processed_at LIMIT $2))
  RETURNING processed_at`;
}

/**
 * Raw-data retention, one batch per transaction, under ROLLUP_LOCK (so no rollup run recounts
 * what it deletes). $1: retention in days, $2: rows per table and batch, $3 / $4: where the
 * last batch of texts / mentions stopped (its latest processed_at, or -infinity).
 * - `raw_kept_from` moves up to the hour before now - $1 days (an hour more than the analytics
 *   assume, so a function whose clock is behind the server's still finds every raw edge it
 *   reads, retention.ts), never past the rollup watermark's hour (the mentions past it are not
 *   counted yet) and never back;
 * - texts before it are deleted first, mentions only once no such text is left: a text that
 *   still exists keeps its mentions, which a retry of its request_id deletes and replaces.
 * Rows are taken oldest first through the processed_at indexes, from where the last batch
 * stopped (the index entries of rows just deleted stay until vacuum, and each batch would
 * otherwise step over all of them again), and deleted by ctid. Answers how many of each were
 * deleted and the latest processed_at among them, as text (a Date would lose its microseconds;
 * a count below $2: that table is done).
 */
export const EXPIRE_RAW = `
WITH horizon AS (
  UPDATE mention_rollup_state
  SET raw_kept_from = greatest(raw_kept_from, date_trunc('hour', least(now() - make_interval(days => $1, hours => 1), rolled_up_to), 'UTC'))
  RETURNING raw_kept_from
),
texts AS (${deleteOldest('enriched_texts', '$3')}
),
mentions AS (${deleteOldest('entity_mentions', '$4', `NOT EXISTS (SELECT FROM enriched_texts WHERE processed_at < ${RAW_KEPT_FROM})`)}
)
SELECT (SELECT count(*) FROM texts)::int AS texts, (SELECT max(processed_at) FROM texts)::text AS texts_to,
       (SELECT count(*) FROM mentions)::int AS mentions, (SELECT max(processed_at) FROM mentions)::text AS mentions_to`;

/**
 * Replication lag as seen by the serving server: 0 on a primary or a standby that has
 * replayed all it received; otherwise the age of the last replayed transaction.
 */
export const FRESHNESS = `
SELECT CASE
         WHEN NOT pg_is_in_recovery() OR pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
         ELSE coalesce(extract(epoch FROM now() - pg_last_xact_replay_timestamp()), 0)
       END AS lag_seconds,
       (SELECT max(processed_at) FROM enriched_texts) AS newest_processed_at,
       (SELECT nullif(rolled_up_to, '-infinity') FROM mention_rollup_state) AS rolled_up_to`;
