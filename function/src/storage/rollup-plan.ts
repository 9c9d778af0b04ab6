/** A span of `processed_at` times, [start, end). */
export interface TimeRange {
  start: Date;
  end: Date;
}

/** What one rollup run does. */
export interface RollupPlan {
  /** Sorted and disjoint: raw mentions counted into 5-minute buckets again, replacing them. */
  recount: TimeRange[];
  /** The mentions past the watermark, whose counts are added to the rollups; null if none. */
  add: TimeRange | null;
  /** The start of every hour a recounted range touches: summed again from its 5-minute buckets. */
  hours: Date[];
}

/** The mentions past the watermark, [start, end). */
export interface NextMentions extends TimeRange {
  /**
   * 'add': the usual run; `start` is the watermark, before which the rollups hold every
   * mention. 'recount': the first run, or the 5-minute level no longer holds the watermark's
   * hour; `start` is an hour.
   */
  mode: 'add' | 'recount';
}

const FIVE_MINUTES = 5 * 60_000;
const HOUR = 60 * 60_000;

/** UTC hours and 5-minute buckets are aligned on the epoch, as date_trunc('hour', t, 'UTC') and date_bin are. */
const floorTo = (time: number, step: number): number => Math.floor(time / step) * step;

/**
 * Plans a run from `next` and the 5-minute buckets retries changed behind the watermark
 * (`changed`, as recorded, duplicates allowed; those at or past `next.start` are not rolled
 * up yet). A changed bucket still kept at the 5-minute level (from `fiveMinutesFrom` on) is
 * recounted alone, up to `next.start` (the watermark's bucket is rolled up partially); an
 * older one has its whole hour recounted, since an hour is summed from 5-minute buckets. An
 * older bucket's hour ends by `next.start`: `next` starts on an hour unless the 5-minute
 * level holds that hour.
 */
export function planRollup(next: NextMentions, changed: readonly Date[], fiveMinutesFrom: Date): RollupPlan {
  const nextStart = next.start.getTime();
  const spans: Array<[number, number]> = [];
  for (const bucket of changed) {
    const start = floorTo(bucket.getTime(), FIVE_MINUTES);
    if (start >= nextStart) continue;
    if (start >= fiveMinutesFrom.getTime()) spans.push([start, Math.min(start + FIVE_MINUTES, nextStart)]);
    else spans.push([floorTo(start, HOUR), floorTo(start, HOUR) + HOUR]);
  }
  const hasNext = next.start < next.end;
  if (hasNext && next.mode === 'recount') spans.push([nextStart, next.end.getTime()]);
  spans.sort((a, b) => a[0] - b[0]);

  const merged: Array<[number, number]> = [];
  for (const [start, end] of spans) {
    const last = merged[merged.length - 1];
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  const hours = new Set<number>();
  for (const [start, end] of merged) {
    for (let hour = floorTo(start, HOUR); hour < end; hour += HOUR) hours.add(hour);
  }
  return {
    recount: merged.map(([start, end]) => ({ start: new Date(start), end: new Date(end) })),
    add: hasNext && next.mode === 'add' ? { start: next.start, end: next.end } : null,
    hours: [...hours].sort((a, b) => a - b).map((hour) => new Date(hour)),
  };
}
