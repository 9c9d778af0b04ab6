import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { chunks, outsideBounds, surelyOutside, viterbi } from './decoder';
import { beginTag, isAllowedTransition, OUTSIDE, TAGS } from './labels';

const T = TAGS.length;

test('decoding follows the emissions when transitions are neutral', () => {
  const emissions = new Float64Array(3 * T);
  emissions[0 * T + beginTag(0)] = 5; // B-person
  emissions[1 * T + beginTag(0) + 1] = 5; // I-person
  emissions[2 * T + OUTSIDE] = 5;
  assert.deepEqual([...viterbi(emissions, 3, new Float64Array((T + 1) * T))], [beginTag(0), beginTag(0) + 1, OUTSIDE]);
});

test('a strong I tag pulls in its B instead of following O', () => {
  const emissions = new Float64Array(2 * T);
  emissions[0 * T + OUTSIDE] = 10;
  emissions[1 * T + beginTag(2) + 1] = 100; // I-corporation
  const tags = viterbi(emissions, 2, new Float64Array((T + 1) * T));
  assert.deepEqual([...tags], [beginTag(2), beginTag(2) + 1]);
  emissions[1 * T + beginTag(2) + 1] = 5; // now weaker than O + B at the start
  assert.deepEqual([...viterbi(emissions, 2, new Float64Array((T + 1) * T))], [OUTSIDE, OUTSIDE]);
});

test('every decoded sequence is valid BIO, for any scores', () => {
  fc.assert(fc.property(
    fc.integer({ min: 1, max: 12 }).chain((n) => fc.tuple(
      fc.constant(n),
      fc.array(fc.double({ min: -50, max: 50, noNaN: true }), { minLength: n * T, maxLength: n * T }),
      fc.array(fc.double({ min: -50, max: 50, noNaN: true }), { minLength: (T + 1) * T, maxLength: (T + 1) * T }),
    )),
    ([n, emissions, transitions]) => {
      const tags = viterbi(Float64Array.from(emissions), n, Float64Array.from(transitions));
      for (let i = 0; i < n; i += 1) assert.ok(isAllowedTransition(i === 0 ? null : tags[i - 1]!, tags[i]!));
    },
  ), { numRuns: 300 });
});

/** Viterbi over every allowed predecessor, ties to the lower tag: what `viterbi` must equal. */
function plainViterbi(emissions: Float64Array, n: number, transitions: Float64Array): number[] {
  const score: number[][] = [];
  const back: number[][] = [];
  for (let i = 0; i < n; i += 1) {
    score.push([]);
    back.push([]);
    for (let t = 0; t < T; t += 1) {
      let best = -Infinity;
      let from = OUTSIDE;
      if (i === 0) best = isAllowedTransition(null, t) ? transitions[t]! : -Infinity;
      else {
        for (let p = 0; p < T; p += 1) {
          if (isAllowedTransition(p, t) && score[i - 1]![p]! + transitions[p * T + T + t]! > best) {
            best = score[i - 1]![p]! + transitions[p * T + T + t]!;
            from = p;
          }
        }
      }
      score[i]![t] = best + emissions[i * T + t]!;
      back[i]![t] = from;
    }
  }
  let last = OUTSIDE;
  for (let t = 1; t < T; t += 1) if (score[n - 1]![t]! > score[n - 1]![last]!) last = t;
  const tags: number[] = [];
  for (let i = n - 1; i >= 0; i -= 1) {
    tags.unshift(last);
    last = back[i]![last]!;
  }
  return tags;
}

test('the pruned search returns the path of a search over every predecessor, ties included', () => {
  fc.assert(fc.property(
    fc.integer({ min: 1, max: 12 }).chain((n) => fc.tuple(
      fc.constant(n),
      // Small integers, as the model's thousandths are: many ties.
      fc.array(fc.integer({ min: -6, max: 6 }), { minLength: n * T, maxLength: n * T }),
      fc.array(fc.integer({ min: -6, max: 6 }), { minLength: (T + 1) * T, maxLength: (T + 1) * T }),
      fc.integer({ min: 0, max: 20 }),
      fc.integer({ min: -10, max: 10 }),
    )),
    ([n, scores, weights, lead, drift]) => {
      const emissions = Float64Array.from(scores);
      for (let i = 0; i < n; i += 1) {
        emissions[i * T + OUTSIDE]! += lead; // O often far ahead, as in comments
        // Paths that gain or lose on every token: the leading score moves both ways.
        for (let t = 0; t < T; t += 1) emissions[i * T + t]! += drift;
      }
      assert.deepEqual([...viterbi(emissions, n, Float64Array.from(weights))], plainViterbi(emissions, n, Float64Array.from(weights)));
    },
  ), { numRuns: 3000 });
});

test('chunks group B and following I tags of the same type', () => {
  const bPerson = beginTag(0);
  const bLocation = beginTag(1);
  assert.deepEqual(chunks([bPerson, bPerson + 1, OUTSIDE, bLocation, bPerson, bLocation + 1]), [
    { type: 0, start: 0, end: 2 },
    { type: 1, start: 3, end: 4 },
    { type: 0, start: 4, end: 5 },
    { type: 1, start: 5, end: 6 },
  ]);
  assert.deepEqual(chunks([]), []);
});

test('when surelyOutside says so, Viterbi returns all O, for any scores', () => {
  let fired = 0;
  fc.assert(fc.property(
    fc.integer({ min: 1, max: 8 }).chain((n) => fc.tuple(
      fc.constant(n),
      fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: n * T, maxLength: n * T }),
      fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: (T + 1) * T, maxLength: (T + 1) * T }),
      fc.double({ min: 0, max: 60, noNaN: true }),
    )),
    ([n, scores, weights, lead]) => {
      const emissions = Float64Array.from(scores);
      for (let i = 0; i < n; i += 1) emissions[i * T + OUTSIDE]! += lead; // often, but not always, enough
      const transitions = Float64Array.from(weights);
      if (!surelyOutside(emissions, n, outsideBounds(transitions))) return;
      fired += 1;
      assert.deepEqual([...viterbi(emissions, n, transitions)], new Array(n).fill(OUTSIDE));
    },
  ), { numRuns: 2000 });
  assert.ok(fired > 100, `the shortcut fired ${fired} times`);
});

test('surelyOutside refuses as soon as one token could start an entity', () => {
  const transitions = new Float64Array((T + 1) * T);
  const emissions = new Float64Array(3 * T);
  for (let i = 0; i < 3; i += 1) emissions[i * T + OUTSIDE] = 5;
  assert.equal(surelyOutside(emissions, 3, outsideBounds(transitions)), true);
  emissions[1 * T + beginTag(0)] = 5; // a tie with O
  assert.equal(surelyOutside(emissions, 3, outsideBounds(transitions)), false);
});
