/**
 * The PostgreSQL ResultStore: writes on the primary, reads on the replica with
 * read-your-writes by WAL position, the primary as fallback.
 *
 * Connections run in pipeline mode: the statements of one operation are sent together and
 * answered in order, so a save (BEGIN, insert, COMMIT, read the WAL position) costs one
 * network round trip. No session state is used beyond protocol-level prepared statements
 * (no SET, no temp tables), so every operation also works through PgBouncer (>= 1.21 with
 * max_prepared_statements set) in transaction mode.
 *
 * Saves go through a WriteCoalescer (group commit): saves arriving while writes are in flight
 * are merged into one transaction, so one WAL flush makes many requests durable.
 */
import { Pool, type PoolClient, type QueryConfig, type QueryResult } from 'pg';
import { ENTITY_LABELS } from '../recognizer/types';
import { Availability } from './availability';
import type { PostgresConfig } from './config';
import { retainedWindow } from './retention';
import { planRollup, type TimeRange } from './rollup-plan';
import * as sql from './sql';
import {
  InvalidConsistencyTokenError,
  StorageUnavailableError,
  type EnrichedText,
  type Freshness,
  type MentionCount,
  type Read,
  type ReadSource,
  type ResultReader,
  type ResultStore,
  type StoredResult,
  type TimeBucket,
  type TimeWindow,
  type TopEntity,
  type WriteReceipt,
} from './types';
import { storableText, toWriteBatch, writeBatchParameters } from './write-batch';
import { WriteCoalescer } from './write-coalescer';

export interface PostgresStoreOptions {
  /** How often reachability is probed (default 1000 ms). */
  probeIntervalMs?: number;
  /** How often the analytics rollups are brought up to date (default 60000 ms). */
  rollupIntervalMs?: number;
  /**
   * How many days of 5-minute rollups are kept (default 8: the edges of windows up to a week
   * back). Edges of older windows are read raw: still exact, slower.
   */
  fiveMinuteRollupDays?: number;
  /**
   * The rollups stop at least this long before now (default 1000 ms), besides stopping at
   * the oldest open transaction's start: the margin covers a transaction that has started
   * but is not yet listed in pg_stat_activity (microseconds).
   */
  rollupSettleMs?: number;
  /**
   * At most this many mentions past the watermark per rollup run (default 200,000), so a run
   * stays within `rollupTimeoutMs` however far behind the job is; a run that did not catch
   * up is followed by the next one a second later.
   */
  rollupMaxMentions?: number;
  /** Timeout of each rollup statement (default 120000 ms; DB_STATEMENT_TIMEOUT_MS bounds requests, not this job). */
  rollupTimeoutMs?: number;
  /** Rows deleted per table and transaction by the raw-data retention (default 10,000). */
  expireBatchRows?: number;
  /**
   * Top entities: how many entities of each rolled-up bucket are shortlisted as candidates,
   * at least the limit (default max(20, 2 x limit)). Only speed depends on it: a shortlist
   * too short to prove the answer exact makes that label aggregate in full.
   */
  topEntitiesShortlist?: number;
  /** Pause between replica checks while a read waits for its consistency token (default 10 ms). */
  replayPollMs?: number;
  /** Told when a server becomes reachable or unreachable, for logging. */
  onAvailabilityChange?: (server: ReadSource, up: boolean, error?: unknown) => void;
  /** Told when a background run of the rollups or the raw-data retention fails (the next run retries), for logging. */
  onRollupFailure?: (error: unknown) => void;
}

const LSN = /^[0-9A-F]{1,8}\/[0-9A-F]{1,8}$/i;
const UNIQUE_VIOLATION = '23505';
/**
 * Changed 5-minute buckets recounted per rollup run: each is up to 5 minutes of raw mentions
 * (750,000 at a campaign's 2,500 a second), and a replay of old request_ids can change
 * thousands. The rest wait for the next runs, a second apart.
 */
const MAX_CHANGED_BUCKETS = 12;
/** Retention transactions per run: a run that did not finish is followed by the next a second later. */
const MAX_EXPIRE_BATCHES = 20;

/** One server: its pool and its last known reachability. */
interface Server {
  name: ReadSource;
  pool: Pool;
  availability: Availability;
}

