/** A span of `processed_at` times, [start, end). */
export interface TimeRange {
  start: Date;
  end: Date;
}

/** What one rollup run does. */
export interface RollupPlan {
  /** Sorted and disjoint: raw mentions counted into 5-minute buckets again, replacing them. */
  recount: TimeRange[];
  /**
   * The recounted changed buckets whose hours are adjusted by the difference (minus the old
   * 5-minute counts, plus the new), sorted and disjoint; `adjustedHours` are their hours.
   */
  adjust: TimeRange[];
  adjustedHours: Date[];
  /** The mentions past the watermark, whose counts are added to the rollups; null if none. */
  add: TimeRange | null;
  /** Hours summed again in full from their 5-minute buckets, after everything else. */
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

type Span = [start: number, end: number];

/** UTC hours and 5-minute buckets are aligned on the epoch, as date_trunc('hour', t, 'UTC') and date_bin are. */
const floorTo = (time: number, step: number): number => Math.floor(time / step) * step;

/** Sorted, overlapping or touching spans joined. */
function merged(spans: readonly Span[]): Span[] {
  const joined: Span[] = [];
  for (const [start, end] of [...spans].sort((a, b) => a[0] - b[0])) {
    const last = joined[joined.length - 1];
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else joined.push([start, end]);
  }
  return joined;
}

/** The start of every hour the spans touch, sorted. */
function hoursOf(spans: readonly Span[]): number[] {
  const hours = new Set<number>();
  for (const [start, end] of spans) {
    for (let hour = floorTo(start, HOUR); hour < end; hour += HOUR) hours.add(hour);
  }
  return [...hours].sort((a, b) => a - b);
}

const toRanges = (spans: readonly Span[]): TimeRange[] => spans.map(([start, end]) => ({ start: new Date(start), end: new Date(end) }));
const toDates = (times: readonly number[]): Date[] => times.map((time) => new Date(time));

/**
 * Plans a run from `next` and the 5-minute buckets retries changed behind the watermark
 * (`changed`, as recorded, duplicates allowed; those at or past `next.start` are not rolled
 * up yet).
 * - A changed bucket still kept at the 5-minute level (from `fiveMinutesFrom` on) is recounted
 *   alone, up to `next.start` (the watermark's bucket is rolled up partially), and its hour is
 *   adjusted by the difference: the cost follows the bucket, not its hour.
 * - An older one has its whole hour recounted and summed again: the hour's other 5-minute
 *   buckets are gone. It ends by `next.start`, which starts on an hour unless the 5-minute
 *   level holds that hour.
 * - A recounted `next` has its hours summed again in full.
 */
export function planRollup(next: NextMentions, changed: readonly Date[], fiveMinutesFrom: Date): RollupPlan {
  const nextStart = next.start.getTime();
  const buckets: Span[] = [];
  const wholeHours: Span[] = [];
  for (const time of changed) {
    const bucket = floorTo(time.getTime(), FIVE_MINUTES);
    if (bucket >= nextStart) continue;
    if (bucket >= fiveMinutesFrom.getTime()) buckets.push([bucket, Math.min(bucket + FIVE_MINUTES, nextStart)]);
    else wholeHours.push([floorTo(bucket, HOUR), floorTo(bucket, HOUR) + HOUR]);
  }
  const hasNext = next.start < next.end;
  const summed = hasNext && next.mode === 'recount' ? [...wholeHours, [nextStart, next.end.getTime()] as Span] : wholeHours;
  const fullHours = hoursOf(summed);
  // Buckets in an hour summed in full need no adjusting.
  const adjust = merged(buckets.filter(([start]) => !fullHours.includes(floorTo(start, HOUR))));
  return {
    recount: toRanges(merged([...buckets, ...summed])),
    adjust: toRanges(adjust),
    adjustedHours: toDates(hoursOf(adjust)),
    add: hasNext && next.mode === 'add' ? { start: next.start, end: next.end } : null,
    hours: toDates(fullHours),
  };
}
