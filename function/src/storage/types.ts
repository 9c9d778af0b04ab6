/**
 * The storage contract the HTTP layer depends on. The PostgreSQL implementation
 * (primary for writes, replicas for reads) lives beside this file.
 */
import type { Entity } from '../recognizer/types';

/** One recognized comment as stored. The comment text itself is never stored here. */
export interface EnrichedText {
  requestId: string;
  entities: Entity[];
  modelVersion: string;
  textLength: number;
}

export interface WriteReceipt {
  /** The primary's WAL position after the commit (an LSN such as `0/16B3748`). */
  consistencyToken: string;
}

export interface ResultStore {
  /**
   * Upserts the results by request_id on the primary in one round trip and resolves
   * only after a durable commit. Rejects with StorageUnavailableError when it cannot.
   */
  save(results: readonly EnrichedText[]): Promise<WriteReceipt>;
  /** Last known reachability of the primary, for the readiness probe. */
  isReady(): boolean;
  close(): Promise<void>;
}

/** Storage is down or too slow: the caller should answer 503 with Retry-After. */
export class StorageUnavailableError extends Error {
  constructor(message: string, readonly retryAfterSeconds: number, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StorageUnavailableError';
  }
}

/** Which server answered a read: the `X-Read-Source` response header. */
export type ReadSource = 'primary' | 'replica';

export interface Read<T> {
  value: T;
  source: ReadSource;
}

/** A stored result as read back. */
export interface StoredResult extends EnrichedText {
  /** ISO 8601: when this request_id was last (re)processed. */
  processedAt: string;
}

export interface TimeWindow {
  from: Date;
  to: Date;
}

export interface TopEntity {
  label: string;
  entityText: string;
  mentions: number;
}

export const TIME_BUCKETS = ['minute', 'hour', 'day'] as const;
export type TimeBucket = (typeof TIME_BUCKETS)[number];

export interface MentionCount {
  /** ISO 8601 start of the bucket. */
  bucketStart: string;
  label: string;
  mentions: number;
}

export interface Freshness {
  /** Seconds the serving replica is behind the primary (0 when caught up or served by the primary). */
  replicationLagSeconds: number;
  /** ISO 8601, or null when nothing is stored yet. */
  newestProcessedAt: string | null;
  /**
   * ISO 8601: the analytics rollups hold every mention before it; null before the first
   * rollup run. Analytics are exact either way (they read the raw mentions past it), but a
   * watermark minutes behind makes them slower: the rollup job is failing, or a transaction
   * has stayed open that long.
   */
  rolledUpTo: string | null;
}

/** Reads, routed to the replica with read-your-writes by consistency token. */
export interface ResultReader {
  /**
   * The stored result, or undefined. With a token (a WriteReceipt's consistencyToken) the
   * answer reflects at least that write: the replica serves only once it has replayed it.
   */
  findResult(requestId: string, consistencyToken?: string): Promise<Read<StoredResult | undefined>>;
  /** Most mentioned entities per label (or of one label) in the window. */
  topEntities(query: TimeWindow & { label?: string; limit: number }): Promise<Read<TopEntity[]>>;
  /** Mentions per label per time bucket in the window. */
  mentionsOverTime(query: TimeWindow & { bucket: TimeBucket; label?: string }): Promise<Read<MentionCount[]>>;
  freshness(): Promise<Read<Freshness>>;
  /**
   * The part of `window` the analytics count exactly (retention.ts): the edges older than the
   * raw-data retention move in to whole hours. Throws WindowOutsideRetentionError when none is left.
   */
  analyticsWindow(window: TimeWindow, bucket?: TimeBucket): TimeWindow;
}

/** An analytics window that the raw-data retention leaves nothing of: the caller answers 400. */
export class WindowOutsideRetentionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WindowOutsideRetentionError';
  }
}

/** A consistency token that is not a WAL position (`X/Y`, hexadecimal): the caller answers 400. */
export class InvalidConsistencyTokenError extends Error {
  constructor(token: string) {
    super(`consistency_token must be a WAL position such as 0/16B3748, got "${token.slice(0, 40)}"`);
    this.name = 'InvalidConsistencyTokenError';
  }
}