export class PostgresStore implements ResultStore, ResultReader {
  private readonly primary: Server;
  private readonly replica: Server | undefined;
  private readonly replayPollMs: number;
  private readonly topEntitiesShortlist: number | undefined;
  private readonly fiveMinuteRollupDays: number;
  private readonly rollupSettleMs: number;
  private readonly rollupMaxMentions: number;
  private readonly rollupTimeoutMs: number;
  private readonly expireBatchRows: number;
  private rollupTimer: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly writes: WriteCoalescer<EnrichedText, WriteReceipt>;

  private constructor(
    private readonly config: PostgresConfig,
    options: PostgresStoreOptions,
  ) {
    const probeIntervalMs = options.probeIntervalMs ?? 1000;
    this.replayPollMs = options.replayPollMs ?? 10;
    this.topEntitiesShortlist = options.topEntitiesShortlist;
    this.fiveMinuteRollupDays = options.fiveMinuteRollupDays ?? 8;
    this.rollupSettleMs = options.rollupSettleMs ?? 1000;
    this.rollupMaxMentions = options.rollupMaxMentions ?? 200_000;
    this.rollupTimeoutMs = options.rollupTimeoutMs ?? 120_000;
    this.expireBatchRows = options.expireBatchRows ?? 10_000;
    const server = (name: ReadSource, dsn: string): Server => {
      const onChange = options.onAvailabilityChange ?? (() => undefined);
      return this.server(name, dsn, probeIntervalMs, (up, error) => onChange(name, up, error));
    };
    this.primary = server('primary', config.primaryDsn);
    this.replica = config.replicaDsn ? server('replica', config.replicaDsn) : undefined;
    this.writes = new WriteCoalescer((results) => this.write(results), {
      maxConcurrentWrites: config.writeMaxConcurrent,
      maxRowsPerWrite: config.writeMaxBatchRows,
      windowMs: config.writeWindowMs,
    });
    this.scheduleRollups(options.rollupIntervalMs ?? 60_000, options.onRollupFailure ?? (() => undefined));
  }

  /**
   * Runs the rollup job, then the raw-data retention, every `intervalMs`, or a second after a
   * run that did not catch up (or found another instance running it). A failed run is retried
   * by the next; analytics stay exact meanwhile, only slower.
   */
  private scheduleRollups(intervalMs: number, onFailure: (error: unknown) => void): void {
    const next = (delayMs: number): void => {
      if (this.closed) return;
      this.rollupTimer = setTimeout(() => {
        this.rollUpMentions().then(async (caughtUp) => (await this.expireRawData()) && caughtUp).then(
          (caughtUp) => next(caughtUp ? intervalMs : Math.min(intervalMs, 1000)),
          (error: unknown) => {
            onFailure(error);
            next(intervalMs);
          },
        );
      }, delayMs);
      this.rollupTimer.unref();
    };
    next(intervalMs);
  }

  /** Never fails for an unreachable database: the store starts not ready and recovers by itself. */
  static async open(config: PostgresConfig, options: PostgresStoreOptions = {}): Promise<PostgresStore> {
    const store = new PostgresStore(config, options);
    await Promise.all([store.primary.availability.start(), store.replica?.availability.start()]);
    return store;
  }

  isReady(): boolean {
    return this.primary.availability.isUp;
  }

  /**
   * Resolves after the commit of the transaction holding these results, with its WAL
   * position. Concurrent saves may share one transaction (and so one token and one outcome);
   * a request_id saved twice in it keeps the later save's result.
   */
  save(results: readonly EnrichedText[]): Promise<WriteReceipt> {
    return this.writes.save(results);
  }

  /**
   * One transaction, one round trip: insert the texts and their mentions, commit. A batch
   * holding a request_id stored before (a retry) fails that insert and is written again as
   * an upsert that also drops the replaced mentions: a second round trip, for retries only.
   */
  private async write(results: readonly EnrichedText[]): Promise<WriteReceipt> {
    const values = writeBatchParameters(toWriteBatch(results));
    try {
      try {
        return await this.commit([{ name: 'ner-insert-batch', text: sql.INSERT_BATCH, values }]);
      } catch (error) {
        if ((error as { code?: unknown }).code !== UNIQUE_VIOLATION) throw error;
        return await this.commit([
          { name: 'ner-upsert-batch', text: sql.UPSERT_BATCH, values },
          { name: 'ner-delete-replaced-mentions', text: sql.DELETE_REPLACED_MENTIONS },
        ]);
      }
    } catch (error) {
      throw this.unavailable('cannot store results', error);
    }
  }

