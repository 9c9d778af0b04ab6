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
/** The previous token's tags that can still win a free tag (O or B-x), per `viterbi` step. */
const contenders = new Int32Array(T);

/**
 * For pruning predecessors of the free tags (those any tag may precede): each tag's best
 * transition into a free tag, and the worst transition between any tag and a free tag. Computed
 * per call, as training changes the transitions in place.
 */
const bestOut = new Float64Array(T);

function freeTagBounds(transitions: Float64Array): number {
  let worstIn = Infinity;
  for (let p = 0; p < T; p += 1) {
    let best = -Infinity;
    for (let t = 0; t < T; t += 1) {
      if (INSIDE[t]) continue;
      best = Math.max(best, transitions[p * T + T + t]!);
      worstIn = Math.min(worstIn, transitions[p * T + T + t]!);
    }
    bestOut[p] = best;
  }
  return worstIn;
}

/**
 * @param emissions n x T scores, row-major.
 * @param transitions (T + 1) x T scores: row 0 from the sequence start, row p + 1 from tag p.
 */
export function viterbi(emissions: Float64Array, n: number, transitions: Float64Array): number[] {
  // A plain array: a typed one per call costs a buffer of its own, about a fifth of this function.
  const tags = new Array<number>(n);
  if (n === 0) return tags;
  if (scratch.score.length < n * T) scratch = { score: new Float64Array(2 * n * T), back: new Int32Array(2 * n * T) };
  const { score, back } = scratch;
  const worstIn = freeTagBounds(transitions);
  for (let t = 0; t < T; t += 1) score[t] = STARTS[t] ? transitions[t]! + emissions[t]! : -Infinity;
  for (let i = 1; i < n; i += 1) {
    const previousRow = (i - 1) * T;
    // A predecessor whose best way into any free tag stays strictly below the leading previous
    // tag's worst way in can neither win nor tie for a free tag: it is skipped (most are, as O
    // usually leads by far).
    let leader = score[previousRow]!;
    for (let p = 1; p < T; p += 1) leader = Math.max(leader, score[previousRow + p]!);
    const floor = leader + worstIn;
    let count = 0;
    for (let p = 0; p < T; p += 1) if (score[previousRow + p]! + bestOut[p]! >= floor) contenders[count++] = p;
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
        for (let c = 0; c < count; c += 1) {
          const p = contenders[c]!;
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

/**
 * Per tag t, the most a path can gain in transitions over the all-O path by tagging one token t:
 * its best way in (from the start or any allowed tag) against O's worst (O -> O or start -> O),
 * plus its way back to O against O -> O when it is positive.
 */
export function outsideBounds(transitions: Float64Array): Float64Array {
  const bounds = new Float64Array(T);
  const outsideIn = Math.min(transitions[O]!, transitions[O * T + T + O]!);
  for (let t = 0; t < T; t += 1) {
    if (t === O) continue;
    let bestIn = STARTS[t] ? transitions[t]! : -Infinity;
    for (let p = 0; p < T; p += 1) if (isAllowedTransition(p, t)) bestIn = Math.max(bestIn, transitions[p * T + T + t]!);
    bounds[t] = bestIn - outsideIn + Math.max(0, transitions[t * T + T + O]! - transitions[O * T + T + O]!);
  }
  return bounds;
}

/**
 * Whether all O is the one best path, so `viterbi` would return it: true when on every token each
 * tag's emission lead over O, plus its `outsideBounds`, is below zero. Any other path then scores
 * less, because its difference to all O is a sum of such terms over the tokens it tags. Emissions
 * come from sums of the same weights as in viterbi; the margin keeps rounding out of the decision.
 */
export function surelyOutside(emissions: Float64Array, n: number, bounds: Float64Array): boolean {
  for (let i = 0; i < n; i += 1) {
    const row = i * T;
    const outside = emissions[row + O]! - MARGIN;
    for (let t = 1; t < T; t += 1) if (emissions[row + t]! + bounds[t]! >= outside) return false;
  }
  return true;
}

const MARGIN = 1e-6;

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
