/**
 * What raw-data retention leaves of an analytics window. Raw texts and mentions are kept for
 * RAW_RETENTION_DAYS (the rollup job deletes older ones); the hourly rollups are kept for
 * good. A window's edges inside the retention are counted exactly as asked; an edge older
 * than that moves in to the next whole hour, whose counts the hourly rollups still hold.
 *
 * The job deletes only before the hour before (the server's now - the retention), so everything
 * from `now - retention` on is still stored when a request computes its window here, with up to
 * an hour of difference between the function's clock and the server's (sql.ts EXPIRE_RAW).
 */
import { WindowOutsideRetentionError, type TimeBucket, type TimeWindow } from './types';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** `window` as the analytics can count it with `rawRetentionDays` (0: everything is kept). */
export function retainedWindow(window: TimeWindow, rawRetentionDays: number, bucket?: TimeBucket, now = new Date()): TimeWindow {
  if (rawRetentionDays === 0) return window;
  const horizon = now.getTime() - rawRetentionDays * DAY_MS;
  if (window.from.getTime() >= horizon) return window;
  const kept = `raw mentions are kept for ${rawRetentionDays} days (RAW_RETENTION_DAYS), so before ${new Date(horizon).toISOString()} only whole hours are counted`;
  if (bucket === 'minute') throw new WindowOutsideRetentionError(`minute buckets need raw mentions: from must be after ${new Date(horizon).toISOString()}; ${kept}`);
  const from = new Date(Math.ceil(window.from.getTime() / HOUR_MS) * HOUR_MS);
  const to = window.to.getTime() >= horizon ? window.to : new Date(Math.floor(window.to.getTime() / HOUR_MS) * HOUR_MS);
  if (from >= to) throw new WindowOutsideRetentionError(`the window holds no whole hour: ${kept}`);
  return { from, to };
}