  /**
   * Runs `statements` in one transaction, pipelined, and answers the WAL position after the
   * commit. The write statements are named: each connection parses and plans them once
   * (PgBouncer >= 1.21 in transaction mode keeps protocol-level prepared statements working).
   */
  private async commit(statements: QueryConfig[]): Promise<WriteReceipt> {
    const replies = await this.pipeline(this.primary, [
      { text: 'BEGIN' },
      ...statements,
      { text: 'COMMIT' },
      // Sent behind the COMMIT, so it runs after it: a position at or past the commit record.
      { text: sql.CURRENT_LSN },
    ]);
    const commit = replies[replies.length - 2]!;
    // COMMIT of a failed transaction answers ROLLBACK, not an error.
    if (commit.command !== 'COMMIT') throw new Error(`transaction ended with ${commit.command}`);
    return { consistencyToken: replies[replies.length - 1]!.rows[0].lsn };
  }

  async findResult(requestId: string, consistencyToken?: string): Promise<Read<StoredResult | undefined>> {
    if (consistencyToken !== undefined && !LSN.test(consistencyToken)) {
      throw new InvalidConsistencyTokenError(consistencyToken);
    }
    const query: QueryConfig = { text: sql.FIND_RESULT, values: [storableText(requestId)] };
    const read = await this.read(query, consistencyToken);
    const row = read.value.rows[0];
    const value: StoredResult | undefined = row && {
      requestId: row.request_id,
      entities: row.entities,
      modelVersion: row.model_version,
      textLength: row.text_length,
      processedAt: row.processed_at.toISOString(),
    };
    return { value, source: read.source };
  }

  async topEntities(query: TimeWindow & { label?: string; limit: number }): Promise<Read<TopEntity[]>> {
    const read = await this.read({
      text: sql.TOP_ENTITIES,
      values: [
        query.from,
        query.to,
        true,
        query.label ? [query.label] : ENTITY_LABELS,
        query.limit,
        Math.max(query.limit, this.topEntitiesShortlist ?? Math.max(20, 2 * query.limit)),
      ],
    });
    const value = read.value.rows.map((row) => ({
      label: row.label,
      entityText: row.entity_text,
      mentions: Number(row.mentions),
    }));
    return { value, source: read.source };
  }

  async mentionsOverTime(query: TimeWindow & { bucket: TimeBucket; label?: string }): Promise<Read<MentionCount[]>> {
    const read = await this.read({
      text: sql.MENTIONS_OVER_TIME,
      // Minute buckets cannot come from the rollups.
      values: [query.from, query.to, query.bucket !== 'minute', query.label ?? null, query.bucket],
    });
    const value = read.value.rows.map((row) => ({
      bucketStart: row.bucket_start.toISOString(),
      label: row.label,
      mentions: Number(row.mentions),
    }));
    return { value, source: read.source };
  }

  /**
   * Brings the analytics rollups (5-minute and hourly) up to date on the primary, unless
   * another instance is doing it right now: adds the counts of the mentions past the
   * watermark (at most `maxHours` and `rollupMaxMentions` of them), recounts up to
   * MAX_CHANGED_BUCKETS buckets retries changed behind it and corrects their hours, drops
   * expired 5-minute buckets (planRollup says how). Resolves true once the rollups reach the
   * oldest mention that may still change (ROLLUP_RANGE) with no change left; false when
   * more is left or another instance holds the job. Runs in the background (scheduleRollups).
   */
  rollUpMentions(maxHours = 6): Promise<boolean> {
    return this.onJobConnection(async (query) => {
      const run = async (steps: readonly string[], values: unknown[]) => {
        for (const step of steps) await query(step, values);
      };
      await query('BEGIN');
      if (!(await query(sql.ROLLUP_LOCK)).rows[0].locked) {
        await query('ROLLBACK');
        return false;
      }
      const state = (await query(sql.ROLLUP_RANGE, [maxHours, this.fiveMinuteRollupDays, this.rollupSettleMs, this.rollupMaxMentions])).rows[0];
      const changed: Date[] = (await query(sql.TAKE_CHANGED_BUCKETS, [MAX_CHANGED_BUCKETS])).rows.map((row) => row.bucket);
      const plan = planRollup(
        { start: state.start_at, end: state.end_at, mode: state.recount ? 'recount' : 'add' },
        // Before the first run nothing is rolled up, so no change can be behind the watermark.
        // A change older than the raw mentions kept cannot be recounted: its hour keeps the
        // replaced mentions' counts, as history.
        state.first_run ? [] : changed.filter((bucket) => bucket >= state.raw_kept_from),
        state.five_minutes_from,
      );
      const asArrays = (ranges: TimeRange[]) => [ranges.map((range) => range.start), ranges.map((range) => range.end)];
      if (plan.adjust.length > 0) await run(sql.ADJUST_HOURS_BEFORE, asArrays(plan.adjust));
      if (plan.recount.length > 0) await run(sql.RECOUNT_FIVE_MINUTES, asArrays(plan.recount));
      if (plan.adjust.length > 0) {
        await run(sql.ADJUST_HOURS_AFTER, asArrays(plan.adjust));
        await run(sql.DROP_EMPTY_HOURS, [plan.adjustedHours]);
      }
      if (plan.add) await query(sql.ADD_TO_ROLLUPS, [plan.add.start, plan.add.end]);
      // After the additions, which may fall in the same hours.
      if (plan.hours.length > 0) await run(sql.RESUM_HOURS, [plan.hours]);
      await run(sql.EXPIRE_FIVE_MINUTES, [state.five_minutes_cutoff]);
      await query(sql.ADVANCE_ROLLUP, [state.start_at, state.end_at, state.five_minutes_cutoff]);
      await query('COMMIT');
      return state.end_at >= state.target && new Set(changed.map(Number)).size < MAX_CHANGED_BUCKETS;
    });
  }

