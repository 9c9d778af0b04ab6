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
