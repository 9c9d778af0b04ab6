import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { planRollup, type NextMentions } from './rollup-plan';

const at = (time: string): Date => new Date(`2026-11-29T${time}Z`);
const range = (start: string, end: string) => ({ start: at(start), end: at(end) });
const add = (start: string, end: string): NextMentions => ({ ...range(start, end), mode: 'add' });
const recount = (start: string, end: string): NextMentions => ({ ...range(start, end), mode: 'recount' });
const midnight = at('00:00:00');

describe('planRollup', () => {
  test('the usual run adds the mentions past the watermark and recounts nothing', () => {
    assert.deepEqual(planRollup(add('10:57:12', '11:02:30'), [], midnight), { recount: [], add: range('10:57:12', '11:02:30'), hours: [] });
  });

  test('nothing to do when the watermark cannot move and nothing changed', () => {
    assert.deepEqual(planRollup(add('10:57:12', '10:57:12'), [], midnight), { recount: [], add: null, hours: [] });
  });

  test('a first run recounts from its hour', () => {
    assert.deepEqual(planRollup(recount('09:00:00', '10:57:12'), [], midnight), {
      recount: [range('09:00:00', '10:57:12')],
      add: null,
      hours: [at('09:00:00'), at('10:00:00')],
    });
  });

  test('a changed bucket kept at the 5-minute level is recounted alone; duplicates and neighbours merge', () => {
    const plan = planRollup(add('10:57:12', '10:58:00'), [at('08:15:00'), at('08:10:00'), at('08:15:00'), at('09:40:00')], midnight);
    assert.deepEqual(plan, {
      recount: [range('08:10:00', '08:20:00'), range('09:40:00', '09:45:00')],
      add: range('10:57:12', '10:58:00'),
      hours: [at('08:00:00'), at('09:00:00')],
    });
  });

  test("the watermark's own bucket is recounted up to the watermark, the rest added", () => {
    const plan = planRollup(add('10:57:12', '10:58:00'), [at('10:55:00'), at('10:57:30'), at('11:00:00')], midnight);
    assert.deepEqual(plan, { recount: [range('10:55:00', '10:57:12')], add: range('10:57:12', '10:58:00'), hours: [at('10:00:00')] });
  });

  test('a changed bucket older than the 5-minute level has its whole hour recounted', () => {
    const plan = planRollup(add('10:57:12', '10:58:00'), [at('03:25:00'), at('03:50:00'), at('06:05:00')], at('06:00:00'));
    assert.deepEqual(plan.recount, [range('03:00:00', '04:00:00'), range('06:05:00', '06:10:00')]);
    assert.deepEqual(plan.hours, [at('03:00:00'), at('06:00:00')]);
  });

  test('for any changes: disjoint ranges behind the watermark that cover every changed bucket, and their hours', () => {
    const fiveMinutesFrom = at('04:00:00');
    for (const next of [add('10:43:17', '10:49:00'), recount('10:00:00', '10:43:17')]) {
      for (let round = 0; round < 200; round += 1) {
        const changed = Array.from({ length: 1 + (round % 7) }, () => new Date(midnight.getTime() + Math.random() * 11 * 3_600_000));
        const plan = planRollup(next, changed, fiveMinutesFrom);
        for (const [i, { start, end }] of plan.recount.entries()) {
          assert.ok(start < end);
          if (i > 0) assert.ok(plan.recount[i - 1]!.end < start, 'disjoint and not adjacent');
          assert.ok(end <= (next.mode === 'add' ? next.start : next.end), 'nothing past what the run rolls up');
        }
        for (const bucket of changed) {
          if (bucket >= next.start) continue;
          const covering = plan.recount.find((r) => r.start <= bucket && bucket < r.end);
          assert.ok(covering, `${bucket.toISOString()} is recounted`);
          if (bucket < fiveMinutesFrom) {
            const hour = Math.floor(bucket.getTime() / 3_600_000) * 3_600_000;
            assert.ok(covering.start.getTime() <= hour && hour + 3_600_000 <= covering.end.getTime(), 'its whole hour');
          }
        }
        const touched = new Set<number>();
        for (const r of plan.recount) {
          for (let hour = Math.floor(r.start.getTime() / 3_600_000); hour * 3_600_000 < r.end.getTime(); hour += 1) touched.add(hour);
        }
        assert.deepEqual(plan.hours.map((h) => h.getTime() / 3_600_000), [...touched].sort((a, b) => a - b));
      }
    }
  });
});