  /**
   * Raw-data retention (RAW_RETENTION_DAYS; 0 keeps everything): deletes the texts and mentions
   * processed before `raw_kept_from` (EXPIRE_RAW), up to MAX_EXPIRE_BATCHES transactions of
   * `expireBatchRows` rows per table. Resolves true when nothing is left to delete, false when
   * more is left or the rollup job holds the lock. Runs in the background after each rollup run.
   */
  async expireRawData(): Promise<boolean> {
    if (this.config.rawRetentionDays === 0) return true;
    return this.onJobConnection(async (query) => {
      let textsFrom = '-infinity';
      let mentionsFrom = '-infinity';
      for (let batch = 0; batch < MAX_EXPIRE_BATCHES; batch += 1) {
        await query('BEGIN');
        if (!(await query(sql.ROLLUP_LOCK)).rows[0].locked) {
          await query('ROLLBACK');
          return false;
        }
        const deleted: { texts: number; texts_to: string | null; mentions: number; mentions_to: string | null } = (
          await query(sql.EXPIRE_RAW, [this.config.rawRetentionDays, this.expireBatchRows, textsFrom, mentionsFrom])
        ).rows[0];
        await query('COMMIT');
        textsFrom = deleted.texts_to ?? textsFrom;
        mentionsFrom = deleted.mentions_to ?? mentionsFrom;
        // The texts' last batch leaves the mentions for the next transaction (EXPIRE_RAW).
        if (deleted.texts === 0 && deleted.mentions < this.expireBatchRows) return true;
      }
      return false;
    });
  }

  /**
   * Runs a background job's transactions on a primary connection, each statement bounded by
   * `rollupTimeoutMs`; on failure the open transaction is rolled back and a broken connection
   * discarded.
   */
  private async onJobConnection<T>(job: (query: (text: string, values?: unknown[]) => Promise<QueryResult>) => Promise<T>): Promise<T> {
    const client = await this.primary.pool.connect();
    let failure: Error | undefined;
    try {
      return await job((text, values = []) => client.query({ text, values, query_timeout: this.rollupTimeoutMs } as QueryConfig));
    } catch (error) {
      failure = error as Error;
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release(failure !== undefined && isConnectionError(failure) ? failure : undefined);
    }
  }

  /**
   * The part of `window` the analytics count exactly: past the raw-data retention only whole
   * hours are kept (the hourly rollups), so an edge older than that moves in to a whole hour.
   * Throws WindowOutsideRetentionError when nothing is left, or for minute buckets (counted
   * from raw mentions only) reaching back past the retention.
   */
  analyticsWindow(window: TimeWindow, bucket?: TimeBucket): TimeWindow {
    return retainedWindow(window, this.config.rawRetentionDays, bucket);
  }

