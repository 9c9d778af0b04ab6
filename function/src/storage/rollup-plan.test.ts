import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { planRollup, type NextMentions } from './rollup-plan';

const at = (time: string): Date => new Date(`2026-11-29T${time}Z`);
const range = (start: string, end: string) => ({ start: at(start), end: at(end) });
const add = (start: string, end: string): NextMentions => ({ ...range(start, end), mode: 'add' });
const recount = (start: string, end: string): NextMentions => ({ ...range(start, end), mode: 'recount' });
const midnight = at('00:00:00');
const HOUR = 3_600_000;

describe('planRollup', () => {
  test('the usual run adds the mentions past the watermark and recounts nothing', () => {
    assert.deepEqual(planRollup(add('10:57:12', '11:02:30'), [], midnight), {
      recount: [], adjust: [], adjustedHours: [], add: range('10:57:12', '11:02:30'), hours: [],
    });
  });

  test('nothing to do when the watermark cannot move and nothing changed', () => {
    assert.deepEqual(planRollup(add('10:57:12', '10:57:12'), [], midnight), { recount: [], adjust: [], adjustedHours: [], add: null, hours: [] });
  });

  test('a first run recounts from its hour and sums its hours in full', () => {
    assert.deepEqual(planRollup(recount('09:00:00', '10:57:12'), [], midnight), {
      recount: [range('09:00:00', '10:57:12')], adjust: [], adjustedHours: [], add: null, hours: [at('09:00:00'), at('10:00:00')],
    });
  });

  test('changed buckets kept at the 5-minute level are recounted alone and their hours adjusted; duplicates and neighbours merge', () => {
    const plan = planRollup(add('10:57:12', '10:58:00'), [at('08:15:00'), at('08:10:00'), at('08:15:00'), at('09:55:00'), at('10:00:00')], midnight);
    const buckets = [range('08:10:00', '08:20:00'), range('09:55:00', '10:05:00')];
    assert.deepEqual(plan, { recount: buckets, adjust: buckets, adjustedHours: [at('08:00:00'), at('09:00:00'), at('10:00:00')], add: range('10:57:12', '10:58:00'), hours: [] });
  });

  test("the watermark's own bucket is recounted up to the watermark, the rest added", () => {
    const plan = planRollup(add('10:57:12', '10:58:00'), [at('10:55:00'), at('10:57:30'), at('11:00:00')], midnight);
    assert.deepEqual(plan.recount, [range('10:55:00', '10:57:12')]);
    assert.deepEqual(plan.adjust, plan.recount);
    assert.deepEqual(plan.add, range('10:57:12', '10:58:00'));
  });

  test('a changed bucket older than the 5-minute level has its whole hour recounted and summed; buckets there need no adjusting', () => {
    const plan = planRollup(add('10:57:12', '10:58:00'), [at('03:25:00'), at('03:50:00'), at('06:05:00'), at('05:55:00')], at('04:00:00'));
    assert.deepEqual(plan.recount, [range('03:00:00', '04:00:00'), range('05:55:00', '06:00:00'), range('06:05:00', '06:10:00')]);
    assert.deepEqual(plan.hours, [at('03:00:00')]);
    assert.deepEqual(plan.adjust, [range('05:55:00', '06:00:00'), range('06:05:00', '06:10:00')]);
    assert.deepEqual(plan.adjustedHours, [at('05:00:00'), at('06:00:00')]);
  });

  test('for any changes: disjoint ranges behind the watermark; every changed bucket recounted and either adjusted or in an hour summed in full', () => {
    const fiveMinutesFrom = at('04:00:00');
    for (const next of [add('10:43:17', '10:49:00'), recount('10:00:00', '10:43:17')]) {
      for (let round = 0; round < 200; round += 1) {
        const changed = Array.from({ length: 1 + (round % 7) }, () => new Date(midnight.getTime() + Math.random() * 11 * HOUR));
        const plan = planRollup(next, changed, fiveMinutesFrom);
        for (const list of [plan.recount, plan.adjust]) {
          for (const [i, { start, end }] of list.entries()) {
            assert.ok(start < end);
            if (i > 0) assert.ok(list[i - 1]!.end < start, 'disjoint and not adjacent');
            assert.ok(end <= (next.mode === 'add' ? next.start : next.end), 'nothing past what the run rolls up');
          }
        }
        const inside = (list: { start: Date; end: Date }[], time: Date) => list.find((r) => r.start <= time && time < r.end);
        const summedInFull = (time: Date) => plan.hours.some((hour) => hour.getTime() === Math.floor(time.getTime() / HOUR) * HOUR);
        for (const bucket of changed) {
          if (bucket >= next.start) continue;
          assert.ok(inside(plan.recount, bucket), `${bucket.toISOString()} is recounted`);
          assert.ok(Boolean(inside(plan.adjust, bucket)) !== summedInFull(bucket), `${bucket.toISOString()}: adjusted, or its hour summed in full`);
          if (bucket < fiveMinutesFrom) assert.ok(summedInFull(bucket), 'an hour without its 5-minute buckets is summed in full');
        }
        for (const r of plan.adjust) {
          for (let hour = Math.floor(r.start.getTime() / HOUR); hour * HOUR < r.end.getTime(); hour += 1) {
            assert.ok(plan.adjustedHours.some((h) => h.getTime() === hour * HOUR));
          }
        }
      }
    }
  });
});
