/**
 * Synthetic entity mentions for the analytics benchmark, generated inside PostgreSQL.
 *
 * - Time: uniform over the last `days` days (a fraction for minutes).
 * - Labels: skewed, the first of ENTITY_LABELS most frequent (label i has probability
 *   sqrt((i+1)/n) - sqrt(i/n): about 22% for the first, 2.5% for the last of 20).
 * - Entities: within each label a Zipf-like draw from `vocabulary` entity texts: rank r
 *   (1-based) has probability about proportional to r^-exponent (a power law sampled by
 *   inverting its continuous CDF on [1, vocabulary + 1), then floored). Real comment streams
 *   are heavy-tailed like this (a few entities very frequent, a long tail seen once or twice);
 *   exponent 1 is the classic Zipf law. Smaller exponents flatten the distribution.
 */
import type { Client } from 'pg';
import { ENTITY_LABELS } from '../function/src/recognizer/types';

export interface MentionData {
  rows: number;
  vocabulary: number;
  /** Zipf exponent s > 0: P(rank r) ~ r^-s. */
  zipfExponent: number;
  days: number;
}

/** The SQL expression of a 1-based rank drawn from the power law (parameters $3 vocabulary, $4 exponent). */
const ZIPF_RANK = `
  CASE WHEN $4::float8 = 1
       THEN floor(power($3::float8 + 1, random()))
       ELSE floor(power((power($3::float8 + 1, 1 - $4::float8) - 1) * random() + 1, 1 / (1 - $4::float8)))
  END`;

/** Inserts the mentions (the caller drops indexes first for speed and recreates them after). */
export async function insertMentions(client: Client, data: MentionData): Promise<void> {
  await client.query(
    `INSERT INTO entity_mentions (request_id, label, entity_text, processed_at)
     SELECT 'gen-' || (i / 3),
            ($2::text[])[1 + floor(power(random(), 2) * array_length($2::text[], 1))::int],
            'entity ' || least(${ZIPF_RANK}, $3::float8)::int,
            now() - random() * $5::float8 * interval '1 day'
     FROM generate_series(1, $1::bigint) AS i`,
    [data.rows, ENTITY_LABELS, data.vocabulary, data.zipfExponent, data.days],
  );
}

/** How skewed the generated mentions came out (over the whole table). */
export async function describeMentions(client: Client): Promise<Record<string, number>> {
  const { rows } = await client.query(`
    WITH per_entity AS (
      SELECT label, entity_text, count(*) AS mentions FROM entity_mentions GROUP BY 1, 2
    ), ranked AS (
      SELECT mentions, row_number() OVER (PARTITION BY label ORDER BY mentions DESC) AS rank FROM per_entity
    )
    SELECT count(*)::int AS "distinctLabelEntities",
           round(sum(mentions) FILTER (WHERE rank <= 10) / sum(mentions), 3)::float8 AS "shareOfTop10PerLabel",
           round(sum(mentions) FILTER (WHERE rank <= 100) / sum(mentions), 3)::float8 AS "shareOfTop100PerLabel",
           count(*) FILTER (WHERE mentions <= 10)::int AS "labelEntitiesWithAtMost10Mentions"
    FROM ranked`);
  return rows[0];
}
