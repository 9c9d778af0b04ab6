import assert from 'node:assert/strict';
import { test } from 'node:test';
import { retainedWindow } from './retention';
import { WindowOutsideRetentionError } from './types';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const now = new Date('2026-11-29T12:34:56.789Z');
const at = (iso: string) => new Date(iso);

test('without retention, or inside it, the window is counted as asked', () => {
  const old = { from: at('2020-01-01T00:07:00Z'), to: at('2020-01-01T05:09:00Z') };
  assert.deepEqual(retainedWindow(old, 0, 'minute', now), old);
  const recent = { from: new Date(now.getTime() - 7 * DAY + 1), to: now };
  assert.deepEqual(retainedWindow(recent, 7, 'minute', now), recent);
  assert.deepEqual(retainedWindow(recent, 7, undefined, now), recent);
});

test('an edge older than the retention moves in to a whole hour; a recent end stays', () => {
  const window = { from: at('2026-11-20T08:15:00Z'), to: now };
  assert.deepEqual(retainedWindow(window, 7, 'hour', now), { from: at('2026-11-20T09:00:00Z'), to: now });
  const aligned = { from: at('2026-11-20T08:00:00Z'), to: at('2026-11-21T10:59:59.999Z') };
  assert.deepEqual(retainedWindow(aligned, 7, 'day', now), { from: aligned.from, to: at('2026-11-21T10:00:00Z') });
});

test('minute buckets, or a window without a whole hour, past the retention are refused with the reason', () => {
  const minutes = { from: at('2026-11-22T12:00:00Z'), to: now };
  assert.throws(() => retainedWindow(minutes, 7, 'minute', now), (error: Error) =>
    error instanceof WindowOutsideRetentionError && /minute buckets/.test(error.message) && /RAW_RETENTION_DAYS/.test(error.message) && error.message.includes('2026-11-22T12:34:56.789Z'));
  const inside = { from: at('2026-11-01T08:05:00Z'), to: at('2026-11-01T08:55:00Z') };
  assert.throws(() => retainedWindow(inside, 7, undefined, now), /no whole hour.*kept for 7 days/);
});

test('property: the counted window lies inside the asked one, and its edges before the horizon are whole hours', () => {
  let seed = 7;
  const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  for (let i = 0; i < 2000; i += 1) {
    const days = 1 + Math.floor(random() * 30);
    const horizon = now.getTime() - days * DAY;
    const from = new Date(horizon + (random() - 0.7) * 4 * DAY);
    const to = new Date(from.getTime() + 1 + random() * 3 * DAY);
    let counted;
    try {
      counted = retainedWindow({ from, to }, days, 'hour', now);
    } catch (error) {
      // Refused only when the window starts past the horizon and holds no whole hour.
      assert.ok(error instanceof WindowOutsideRetentionError);
      assert.ok(from.getTime() < horizon && to.getTime() - from.getTime() < 2 * HOUR);
      continue;
    }
    assert.ok(counted.from >= from && counted.to <= to && counted.from < counted.to);
    for (const edge of [counted.from, counted.to]) {
      if (edge.getTime() < horizon) assert.equal(edge.getTime() % HOUR, 0);
    }
    if (from.getTime() >= horizon) assert.deepEqual(counted, { from, to });
  }
});
