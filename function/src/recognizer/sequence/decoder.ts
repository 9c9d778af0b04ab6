/**
 * Viterbi decoding over BIO tags with forbidden transitions (O -> I-x, B-x -> I-y, start -> I-x)
 * excluded, so the best path is always a valid chunking.
 */
import { isAllowedTransition, isInside, OUTSIDE, TAGS, typeOfTag } from './labels';

const T = TAGS.length;
/** A module-local copy: imported bindings may compile to getters (tsx does), too slow in the inner loop. */
const O = OUTSIDE;

const TAG_INDICES = Array.from({ length: T }, (_, t) => t);
/** Tags allowed to start a sequence. */
const STARTS = TAG_INDICES.map((t) => isAllowedTransition(null, t));
/**
 * I-x may follow only B-x (tag - 1) and I-x (itself); every other tag may follow any tag.
 * Checked against isAllowedTransition at load, so the unrolled loops below stay in step with labels.ts.
 */
const INSIDE = TAG_INDICES.map((t) => isInside(t));
for (const t of TAG_INDICES) {
  const expected = INSIDE[t] ? [t - 1, t] : TAG_INDICES;
  if (JSON.stringify(TAG_INDICES.filter((p) => isAllowedTransition(p, t))) !== JSON.stringify(expected)) {
    throw new Error(`decoder: predecessors of tag ${t} differ from labels.ts`);
  }
}

/** Reused between calls (decoding is synchronous), grown for longer texts. */
let scratch = { score: new Float64Array(64 * T), back: new Int32Array(64 * T) };

/**
 * @param emissions n x T scores, row-major.
 * @param transitions (T + 1) x T scores: row 0 from the sequence start, row p + 1 from tag p.
 */
export function viterbi(emissions: Float64Array, n: number, transitions: Float64Array): Int32Array {
  const tags = new Int32Array(n);
  if (n === 0) return tags;
  if (scratch.score.length < n * T) scratch = { score: new Float64Array(2 * n * T), back: new Int32Array(2 * n * T) };
  const { score, back } = scratch;
  for (let t = 0; t < T; t += 1) score[t] = STARTS[t] ? transitions[t]! + emissions[t]! : -Infinity;
  for (let i = 1; i < n; i += 1) {
    const previousRow = (i - 1) * T;
    for (let t = 0; t < T; t += 1) {
      // Same order and strict comparison as a loop over PREDECESSORS[t]: ties go to the lower tag.
      let best = -Infinity;
      let bestPrevious = O;
      if (INSIDE[t]) {
        for (let p = t - 1; p <= t; p += 1) {
          const candidate = score[previousRow + p]! + transitions[p * T + T + t]!;
          if (candidate > best) {
            best = candidate;
            bestPrevious = p;
          }
        }
      } else {
        for (let p = 0; p < T; p += 1) {
          const candidate = score[previousRow + p]! + transitions[p * T + T + t]!;
          if (candidate > best) {
            best = candidate;
            bestPrevious = p;
          }
        }
      }
      score[i * T + t] = best + emissions[i * T + t]!;
      back[i * T + t] = bestPrevious;
    }
  }
  let last = O;
  for (let t = 1; t < T; t += 1) if (score[(n - 1) * T + t]! > score[(n - 1) * T + last]!) last = t;
  for (let i = n - 1; i >= 0; i -= 1) {
    tags[i] = last;
    last = back[i * T + last]!;
  }
  return tags;
}

export interface Chunk {
  /** Index into ENTITY_TYPES. */
  type: number;
  /** First token. */
  start: number;
  /** One past the last token. */
  end: number;
}

/** BIO tags -> chunks; a stray I-x (never produced by `viterbi`) starts a new chunk. */
export function chunks(tags: ArrayLike<number>): Chunk[] {
  const out: Chunk[] = [];
  let open: Chunk | undefined;
  for (let i = 0; i < tags.length; i += 1) {
    const tag = tags[i]!;
    if (open && isInside(tag) && typeOfTag(tag) === open.type) {
      open.end = i + 1;
      continue;
    }
    open = tag === OUTSIDE ? undefined : { type: typeOfTag(tag), start: i, end: i + 1 };
    if (open) out.push(open);
  }
  return out;
}