  async freshness(): Promise<Read<Freshness>> {
    const read = await this.read({ text: sql.FRESHNESS });
    const row = read.value.rows[0];
    const value = {
      replicationLagSeconds: Number(row.lag_seconds),
      newestProcessedAt: row.newest_processed_at ? row.newest_processed_at.toISOString() : null,
      rolledUpTo: row.rolled_up_to ? row.rolled_up_to.toISOString() : null,
    };
    return { value, source: read.source };
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.rollupTimer);
    for (const server of [this.primary, this.replica]) server?.availability.close();
    await Promise.all([this.primary.pool.end(), this.replica?.pool.end()]);
  }

  /**
   * A read on the replica when it is up and, given a token, has replayed it (polling up to
   * DB_READ_WAIT_MS); otherwise on the primary. The replay check and the read run as two
   * statements of one transaction: the read's snapshot is taken after the check passed, and
   * both reach the same server even behind a pooler that balances over several replicas.
   */
  private async read(query: QueryConfig, consistencyToken?: string): Promise<Read<QueryResult>> {
    const replica = this.replica;
    if (replica?.availability.isUp) {
      const deadline = Date.now() + this.config.readWaitMs;
      try {
        for (;;) {
          const replies = await this.pipeline(replica, [
            { text: 'BEGIN' },
            { text: sql.REPLAYED, values: [consistencyToken ?? null] },
            query,
            { text: 'COMMIT' },
          ]);
          if (replies[1].rows[0].replayed) return { value: replies[2], source: 'replica' };
          if (Date.now() >= deadline) break;
          await new Promise((resolve) => setTimeout(resolve, this.replayPollMs));
        }
      } catch {
        // Replica unreachable or failing: the primary answers.
      }
    }
    try {
      const [value] = await this.pipeline(this.primary, [query]);
      return { value, source: 'primary' };
    } catch (error) {
      throw this.unavailable('cannot read results', error);
    }
  }

  /**
   * Sends the queries in one go on one connection and waits for every answer. A connection
   * failure marks the server down and discards the connection; any other failure rejects.
   */
  private async pipeline(server: Server, queries: QueryConfig[]): Promise<QueryResult[]> {
    let client: PoolClient;
    try {
      client = await server.pool.connect();
    } catch (error) {
      this.failed(server, error);
      throw error;
    }
    const settled = await Promise.allSettled(queries.map((query) => client.query(query)));
    const failure = settled.find((outcome) => outcome.status === 'rejected');
    if (failure) {
      const broken = isConnectionError(failure.reason);
      client.release(broken ? (failure.reason as Error) : undefined);
      this.failed(server, failure.reason);
      throw failure.reason;
    }
    client.release();
    server.availability.markUp();
    return settled.map((outcome) => (outcome as PromiseFulfilledResult<QueryResult>).value);
  }

  private failed(server: Server, error: unknown): void {
    if (isConnectionError(error)) server.availability.markDown(error);
  }

  private unavailable(what: string, error: unknown): StorageUnavailableError {
    const reason = error instanceof Error ? error.message : String(error);
    return new StorageUnavailableError(`${what}: ${reason}`, this.config.retryAfterSeconds, { cause: error });
  }

  private server(
    name: ReadSource,
    connectionString: string,
    probeIntervalMs: number,
    onChange: (up: boolean, error?: unknown) => void,
  ): Server {
    const pool = new Pool({
      connectionString,
      ...(this.config.ssl === undefined ? {} : { ssl: this.config.ssl }),
      max: this.config.poolMax,
      connectionTimeoutMillis: this.config.connectTimeoutMs,
      query_timeout: this.config.statementTimeoutMs,
      idleTimeoutMillis: 30_000,
      keepAlive: true,
      application_name: `ner-processor-${name}`,
      pipeline: true,
    });
    // A connection dropped by the server (idle in the pool or checked out, e.g. a write that
    // hits a closed socket) must not crash the process: report it; the pool replaces it.
    pool.on('error', (error) => this.failed(server, error));
    pool.on('connect', (client) => client.on('error', (error) => this.failed(server, error)));
    const availability = new Availability(async () => {
      await this.pipeline(server, [{ text: 'SELECT 1' }]);
    }, probeIntervalMs, onChange);
    const server: Server = { name, pool, availability };
    return server;
  }
}

/** Errors that say the server or the connection is gone, rather than a statement failed. */
export function isConnectionError(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) {
    // 08 connection exception, 53 insufficient resources, 57P admin/crash shutdown,
    // 25006 read-only transaction (this "primary" has been demoted).
    return /^(08|53|57P)/.test(code) || code === '25006';
  }
  // No SQLSTATE: a socket error (ECONNREFUSED...), a timeout or a terminated connection.
  return true;
}
