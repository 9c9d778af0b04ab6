import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'pg';
import { PgCluster } from '../../test/support/pg-cluster';
import { ENTITY_LABELS, type Entity, type EntityLabel } from '../recognizer/types';
import type { PostgresConfig } from './config';
import { migrate } from './migrations';
import { PostgresStore } from './postgres-store';
import { InvalidConsistencyTokenError, StorageUnavailableError, type EnrichedText } from './types';

function result(requestId: string, entities: Array<[string, EntityLabel]>, modelVersion = 'test-model@1'): EnrichedText {
  let offset = 0;
  const list: Entity[] = entities.map(([text, label]) => {
    const entity = { text, label, start: offset, end: offset + text.length };
    offset += text.length + 1;
    return entity;
  });
  return { requestId, entities: list, modelVersion, textLength: offset };
}

async function waitFor(condition: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

describe('PostgresStore against a real primary and streaming replica', () => {
  let cluster: PgCluster;
  let store: PostgresStore;
  let config: PostgresConfig;

  const rows = (sql: string, values: unknown[] = []) => cluster.query(cluster.primaryDsn, sql, values);

  /** Top entities counted plainly from the raw mentions: what the store must answer. */
  const countTopEntities = async (window: { from: Date; to: Date }, labels: readonly string[], limit: number) =>
    (
      await rows(
        `SELECT label, entity_text, mentions::int FROM (
           SELECT label, entity_text, count(*) AS mentions,
                  row_number() OVER (PARTITION BY label ORDER BY count(*) DESC, entity_text) AS rank
           FROM entity_mentions WHERE processed_at >= $1 AND processed_at < $2 AND label = ANY($3)
           GROUP BY 1, 2) counted
         WHERE rank <= $4 ORDER BY label, mentions DESC, entity_text`,
        [window.from, window.to, labels, limit],
      )
    ).map((row) => ({ label: row.label, entityText: row.entity_text, mentions: row.mentions }));

  /** Mentions per bucket counted plainly from the raw mentions. */
  const countSeries = async (window: { from: Date; to: Date }, bucket: string, label: string | null) =>
    (
      await rows(
        `SELECT date_trunc($3, processed_at, 'UTC') AS at, label, count(*)::int AS mentions FROM entity_mentions
         WHERE processed_at >= $1 AND processed_at < $2 AND ($4::text IS NULL OR label = $4)
         GROUP BY 1, 2 ORDER BY 1, 2`,
        [window.from, window.to, bucket, label],
      )
    ).map((row) => ({ bucketStart: row.at.toISOString(), label: row.label, mentions: row.mentions }));

  /**
   * Every rollup row equals a plain count of the raw mentions before the watermark: hours
   * (the watermark's own partially), and 5-minute buckets from `five_minutes_from` on; hours
   * from `raw_kept_from` on (the raw mentions before it may be deleted).
   */
  const assertRollupsExact = async () => {
    const [differences] = await rows(`
      WITH state AS (SELECT rolled_up_to, five_minutes_from, raw_kept_from FROM mention_rollup_state),
      raw AS (SELECT m.* FROM entity_mentions m, state WHERE processed_at < rolled_up_to AND processed_at >= raw_kept_from),
      hourly AS (SELECT date_trunc('hour', processed_at, 'UTC') AS bucket, label, entity_text, count(*)::int AS mentions FROM raw GROUP BY 1, 2, 3),
      rolled_hours AS (SELECT bucket, label, entity_text, mentions::int FROM entity_mentions_hourly, state WHERE bucket >= raw_kept_from),
      rolled_label_hours AS (SELECT bucket, label, mentions::int FROM label_mentions_hourly, state WHERE bucket >= raw_kept_from),
      fine AS (
        SELECT date_bin('5 minutes', processed_at, timestamptz 'epoch') AS bucket, label, entity_text, count(*)::int AS mentions
        FROM raw, state WHERE processed_at >= five_minutes_from GROUP BY 1, 2, 3
      ),
      rolled_fine AS (SELECT bucket, label, entity_text, mentions FROM entity_mentions_5min, state WHERE bucket >= greatest(five_minutes_from, raw_kept_from))
      SELECT (SELECT count(*) FROM (
                (SELECT * FROM rolled_hours EXCEPT SELECT * FROM hourly)
                UNION ALL (SELECT * FROM hourly EXCEPT SELECT * FROM rolled_hours)) d)::int AS hours,
             (SELECT count(*) FROM (
                (SELECT bucket, label, sum(mentions)::int FROM hourly GROUP BY 1, 2 EXCEPT SELECT * FROM rolled_label_hours)
                UNION ALL (SELECT * FROM rolled_label_hours EXCEPT SELECT bucket, label, sum(mentions)::int FROM hourly GROUP BY 1, 2)) d)::int AS label_hours,
             (SELECT count(*) FROM ((SELECT * FROM rolled_fine EXCEPT SELECT * FROM fine) UNION ALL (SELECT * FROM fine EXCEPT SELECT * FROM rolled_fine)) d)::int AS five_minutes,
             (SELECT count(*) FROM (
                (SELECT bucket, label, sum(mentions)::int FROM fine GROUP BY 1, 2 EXCEPT SELECT bucket, label, mentions FROM label_mentions_5min, state WHERE bucket >= greatest(five_minutes_from, raw_kept_from))
                UNION ALL (SELECT bucket, label, mentions FROM label_mentions_5min, state WHERE bucket >= greatest(five_minutes_from, raw_kept_from) EXCEPT SELECT bucket, label, sum(mentions)::int FROM fine GROUP BY 1, 2)) d)::int AS label_five_minutes`);
    assert.deepEqual(differences, { hours: 0, label_hours: 0, five_minutes: 0, label_five_minutes: 0 }, 'rollup rows that differ from the raw mentions');
  };

  before(async () => {
    cluster = await PgCluster.start({ settings: { wal_retrieve_retry_interval: '100ms' } });
    await migrate(cluster.primaryDsn);
    config = {
      primaryDsn: cluster.primaryDsn,
      replicaDsn: cluster.replicaDsn,
      poolMax: 4,
      connectTimeoutMs: 2000,
      statementTimeoutMs: 2000,
      readWaitMs: 150,
      retryAfterSeconds: 3,
      writeMaxConcurrent: 2,
      writeMaxBatchRows: 1000,
      writeWindowMs: 0,
      rawRetentionDays: 30,
    };
    store = await PostgresStore.open(config, { probeIntervalMs: 100 });
  });

  after(async () => {
    await store?.close();
    await cluster?.destroy();
  });

  beforeEach(async () => {
    await rows(
      'TRUNCATE enriched_texts, entity_mentions, entity_mentions_hourly, label_mentions_hourly, entity_mentions_5min, label_mentions_5min, mention_rollup_changes',
    );
    await rows(`UPDATE mention_rollup_state SET rolled_up_to = '-infinity', five_minutes_from = '-infinity', raw_kept_from = '-infinity'`);
    await cluster.waitForReplica();
  });

  test('a retry with the same request_id leaves one row with the latest result and its mentions', async () => {
    await store.save([result('retry-1', [['Paris', 'GPE'], ['Alice', 'PERSON']], 'model@1')]);
    await store.save([result('retry-1', [['London', 'GPE']], 'model@2')]);

    const texts = await rows('SELECT entities, model_version, entity_count FROM enriched_texts');
    assert.equal(texts.length, 1);
    assert.equal(texts[0].model_version, 'model@2');
    assert.equal(texts[0].entity_count, 1);
    assert.equal(texts[0].entities[0].text, 'London');
    const mentions = await rows('SELECT label, entity_text FROM entity_mentions');
    assert.deepEqual(mentions, [{ label: 'GPE', entity_text: 'london' }]);
  });

  test('a batch retrying ids first written by different transactions replaces only their mentions', async () => {
    await store.save([result('orig-a', [['A1', 'PERSON']]), result('orig-b', [['B1', 'PERSON'], ['B2', 'ORG']]), result('orig-c', [['C1', 'GPE']])]);
    await store.save([result('orig-d', [['D1', 'PERSON']]), result('orig-e', [['E1', 'ORG']])]);
    // orig-b and orig-e come from two earlier transactions (two processed_at values), beside a new id.
    await store.save([result('orig-b', [['B3', 'PERSON']]), result('orig-e', []), result('orig-new', [['N1', 'ORG']])]);

    const mentions = await rows('SELECT request_id, entity_text FROM entity_mentions ORDER BY 1, 2');
    assert.deepEqual(mentions, [
      { request_id: 'orig-a', entity_text: 'a1' },
      { request_id: 'orig-b', entity_text: 'b3' },
      { request_id: 'orig-c', entity_text: 'c1' },
      { request_id: 'orig-d', entity_text: 'd1' },
      { request_id: 'orig-new', entity_text: 'n1' },
    ]);
    const [{ same }] = await rows(`
      SELECT bool_and(m.processed_at = t.processed_at) AS same FROM entity_mentions m JOIN enriched_texts t USING (request_id)`);
    assert.equal(same, true, 'mentions carry their row\'s processed_at, which finds them on a retry');
  });

  test('a batch is deduplicated by request_id, the last occurrence winning', async () => {
    await store.save([
      result('dup-a', [['first', 'PERSON']]),
      result('dup-b', [['Bob', 'PERSON']]),
      result('dup-a', [['second', 'PERSON'], ['#tag', 'HASHTAG']]),
    ]);
    const texts = await rows('SELECT request_id, entity_count FROM enriched_texts ORDER BY request_id');
    assert.deepEqual(texts, [
      { request_id: 'dup-a', entity_count: 2 },
      { request_id: 'dup-b', entity_count: 1 },
    ]);
    const mentions = await rows(`SELECT entity_text FROM entity_mentions WHERE request_id = 'dup-a' ORDER BY 1`);
    assert.deepEqual(mentions.map((row) => row.entity_text), ['#tag', 'second']);
  });

  /**
   * Saves `id` (mention "mine") and a new id while another connection's transaction holds
   * `id`: `hold` runs in it before the save, `finish` once the save waits for a lock, then it
   * commits. Only the save's result and mentions of `id` may remain.
   */
  const saveWhileAnotherWriterHolds = async (id: string, hold: (other: Client) => Promise<unknown>, finish: (other: Client) => Promise<unknown>) => {
    const other = new Client(cluster.primaryDsn);
    await other.connect();
    try {
      await other.query('BEGIN');
      await hold(other);
      const saved = store.save([result(id, [['Mine', 'PERSON']]), result(`${id}-new`, [['New', 'ORG']])]);
      let waiting = false;
      const poll = setInterval(() => {
        void rows(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'ner-processor-primary' AND wait_event_type = 'Lock'`)
          .then(([{ n }]) => (waiting = n > 0));
      }, 20);
      await waitFor(() => waiting, 'the save to wait for a lock').finally(() => clearInterval(poll));
      await finish(other);
      await other.query('COMMIT');
      await saved;
    } finally {
      await other.end();
    }
    const mentions = await rows('SELECT request_id, entity_text FROM entity_mentions ORDER BY 1');
    assert.deepEqual(mentions, [
      { request_id: id, entity_text: 'mine' },
      { request_id: `${id}-new`, entity_text: 'new' },
    ]);
    const [row] = await rows(`SELECT model_version FROM enriched_texts WHERE request_id = $1`, [id]);
    assert.equal(row.model_version, 'test-model@1');
  };

  test('a writer of a new request_id that commits while a save waits for it: its mentions are replaced too', async () => {
    // The save's INSERT waits for this uncommitted row, fails once it commits, and upserts.
    await saveWhileAnotherWriterHolds(
      'race-1',
      async (other) => {
        await other.query(`INSERT INTO enriched_texts (request_id, entities, entity_count, model_version, text_length)
                           VALUES ('race-1', '[]', 1, 'other', 5)`);
        await other.query(`INSERT INTO entity_mentions (request_id, label, entity_text, processed_at)
                           VALUES ('race-1', 'PERSON', 'other', now())`);
      },
      async () => undefined,
    );
  });

  test('a retry whose upsert waits for a concurrent rewrite of its row replaces the mentions of that rewrite', async () => {
    await store.save([result('race-2', [['First', 'PERSON']])]);
    await saveWhileAnotherWriterHolds(
      'race-2',
      // A row lock only: the save's INSERT fails at once (unique_violation), its upsert waits.
      (other) => other.query(`SELECT 1 FROM enriched_texts WHERE request_id = 'race-2' FOR UPDATE`),
      // Then the other writer rewrites the row and its mentions (a new processed_at).
      async (other) => {
        await other.query(`UPDATE enriched_texts SET model_version = 'other', processed_at = now() WHERE request_id = 'race-2'`);
        await other.query(`DELETE FROM entity_mentions WHERE request_id = 'race-2'`);
        await other.query(`INSERT INTO entity_mentions (request_id, label, entity_text, processed_at) VALUES ('race-2', 'PERSON', 'other', now())`);
      },
    );
  });

  test('replaced ids are forgotten at commit: the next write on the connection deletes no new mentions', async () => {
    await store.save([result('keep-1', [['One', 'PERSON']])]);
    await store.save([result('keep-1', [['Two', 'PERSON']])]);
    // Not a retry of keep-1, on the same pooled connections: keep-1's mentions stay.
    for (let i = 0; i < 4; i += 1) await store.save([result(`keep-next-${i}`, [['Three', 'PERSON']])]);
    const mentions = await rows(`SELECT entity_text FROM entity_mentions WHERE request_id = 'keep-1'`);
    assert.deepEqual(mentions, [{ entity_text: 'two' }]);
    const [{ n }] = await rows('SELECT count(*)::int AS n FROM entity_mentions');
    assert.equal(n, 5);
  });

  test('text PostgreSQL cannot hold (NUL, lone surrogates) is stored as U+FFFD, keeping offsets', async () => {
    const id = 'nul\u0000id';
    const receipt = await store.save([result(id, [['a\u0000b', 'PERSON'], ['x\ud800', 'HASHTAG']])]);
    const { value } = await store.findResult(id, receipt.consistencyToken);
    assert.deepEqual(
      value?.entities.map((entity) => entity.text),
      ['a\ufffdb', 'x\ufffd'],
    );
    assert.equal(value?.entities[0].end, 3);
  });

  test('texts with array-literal and JSON syntax, control characters and emoji are stored exactly', async () => {
    const tricky = ['say "hi"', 'back\\slash \\"', '{a,b}', 'NULL', '', ' Spaced  Out ', 'tab\tnew\nline\u0001', 'Zoë 😀 東京'];
    const id = 'id "\\{x,y}';
    const written = result(id, tricky.map((text) => [text, 'PERSON']), 'model "v\\1"');
    const receipt = await store.save([written, result('plain', [['Rome', 'GPE']])]);
    const { value } = await store.findResult(id, receipt.consistencyToken);
    assert.deepEqual(value?.entities, written.entities);
    assert.equal(value?.modelVersion, 'model "v\\1"');
    const mentions = await rows('SELECT entity_text FROM entity_mentions WHERE request_id = $1', [id]);
    const normalized = tricky.map((text) => text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim());
    assert.deepEqual(mentions.map((row) => row.entity_text).sort(), normalized.sort());
  });

  test('token-less reads are served by the replica', async () => {
    const receipt = await store.save([result('replica-read', [['Rome', 'GPE']])]);
    assert.match(receipt.consistencyToken, /^[0-9A-F]+\/[0-9A-F]+$/);
    await cluster.waitForReplica();
    const read = await store.findResult('replica-read');
    assert.equal(read.source, 'replica');
    assert.equal(read.value?.requestId, 'replica-read');
    assert.deepEqual(read.value?.entities, result('replica-read', [['Rome', 'GPE']]).entities);

    const missing = await store.findResult('never-written');
    assert.deepEqual(missing, { value: undefined, source: 'replica' });
  });

  test('read-your-writes: while replay is paused a token read comes from the primary, never stale', async () => {
    await cluster.pauseReplay();
    try {
      const receipt = await store.save([result('ryw', [['Berlin', 'GPE']])]);

      // Without a token the replica answers, and it really is behind.
      const stale = await store.findResult('ryw');
      assert.deepEqual(stale, { value: undefined, source: 'replica' });

      const fresh = await store.findResult('ryw', receipt.consistencyToken);
      assert.equal(fresh.source, 'primary');
      assert.equal(fresh.value?.requestId, 'ryw');

      const lagging = await store.freshness();
      assert.equal(lagging.source, 'replica');
      assert.ok(lagging.value.replicationLagSeconds > 0, 'a paused replica reports lag');
    } finally {
      await cluster.resumeReplay();
    }
    const save = await store.save([result('ryw-2', [['Oslo', 'GPE']])]);
    const caughtUp = await store.findResult('ryw-2', save.consistencyToken);
    assert.equal(caughtUp.value?.requestId, 'ryw-2');
    // Once replayed, the replica serves token reads (possibly after waiting up to readWaitMs).
    await cluster.waitForReplica();
    assert.equal((await store.findResult('ryw', save.consistencyToken)).source, 'replica');
  });

  test('a malformed consistency token is rejected before any query', async () => {
    await assert.rejects(store.findResult('x', "0/1'; DROP TABLE x"), InvalidConsistencyTokenError);
    await assert.rejects(store.findResult('x', ''), InvalidConsistencyTokenError);
  });

  test('analytics: top entities per label, mentions per label over time, freshness', async () => {
    await store.save([
      result('an-1', [['Paris', 'GPE'], ['Alice', 'PERSON']]),
      result('an-2', [['PARIS', 'GPE'], [' alice ', 'PERSON'], ['Bob', 'PERSON']]),
      result('an-3', [['Lyon', 'GPE'], ['paris', 'GPE']]),
    ]);
    await cluster.waitForReplica();
    const window = { from: new Date(Date.now() - 3_600_000), to: new Date(Date.now() + 60_000) };

    const top = await store.topEntities({ ...window, limit: 1 });
    assert.equal(top.source, 'replica');
    assert.deepEqual(top.value, [
      { label: 'GPE', entityText: 'paris', mentions: 3 },
      { label: 'PERSON', entityText: 'alice', mentions: 2 },
    ]);
    const persons = await store.topEntities({ ...window, label: 'PERSON', limit: 10 });
    assert.deepEqual(persons.value.map((row) => [row.entityText, row.mentions]), [['alice', 2], ['bob', 1]]);

    const perDay = await store.mentionsOverTime({ ...window, bucket: 'day' });
    const totals = Object.fromEntries(perDay.value.map((row) => [row.label, row.mentions]));
    assert.deepEqual(totals, { GPE: 4, PERSON: 3 });
    assert.ok(perDay.value.every((row) => row.bucketStart.endsWith('T00:00:00.000Z')), 'day buckets start at UTC midnight');

    const outside = await store.topEntities({ from: new Date(0), to: new Date(1000), limit: 5 });
    assert.deepEqual(outside.value, []);

    const fresh = await store.freshness();
    assert.equal(fresh.value.replicationLagSeconds, 0);
    assert.ok(fresh.value.newestProcessedAt && Date.parse(fresh.value.newestProcessedAt) > window.from.getTime());
    assert.equal(fresh.value.rolledUpTo, null, 'no rollup run yet');
    await store.rollUpMentions();
    const [state] = await rows('SELECT rolled_up_to FROM mention_rollup_state');
    await cluster.waitForReplica();
    assert.equal((await store.freshness()).value.rolledUpTo, state.rolled_up_to.toISOString());
  });

  test('analytics answer the same from hourly rollups as from raw mentions, for any window', async () => {
    // 3,000 mentions over the last 30 hours, one every 36 seconds.
    await rows(`
      INSERT INTO entity_mentions (request_id, label, entity_text, processed_at)
      SELECT 'old-' || i, (ARRAY['PERSON', 'GPE', 'ORG'])[1 + i % 3], 'e' || (i * 7 % 11), now() - i * interval '36 seconds'
      FROM generate_series(1, 3000) AS i`);
    await cluster.waitForReplica();
    const hour = 3_600_000;
    const now = Date.now();
    const thisHour = Math.floor(now / hour) * hour;
    const minute = 60_000;
    const windows = [
      { from: new Date(now - 30 * hour), to: new Date(now + minute) },
      { from: new Date(now - 26 * hour + 17 * minute), to: new Date(now - hour + 3 * minute) },
      { from: new Date(thisHour - 5 * hour), to: new Date(thisHour - 2 * hour) },
      { from: new Date(now - 50 * minute), to: new Date(now - 10 * minute) },
      // `from` early in its hour (that hour's rollup minus the mentions before `from`), up to
      // now (the current hour partly rolled up) or to a time inside an hour
      { from: new Date(thisHour - 20 * hour + 10 * minute), to: new Date(now + minute) },
      { from: new Date(thisHour - 5 * hour + 1), to: new Date(thisHour - 2 * hour + 20 * minute) },
      { from: new Date(thisHour - 2 * hour + 29 * minute), to: new Date(thisHour - hour + 30 * minute) },
      // `from` late in its hour (read raw); a window inside one hour
      { from: new Date(thisHour - 20 * hour + 40 * minute), to: new Date(thisHour - 3 * hour + 20 * minute) },
      { from: new Date(thisHour - 3 * hour + 10 * minute), to: new Date(thisHour - 3 * hour + 20 * minute) },
    ];
    const answersPerWindow = 5;
    const answers = async () => {
      const results: unknown[] = [];
      for (const window of windows) {
        results.push((await store.topEntities({ ...window, limit: 4 })).value);
        results.push((await store.topEntities({ ...window, label: 'GPE', limit: 20 })).value);
        results.push((await store.mentionsOverTime({ ...window, bucket: 'hour' })).value);
        results.push((await store.mentionsOverTime({ ...window, bucket: 'day', label: 'ORG' })).value);
        results.push((await store.mentionsOverTime({ ...window, bucket: 'minute', label: 'GPE' })).value);
      }
      return results;
    };
    const raw = await answers();
    const counted: unknown[] = [];
    for (const window of windows) {
      counted.push(await countTopEntities(window, ['GPE', 'ORG', 'PERSON'], 4));
      counted.push(await countTopEntities(window, ['GPE'], 20));
      counted.push(await countSeries(window, 'hour', null));
      counted.push(await countSeries(window, 'day', 'ORG'));
      counted.push(await countSeries(window, 'minute', 'GPE'));
    }
    assert.deepEqual(raw, counted);

    // Two instances at once: one rolls up, the other skips; then catch up.
    await Promise.all([store.rollUpMentions(), store.rollUpMentions()]);
    while (!(await store.rollUpMentions())) {
      // at most 6 hours per run
    }
    const [state] = await rows(`SELECT rolled_up_to FROM mention_rollup_state`);
    assert.ok(state.rolled_up_to.getTime() >= now - minute, 'rolled up to about now');
    await assertRollupsExact();
    const [view] = await rows(`
      SELECT (SELECT count(*)::int FROM analytics.entity_mentions_hourly WHERE bucket + interval '1 hour' > $1) AS partial,
             (SELECT count(*)::int FROM analytics.entity_mentions_hourly) AS whole`, [state.rolled_up_to]);
    assert.deepEqual(view.partial, 0, 'analysts see whole hours only');
    assert.ok(view.whole > 0);
    const [{ n }] = await rows('SELECT count(*)::int AS n FROM entity_mentions_hourly');
    assert.ok(n > 0);
    await cluster.waitForReplica();
    assert.deepEqual(await answers(), raw);

    // Proof the rollups are read: the raw mentions of whole rolled-up hours no longer matter.
    const wholeHours = windows[2]!;
    await rows(`DELETE FROM entity_mentions WHERE processed_at >= $1 AND processed_at < $2`, [wholeHours.from, wholeHours.to]);
    await cluster.waitForReplica();
    assert.deepEqual((await store.topEntities({ ...wholeHours, limit: 4 })).value, raw[2 * answersPerWindow]);
  });

  test('top entities from hourly shortlists equal a full count of the raw mentions, skewed or flat, any shortlist length', async () => {
    // 8,000 mentions over the last 12 hours: PERSON skewed (entity v drawn with weight 2v+1),
    // GPE flat (37 entities, ties everywhere), ORG a handful.
    await rows(`
      INSERT INTO entity_mentions (request_id, label, entity_text, processed_at)
      SELECT 'sl-' || i,
             (ARRAY['PERSON', 'PERSON', 'GPE', 'ORG'])[1 + i % 4],
             CASE i % 4 WHEN 2 THEN 'g' || (i * 13 % 37) WHEN 3 THEN 'o' || (i % 5)
                        ELSE 'p' || floor(sqrt(i * 7919 % 400))::int END,
             now() - i * interval '5.4 seconds'
      FROM generate_series(1, 8000) AS i`);
    const hour = 3_600_000;
    const now = Date.now();
    const thisHour = Math.floor(now / hour) * hour;
    // LOC's only mention: just before windows[3] starts, in the 5-minute bucket of `from`
    // (read raw from `from`): it must not appear at all.
    await rows(`INSERT INTO entity_mentions VALUES ('sl-loc', 'LOC', 'atlantis', $1)`, [new Date(thisHour - 3 * hour + 5 * 60_000)]);
    // NORP (windows[4]): "b" leads overall (13) without leading anywhere: second in a 5-minute
    // bucket of the start edge (9 to a's 10) and in the one rolled-up hour (4 to x's 5).
    const norp = [['a', 10, -4 * hour - 10 * 60_000], ['b', 9, -4 * hour - 10 * 60_000], ['x', 5, -4 * hour + 10 * 60_000], ['b', 4, -4 * hour + 10 * 60_000]] as const;
    for (const [entity, times, at] of norp) {
      await rows(
        `INSERT INTO entity_mentions SELECT 'sl-norp-' || $1 || i, 'NORP', $1, $2::timestamptz + i * interval '1 second' FROM generate_series(1, $3) AS i`,
        [entity, new Date(thisHour + at), times],
      );
    }
    while (!(await store.rollUpMentions(24))) {
      // catch up
    }
    await cluster.waitForReplica();
    const windows = [
      { from: new Date(now - 12 * hour), to: new Date(now + 60_000) },
      { from: new Date(now - 9 * hour + 17 * 60_000), to: new Date(now - 2 * hour + 3 * 60_000) },
      { from: new Date(thisHour - 6 * hour), to: new Date(thisHour - 2 * hour) },
      { from: new Date(thisHour - 3 * hour + 10 * 60_000), to: new Date(now + 60_000) },
      { from: new Date(thisHour - 5 * hour + 40 * 60_000), to: new Date(thisHour - 3 * hour) },
    ];
    // Shortlist length 1 (= the limit) rarely proves anything: most labels are counted in full;
    // longer lists prove the skewed label from its shortlists.
    for (const topEntitiesShortlist of [1, 4, undefined]) {
      const reader = await PostgresStore.open(config, { topEntitiesShortlist });
      try {
        for (const window of windows) {
          for (const limit of [1, 3, 10]) {
            const all = await reader.topEntities({ ...window, limit });
            assert.deepEqual(all.value, await countTopEntities(window, ENTITY_LABELS, limit), `all labels, limit ${limit}`);
            const persons = await reader.topEntities({ ...window, label: 'PERSON', limit });
            assert.deepEqual(persons.value, await countTopEntities(window, ['PERSON'], limit), `PERSON, limit ${limit}`);
          }
        }
      } finally {
        await reader.close();
      }
    }
    for (const window of windows) {
      const series = await store.mentionsOverTime({ ...window, bucket: 'hour' });
      assert.deepEqual(series.value, await countSeries(window, 'hour', null));
    }
  });

  test('window edges from 5-minute rollups: exact for starts and ends at any minute, ties, sparse and skewed labels, any retention', async () => {
    const hour = 3_600_000;
    const minute = 60_000;
    const now = Date.now();
    const thisHour = Math.floor(now / hour) * hour;
    // 2,700 mentions from 5 hours ago to about 10 minutes from now, one every 7 seconds:
    // PERSON skewed, GPE flat with exact ties (7 entities in turn), ORG sparse (one mention
    // in 97); LOC mentions exactly on every 5-minute boundary (inclusive bucket starts).
    await rows(
      `INSERT INTO entity_mentions (request_id, label, entity_text, processed_at)
       SELECT 'fm-' || i,
              CASE WHEN i % 97 = 0 THEN 'ORG' WHEN i % 3 = 0 THEN 'GPE' ELSE 'PERSON' END,
              CASE WHEN i % 97 = 0 THEN 'o' || (i % 2) WHEN i % 3 = 0 THEN 'g' || (i / 3 % 7)
                   ELSE 'p' || floor(sqrt(i * 7919 % 400))::int END,
              $1::timestamptz + i * interval '7 seconds'
       FROM generate_series(0, 2700) AS i`,
      [new Date(thisHour - 5 * hour)],
    );
    await rows(
      `INSERT INTO entity_mentions (request_id, label, entity_text, processed_at)
       SELECT 'fm-loc-' || i, 'LOC', 'l' || (i % 4), $1::timestamptz + i * interval '5 minutes'
       FROM generate_series(0, 70) AS i`,
      [new Date(thisHour - 5 * hour)],
    );
    const startOffsets = [0, 1, 4 * minute, 5 * minute, 5.5 * minute, 29 * minute, 30 * minute, 31 * minute, 55 * minute, hour - 1];
    const endOffsets = [0, 1, 5 * minute, 7.5 * minute, 30 * minute, 59 * minute];
    const windows = [
      ...startOffsets.flatMap((start) => [
        ...endOffsets.map((end) => ({ from: new Date(thisHour - 4 * hour + start), to: new Date(thisHour - hour + end) })),
        { from: new Date(thisHour - 4 * hour + start), to: new Date(now + minute) },
      ]),
      // inside one hour, inside one 5-minute bucket, across one hour boundary only
      { from: new Date(thisHour - 2 * hour + 3 * minute), to: new Date(thisHour - 2 * hour + 47 * minute) },
      { from: new Date(thisHour - 2 * hour + 10 * minute), to: new Date(thisHour - 2 * hour + 15 * minute) },
      { from: new Date(thisHour - 2 * hour + 11 * minute), to: new Date(thisHour - 2 * hour + 14 * minute) },
      { from: new Date(thisHour - 2 * hour + 50 * minute), to: new Date(thisHour - hour + 10 * minute) },
      { from: new Date(now - 20 * minute), to: new Date(now + minute) },
    ];
    const shortlisted = await PostgresStore.open(config, { topEntitiesShortlist: 3 });
    const answers = async () => {
      const results: unknown[] = [];
      for (const window of windows) {
        results.push((await store.topEntities({ ...window, limit: 3 })).value);
        results.push((await shortlisted.topEntities({ ...window, limit: 3 })).value);
        results.push((await store.topEntities({ ...window, label: 'GPE', limit: 4 })).value);
        results.push((await store.mentionsOverTime({ ...window, bucket: 'hour' })).value);
      }
      return results;
    };
    const counted: unknown[] = [];
    for (const window of windows) {
      const top = await countTopEntities(window, ENTITY_LABELS, 3);
      counted.push(top, top, await countTopEntities(window, ['GPE'], 4), await countSeries(window, 'hour', null));
    }
    try {
      assert.deepEqual(await answers(), counted, 'before any rollup: all raw');
      while (!(await store.rollUpMentions(24))) {
        // catch up
      }
      const [state] = await rows('SELECT rolled_up_to, five_minutes_from FROM mention_rollup_state');
      assert.equal(state.five_minutes_from.getTime(), thisHour - 5 * hour, '5-minute buckets from the first mention on');
      const [buckets] = await rows(`
        SELECT (SELECT count(DISTINCT bucket)::int FROM entity_mentions_5min) AS entities,
               (SELECT count(*)::int FROM entity_mentions_5min WHERE bucket <> date_bin('5 minutes', bucket, timestamptz 'epoch')) AS unaligned`);
      assert.ok(buckets.entities >= 55 && buckets.unaligned === 0, JSON.stringify(buckets));
      await cluster.waitForReplica();
      assert.deepEqual(await answers(), counted, 'hours and 5-minute edges');

      // The 5-minute rollups are read: the raw mentions of whole 5-minute buckets of a start
      // edge and of an end edge no longer matter.
      const edges = { from: new Date(thisHour - 4 * hour + 4 * minute), to: new Date(thisHour - hour + 30 * minute) };
      const expected = [await countTopEntities(edges, ENTITY_LABELS, 3), await countSeries(edges, 'hour', null)];
      await rows(
        `DELETE FROM entity_mentions WHERE processed_at >= $1 AND processed_at < $2 OR processed_at >= $3 AND processed_at < $4`,
        [new Date(thisHour - 4 * hour + 5 * minute), new Date(thisHour - 3 * hour), new Date(thisHour - hour), new Date(thisHour - hour + 30 * minute)],
      );
      await cluster.waitForReplica();
      assert.deepEqual(
        [(await store.topEntities({ ...edges, limit: 3 })).value, (await store.mentionsOverTime({ ...edges, bucket: 'hour' })).value],
        expected,
      );
    } finally {
      await shortlisted.close();
    }

    // Retention: 5-minute buckets kept for 2 hours only. Edges before them are read raw.
    const deleted = await countTopEntities(windows[0]!, ENTITY_LABELS, 3);
    assert.notDeepEqual(deleted, counted[0], 'the deletion above changed the raw counts');
    await rows(`UPDATE mention_rollup_state SET rolled_up_to = '-infinity'`);
    const briefly = await PostgresStore.open(config, { fiveMinuteRollupDays: 2 / 24 });
    try {
      while (!(await briefly.rollUpMentions(24))) {
        // rebuild
      }
    } finally {
      await briefly.close();
    }
    const cutoff = Math.floor((Date.now() - 2 * hour) / hour) * hour;
    const [kept] = await rows(`
      SELECT (SELECT five_minutes_from FROM mention_rollup_state) AS "from",
             (SELECT min(bucket) FROM entity_mentions_5min) AS oldest, (SELECT min(bucket) FROM label_mentions_5min) AS oldest_label`);
    assert.equal(kept.from.getTime(), cutoff);
    assert.ok(kept.oldest.getTime() >= cutoff && kept.oldest_label.getTime() >= cutoff);
    await cluster.waitForReplica();
    for (const window of windows) {
      assert.deepEqual((await store.topEntities({ ...window, limit: 3 })).value, await countTopEntities(window, ENTITY_LABELS, 3));
      assert.deepEqual((await store.mentionsOverTime({ ...window, bucket: 'hour' })).value, await countSeries(window, 'hour', null));
    }
  });

  test('a retry hours after the original moves its mentions out of rolled-up buckets, at either rollup level', async () => {
    await store.save([result('late-1', [['Paris', 'GPE'], ['Alice', 'PERSON']]), result('late-2', [['Paris', 'GPE']])]);
    await store.save([result('late-3', [['Rome', 'GPE']]), result('recent', [['Paris', 'GPE']])]);
    // Written 5 and 30 hours and a minute ago: a text and its mentions share processed_at.
    for (const [ids, hours] of [[['late-1', 'late-2'], 5], [['late-3'], 30], [['recent'], 1 / 60]] as const) {
      for (const table of ['enriched_texts', 'entity_mentions']) {
        await rows(`UPDATE ${table} SET processed_at = processed_at - $2 * interval '1 hour' WHERE request_id = ANY($1)`, [ids, hours]);
      }
    }
    const catchUp = async (roller: PostgresStore) => {
      while (!(await roller.rollUpMentions(48))) {
        // catch up
      }
    };
    await catchUp(store);
    await assertRollupsExact();
    const [before] = await rows(`SELECT sum(mentions)::int AS paris FROM entity_mentions_hourly WHERE entity_text = 'paris'`);
    assert.equal(before.paris, 3);

    // Kept at the 5-minute level (8 days): the changed 5-minute buckets are counted again.
    await store.save([result('late-1', [['London', 'GPE']]), result('late-3', [['Oslo', 'GPE']])]);
    await catchUp(store);
    await assertRollupsExact();
    const [changed] = await rows('SELECT count(*)::int AS left FROM mention_rollup_changes');
    assert.equal(changed.left, 0, 'the job took the changes');

    // 5-minute buckets kept for 2 hours only: a change 5 hours back has its whole hour counted.
    await rows(`UPDATE mention_rollup_state SET rolled_up_to = '-infinity'`);
    const briefly = await PostgresStore.open(config, { fiveMinuteRollupDays: 2 / 24 });
    try {
      await catchUp(briefly);
      await store.save([result('late-2', [['Alice', 'PERSON']])]);
      await catchUp(briefly);
      await assertRollupsExact();
    } finally {
      await briefly.close();
    }
    const [after] = await rows(`SELECT sum(mentions)::int AS paris FROM entity_mentions_hourly WHERE entity_text = 'paris'`);
    assert.equal(after.paris, 1, 'only the recent Paris is still counted');
    const window = { from: new Date(Date.now() - 31 * 3_600_000), to: new Date(Date.now() + 60_000) };
    await cluster.waitForReplica();
    assert.deepEqual((await store.topEntities({ ...window, limit: 5 })).value, await countTopEntities(window, ENTITY_LABELS, 5));
    assert.deepEqual((await store.mentionsOverTime({ ...window, bucket: 'hour' })).value, await countSeries(window, 'hour', null));
  });

  test('raw-data retention deletes old texts and mentions once rolled up; their hours keep counting them', async () => {
    const hour = 3_600_000;
    await store.save([result('old-1', [['Paris', 'GPE'], ['Alice', 'PERSON']]), result('old-2', [['Paris', 'GPE']])]);
    await store.save([result('mid-1', [['Rome', 'GPE']]), result('new-1', [['Paris', 'GPE']])]);
    for (const [ids, hours] of [[['old-1', 'old-2'], 72.5], [['mid-1'], 36], [['new-1'], 1 / 60]] as const) {
      for (const table of ['enriched_texts', 'entity_mentions']) {
        await rows(`UPDATE ${table} SET processed_at = processed_at - $2 * interval '1 hour' WHERE request_id = ANY($1)`, [ids, hours]);
      }
    }
    const requestIds = async (table: string) => (await rows(`SELECT DISTINCT request_id FROM ${table} ORDER BY 1`)).map((row) => row.request_id);
    const keeping = await PostgresStore.open({ ...config, rawRetentionDays: 2 }, { expireBatchRows: 1, rollupSettleMs: 0 });
    try {
      // Nothing is rolled up yet: nothing may go.
      assert.equal(await keeping.expireRawData(), true);
      assert.deepEqual(await requestIds('entity_mentions'), ['mid-1', 'new-1', 'old-1', 'old-2']);
      while (!(await keeping.rollUpMentions(96))) {
        // catch up
      }
      const window = keeping.analyticsWindow({ from: new Date(Date.now() - 73 * hour), to: new Date(Date.now() + 60_000) });
      assert.equal(window.from.getTime() % hour, 0, 'the window starts at a whole hour');
      const counted = [await countTopEntities(window, ENTITY_LABELS, 5), await countSeries(window, 'hour', null)];
      const hourly = 'SELECT bucket, label, entity_text, mentions::int FROM entity_mentions_hourly ORDER BY 1, 2, 3';
      const hoursBefore = await rows(hourly);

      // Another instance's rollup run holds the job's lock: nothing is deleted meanwhile.
      const other = new Client({ connectionString: config.primaryDsn });
      await other.connect();
      try {
        await other.query('BEGIN');
        await other.query(`SELECT pg_advisory_xact_lock(hashtext('ner-processor mention rollup'))`);
        assert.equal(await keeping.expireRawData(), false);
        assert.deepEqual(await requestIds('enriched_texts'), ['mid-1', 'new-1', 'old-1', 'old-2']);
        await other.query('COMMIT');
      } finally {
        await other.end();
      }

      while (!(await keeping.expireRawData())) {
        // one row per transaction (expireBatchRows 1), texts first
      }
      assert.deepEqual(await requestIds('enriched_texts'), ['mid-1', 'new-1']);
      assert.deepEqual(await requestIds('entity_mentions'), ['mid-1', 'new-1']);
      const [state] = await rows('SELECT raw_kept_from FROM mention_rollup_state');
      const keptFrom = state.raw_kept_from.getTime();
      assert.ok(keptFrom % hour === 0 && keptFrom <= Date.now() - 49 * hour && keptFrom > Date.now() - 51 * hour, state.raw_kept_from.toISOString());
      assert.deepEqual(await rows(hourly), hoursBefore, 'the hourly rollups keep the deleted mentions');
      await assertRollupsExact();
      await cluster.waitForReplica();
      assert.deepEqual(
        [(await keeping.topEntities({ ...window, limit: 5 })).value, (await keeping.mentionsOverTime({ ...window, bucket: 'hour' })).value],
        counted,
        'analytics past the retention count what the raw mentions held',
      );

      // A text older than the horizon that is not deleted yet (written late, say), then retried:
      // its old bucket cannot be recounted from raw mentions, so its hour keeps its counts.
      await store.save([result('stale', [['Paris', 'GPE']])]);
      for (const table of ['enriched_texts', 'entity_mentions']) {
        await rows(`UPDATE ${table} SET processed_at = processed_at - interval '72.5 hours' WHERE request_id = 'stale'`);
      }
      await store.save([result('stale', [['Oslo', 'GPE']])]);
      const [queued] = await rows('SELECT count(*)::int AS changes FROM mention_rollup_changes');
      assert.equal(queued.changes, 1, 'the retry recorded its old bucket');
      while (!(await keeping.rollUpMentions(96))) {
        // catch up
      }
      assert.deepEqual(
        (await rows(hourly)).filter((row) => row.bucket.getTime() < keptFrom),
        hoursBefore.filter((row) => row.bucket.getTime() < keptFrom),
        'hours before raw_kept_from are not recounted',
      );
      await assertRollupsExact();

      // A retry of a deleted text is a new text: counted at its new time.
      await store.save([result('old-1', [['London', 'GPE']])]);
      while (!(await keeping.rollUpMentions(96))) {
        // catch up
      }
      await assertRollupsExact();
      const [london] = await rows(`SELECT sum(mentions)::int AS mentions FROM entity_mentions_hourly WHERE entity_text = 'london'`);
      assert.equal(london.mentions, 1);

      // A rebuild recounts from raw_kept_from on, even with a late mention still there before
      // it: the older hours keep their counts.
      await rows(`INSERT INTO entity_mentions VALUES ('late', 'GPE', 'paris', now() - interval '72.5 hours')`);
      const hoursBeforeRebuild = await rows(hourly);
      await rows(`UPDATE mention_rollup_state SET rolled_up_to = '-infinity'`);
      while (!(await keeping.rollUpMentions(96))) {
        // rebuild
      }
      assert.deepEqual(await rows(hourly), hoursBeforeRebuild);
      await assertRollupsExact();
    } finally {
      await keeping.close();
    }
  });

  test('a rollup run takes about rollupMaxMentions past the watermark, all mentions of one time together', async () => {
    // 1,000 mentions over the last 10 hours, and 300 sharing one processed_at (one transaction's).
    await rows(`
      INSERT INTO entity_mentions (request_id, label, entity_text, processed_at)
      SELECT 'cap-' || i, (ARRAY['PERSON', 'GPE'])[1 + i % 2], 'e' || (i % 13), now() - i * interval '36 seconds'
      FROM generate_series(1, 1000) AS i`);
    await rows(`
      INSERT INTO entity_mentions (request_id, label, entity_text, processed_at)
      SELECT 'same-' || i, 'ORG', 'o' || (i % 7), date_trunc('hour', now()) - interval '5 hours' FROM generate_series(1, 300) AS i`);
    const capped = await PostgresStore.open(config, { rollupMaxMentions: 100 });
    try {
      const watermarks: number[] = [];
      while (!(await capped.rollUpMentions(24))) {
        const [state] = await rows('SELECT rolled_up_to FROM mention_rollup_state');
        watermarks.push(state.rolled_up_to.getTime());
        assert.ok(watermarks.length < 40, 'catches up');
      }
      assert.ok(watermarks.length >= 10, `${watermarks.length} runs for 1,300 mentions`);
      assert.ok(watermarks.every((time, i) => i === 0 || time > watermarks[i - 1]!), 'every run moves on');
      await assertRollupsExact();
    } finally {
      await capped.close();
    }
  });

  test('the rollups stop at the oldest open transaction: its mentions commit later, at its start time', async () => {
    const writer = new Client({ connectionString: config.primaryDsn });
    await writer.connect();
    const prompt = await PostgresStore.open(config, { rollupSettleMs: 0 });
    try {
      await writer.query('BEGIN');
      const [{ started }] = (await writer.query(`
        INSERT INTO entity_mentions (request_id, label, entity_text, processed_at) VALUES ('open-1', 'GPE', 'atlantis', now())
        RETURNING processed_at AS started`)).rows;
      await store.save([result('after-open', [['Paris', 'GPE']])]);
      await sleep(20);
      while (!(await prompt.rollUpMentions())) {
        // catch up
      }
      const [held] = await rows('SELECT rolled_up_to FROM mention_rollup_state');
      assert.ok(held.rolled_up_to <= started, `held at ${started.toISOString()}, was ${held.rolled_up_to.toISOString()}`);
      await writer.query('COMMIT');
      while (!(await prompt.rollUpMentions())) {
        // catch up
      }
      const [moved] = await rows('SELECT rolled_up_to FROM mention_rollup_state');
      assert.ok(moved.rolled_up_to > started);
      await assertRollupsExact();
      const [atlantis] = await rows(`SELECT sum(mentions)::int AS mentions FROM entity_mentions_5min WHERE entity_text = 'atlantis'`);
      assert.equal(atlantis.mentions, 1);
    } finally {
      await writer.end();
      await prompt.close();
    }
  });

  test('concurrent writers of overlapping batches: no deadlock, one row and one set of mentions per id', async () => {
    const ids = Array.from({ length: 40 }, (_, i) => `conc-${i}`);
    const writers = Array.from({ length: 8 }, async (_, writer) => {
      for (let round = 0; round < 5; round += 1) {
        // Each writer shuffles the ids differently: lock order must not depend on input order.
        const batch = [...ids]
          .sort(() => Math.random() - 0.5)
          .slice(0, 25)
          .map((id) => result(id, [[`w${writer}`, 'PERSON'], [`r${round}`, 'CARDINAL']]));
        await store.save(batch);
      }
    });
    await Promise.all(writers);
    const texts = await rows(`SELECT count(*)::int AS n FROM enriched_texts`);
    assert.equal(texts[0].n, ids.length);
    const mismatched = await rows(`
      SELECT t.request_id FROM enriched_texts t
      LEFT JOIN entity_mentions m USING (request_id)
      GROUP BY t.request_id, t.entity_count HAVING count(m.*) <> t.entity_count`);
    assert.deepEqual(mismatched, [], 'every row has exactly its own mentions');
  });

  test('group commit: concurrent single saves share transactions, the last save of a request_id wins', async () => {
    // One write in flight: the first save is written alone, the 199 that arrive meanwhile together.
    const grouped = await PostgresStore.open({ ...config, writeMaxConcurrent: 1 }, { probeIntervalMs: 60_000 });
    try {
      const saves = Array.from({ length: 200 }, (_, i) =>
        // gc-0..gc-149, then gc-100..gc-149 saved again with a newer result.
        result(`gc-${i < 150 ? i : i - 50}`, [[`v${i}`, 'PERSON']], `m@${i}`),
      );
      const receipts = await Promise.all(saves.map((item) => grouped.save([item])));
      assert.equal(new Set(receipts.slice(1).map((receipt) => receipt.consistencyToken)).size, 1, 'one commit, one token');

      const stored = await rows(`SELECT request_id, model_version, xmin::text AS xact FROM enriched_texts WHERE request_id LIKE 'gc-%'`);
      assert.equal(stored.length, 150);
      assert.equal(new Set(stored.map((row) => row.xact)).size, 2, 'two transactions wrote 200 saves');
      const latest = new Map(saves.map((item) => [item.requestId, item.modelVersion]));
      for (const row of stored) assert.equal(row.model_version, latest.get(row.request_id), row.request_id);
      const [{ mentions }] = await rows(`SELECT count(*)::int AS mentions FROM entity_mentions WHERE request_id LIKE 'gc-%'`);
      assert.equal(mentions, 150, 'the replaced results left no mentions behind');
    } finally {
      await grouped.close();
    }
  });

  test('group commit under steady load: fewer transactions than saves, every acknowledged save stored', async () => {
    const acknowledged: string[] = [];
    await Promise.all(
      Array.from({ length: 8 }, async (_, writer) => {
        for (let i = 0; i < 40; i += 1) {
          const item = result(`steady-${writer}-${i}`, [['Lyon', 'GPE']]);
          await store.save([item]);
          acknowledged.push(item.requestId);
        }
      }),
    );
    const [{ stored, transactions }] = await rows(
      `SELECT count(*)::int AS stored, count(DISTINCT xmin::text)::int AS transactions FROM enriched_texts WHERE request_id = ANY($1)`,
      [acknowledged],
    );
    assert.equal(stored, 320);
    assert.ok(transactions < 320, `${transactions} transactions for 320 saves`);
  });

  test('a failed merged write rejects every caller in it, and only those', async () => {
    // At most 3 rows per write, one write at a time: [a] alone, then [b, poison, c], then [d, e].
    const grouped = await PostgresStore.open({ ...config, writeMaxConcurrent: 1, writeMaxBatchRows: 3 }, { probeIntervalMs: 60_000 });
    try {
      // PostgreSQL rejects a text length that is no integer: it stands for any failing statement.
      const poison = { ...result('fail-poison', []), textLength: 1.5 };
      const items = [result('fail-a', []), result('fail-b', []), poison, result('fail-c', []), result('fail-d', []), result('fail-e', [])];
      const outcomes = await Promise.allSettled(items.map((item) => grouped.save([item])));
      const [a, b, p, c, d, e] = outcomes;
      assert.deepEqual(outcomes.map((outcome) => outcome.status), ['fulfilled', 'rejected', 'rejected', 'rejected', 'fulfilled', 'fulfilled']);
      const errors = [b, p, c].map((outcome) => (outcome as PromiseRejectedResult).reason);
      assert.ok(errors[0] instanceof StorageUnavailableError);
      assert.ok(errors.every((error) => error === errors[0]), 'one statement, one error for all its callers');
      const token = (outcome: PromiseSettledResult<{ consistencyToken: string }>) =>
        (outcome as PromiseFulfilledResult<{ consistencyToken: string }>).value.consistencyToken;
      assert.equal(token(d), token(e));
      assert.notEqual(token(a), token(d));

      const stored = await rows(`SELECT request_id FROM enriched_texts WHERE request_id LIKE 'fail-%' ORDER BY 1`);
      assert.deepEqual(stored.map((row) => row.request_id), ['fail-a', 'fail-d', 'fail-e']);
    } finally {
      await grouped.close();
    }
  });

  test('replica stopped: reads fall back to the primary, and return to the replica when it is back', async () => {
    await store.save([result('fallback', [['Madrid', 'GPE']])]);
    await cluster.stopReplica();
    try {
      const read = await store.findResult('fallback');
      assert.deepEqual([read.source, read.value?.requestId], ['primary', 'fallback']);
      const top = await store.topEntities({ from: new Date(0), to: new Date(Date.now() + 60_000), limit: 3 });
      assert.equal(top.source, 'primary');
      assert.equal(store.isReady(), true, 'readiness follows the primary only');
    } finally {
      await cluster.startReplica();
    }
    await cluster.waitForReplica();
    const deadline = Date.now() + 15_000;
    while ((await store.findResult('fallback')).source !== 'replica') {
      assert.ok(Date.now() < deadline, 'reads return to the replica');
      await sleep(100);
    }
  });

  test('too slow: a write blocked past the statement timeout fails with StorageUnavailableError', async () => {
    const blocker = new Client({ connectionString: cluster.primaryDsn });
    await blocker.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query('LOCK TABLE enriched_texts IN ACCESS EXCLUSIVE MODE');
      const error = await store.save([result('blocked', [])]).then(
        () => assert.fail('save must not succeed while the table is locked'),
        (caught: unknown) => caught,
      );
      assert.ok(error instanceof StorageUnavailableError);
      assert.equal(error.retryAfterSeconds, 3);
    } finally {
      await blocker.query('ROLLBACK');
      await blocker.end();
    }
    await store.save([result('after-block', [])]);
  });

  test('a failing background rollup run is reported, and the next run catches up', async () => {
    const failures: unknown[] = [];
    const blocker = new Client({ connectionString: cluster.primaryDsn });
    await blocker.connect();
    await store.save([result('rolled-later', [['Paris', 'GPE']])]);
    const rolling = await PostgresStore.open(config, {
      rollupIntervalMs: 100,
      rollupSettleMs: 0,
      rollupTimeoutMs: 300,
      onRollupFailure: (error) => failures.push(error),
    });
    try {
      await blocker.query('BEGIN');
      await blocker.query('LOCK TABLE mention_rollup_state IN ACCESS EXCLUSIVE MODE');
      await waitFor(() => failures.length > 0, 'a reported rollup failure');
      assert.match(String(failures[0]), /timeout/i);
      await blocker.query('ROLLBACK');
      const deadline = Date.now() + 15_000;
      let paris = 0;
      while (paris === 0 && Date.now() < deadline) {
        await sleep(100);
        [{ paris }] = await rows(`SELECT count(*)::int AS paris FROM entity_mentions_5min WHERE entity_text = 'paris'`);
      }
      assert.equal(paris, 1, 'rolled up by a later background run');
    } finally {
      await rolling.close();
      await blocker.end();
    }
  });

  test('primary stopped: writes fail promptly with StorageUnavailableError, readiness drops, then recovers', { timeout: 60_000 }, async () => {
    await cluster.stopPrimary();
    try {
      await assert.rejects(store.save([result('while-down', [])]), (error: unknown) => {
        assert.ok(error instanceof StorageUnavailableError);
        assert.equal(error.retryAfterSeconds, 3);
        return true;
      });
      assert.equal(store.isReady(), false);
      // The replica still serves token-less reads while the primary is down.
      assert.equal((await store.findResult('anything')).source, 'replica');
    } finally {
      await cluster.startPrimary();
    }
    await waitFor(() => store.isReady(), 'readiness to recover');
    await store.save([result('after-restart', [['Vienna', 'GPE']])]);
    assert.equal((await rows(`SELECT count(*)::int AS n FROM enriched_texts WHERE request_id = 'after-restart'`))[0].n, 1);
  });

  test('the primary crashing under load loses no acknowledged write', { timeout: 90_000 }, async () => {
    const acknowledged: string[] = [];
    let failures = 0;
    let stop = false;
    const writers = Array.from({ length: 6 }, async (_, writer) => {
      for (let i = 0; !stop; i += 1) {
        // Batches and single comments, merged by group commit (6 writers, 2 writes in flight).
        const batch = Array.from({ length: writer % 2 === 0 ? 5 : 1 }, (_, j) => result(`load-${writer}-${i}-${j}`, [['Paris', 'GPE']]));
        try {
          await store.save(batch);
          acknowledged.push(...batch.map((item) => item.requestId));
        } catch (error) {
          assert.ok(error instanceof StorageUnavailableError);
          failures += 1;
          await sleep(20);
        }
      }
    });
    try {
      await waitFor(() => acknowledged.length >= 300, 'writes before the crash');
      // SIGQUIT: no checkpoint, no clean shutdown; only what was fsynced at commit survives.
      await cluster.stopPrimary('immediate');
      await waitFor(() => failures >= 6, 'writes to fail while the primary is down');
      await cluster.startPrimary();
      await waitFor(() => store.isReady(), 'readiness to recover');
      const target = acknowledged.length + 100;
      await waitFor(() => acknowledged.length >= target, 'writes after the restart');
    } finally {
      stop = true;
      await Promise.all(writers);
    }

    const stored = await rows('SELECT request_id FROM enriched_texts WHERE request_id = ANY($1)', [acknowledged]);
    assert.equal(stored.length, new Set(acknowledged).size, 'every acknowledged request_id is stored');
  });
});

test('opening with the database down does not fail: the store starts not ready and saves answer 503', async () => {
  const store = await PostgresStore.open({
    primaryDsn: 'postgres://postgres@127.0.0.1:1/none',
    poolMax: 1,
    connectTimeoutMs: 500,
    statementTimeoutMs: 500,
    readWaitMs: 0,
    retryAfterSeconds: 5,
    writeMaxConcurrent: 1,
    writeMaxBatchRows: 1000,
    writeWindowMs: 0,
    rawRetentionDays: 30,
  });
  try {
    assert.equal(store.isReady(), false);
    await assert.rejects(store.save([result('down', [])]), StorageUnavailableError);
    await assert.rejects(store.findResult('down'), StorageUnavailableError);
  } finally {
    await store.close();
  }
});
