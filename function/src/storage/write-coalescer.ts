/**
 * Application-level group commit. Each commit waits for its own WAL flush, so one
 * transaction per request caps single-comment throughput at roughly one fsync per request.
 * The coalescer merges the saves that arrive while the write slots are busy (or within a
 * short window) into one write, so one commit makes many requests durable.
 *
 * - A save is never split: its items go into exactly one write, so it commits atomically.
 * - Saves are merged in arrival order, so the write's "last occurrence wins" dedup by
 *   request_id keeps the latest save of a request_id.
 * - Every caller of a write settles with that write: the same receipt, or the same error.
 *   A failed write affects only its own callers.
 */

export interface WriteCoalescerOptions {
  /** Writes in flight at once (at least 1), e.g. the primary pool's size. */
  maxConcurrentWrites: number;
  /** Rows one write may hold (at least 1); a single larger save is written alone. */
  maxRowsPerWrite: number;
  /**
   * How long the first save of an idle queue waits for company before it is written, in ms.
   * 0: written at once when a slot is free; only saves arriving while every slot is busy merge.
   */
  windowMs: number;
}

interface Pending<Item, Receipt> {
  items: readonly Item[];
  resolve: (receipt: Receipt) => void;
  reject: (error: unknown) => void;
}

export class WriteCoalescer<Item, Receipt> {
  private readonly queue: Array<Pending<Item, Receipt>> = [];
  private queuedRows = 0;
  private inFlight = 0;
  private windowTimer: NodeJS.Timeout | undefined;
  private started = 0;

  constructor(
    /** Writes the items in one transaction; resolves after its commit. */
    private readonly write: (items: Item[]) => Promise<Receipt>,
    private readonly options: WriteCoalescerOptions,
  ) {
    if (!(options.maxConcurrentWrites >= 1 && options.maxRowsPerWrite >= 1 && options.windowMs >= 0)) {
      throw new RangeError('WriteCoalescer needs maxConcurrentWrites >= 1, maxRowsPerWrite >= 1, windowMs >= 0');
    }
  }

  /** Writes started so far (each one transaction), for tests and figures. */
  get writes(): number {
    return this.started;
  }

  /** Resolves with the receipt of the write that committed these items, or rejects with its error. */
  save(items: readonly Item[]): Promise<Receipt> {
    return new Promise<Receipt>((resolve, reject) => {
      this.queue.push({ items, resolve, reject });
      this.queuedRows += items.length;
      if (this.queue.length === 1 && this.options.windowMs > 0) {
        this.windowTimer = setTimeout(() => {
          this.windowTimer = undefined;
          this.startWrites();
        }, this.options.windowMs);
      }
      this.startWrites();
    });
  }

  private startWrites(): void {
    while (this.queue.length > 0 && this.inFlight < this.options.maxConcurrentWrites) {
      // Still collecting, unless a full write is already waiting.
      if (this.windowTimer !== undefined && this.queuedRows < this.options.maxRowsPerWrite) return;
      const group = this.takeGroup();
      if (this.queue.length === 0) {
        clearTimeout(this.windowTimer);
        this.windowTimer = undefined;
      }
      this.inFlight += 1;
      this.started += 1;
      this.write(group.flatMap((pending) => pending.items)).then(
        (receipt) => group.forEach((pending) => pending.resolve(receipt)),
        (error: unknown) => group.forEach((pending) => pending.reject(error)),
      ).finally(() => {
        this.inFlight -= 1;
        this.startWrites();
      });
    }
  }

  /** The oldest saves, as many as fit in one write (at least one). */
  private takeGroup(): Array<Pending<Item, Receipt>> {
    let rows = this.queue[0]!.items.length;
    let count = 1;
    while (count < this.queue.length && rows + this.queue[count]!.items.length <= this.options.maxRowsPerWrite) {
      rows += this.queue[count]!.items.length;
      count += 1;
    }
    this.queuedRows -= rows;
    return this.queue.splice(0, count);
  }
}
