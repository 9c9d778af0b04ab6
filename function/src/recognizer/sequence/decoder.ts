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

/** The free tags, O and B-x: any tag may precede them. */
const FREE = Int32Array.from(TAG_INDICES.filter((t) => !INSIDE[t]));

/** Reused between calls (decoding is synchronous), grown for longer texts. */
let scratch = { score: new Float64Array(64 * T), back: new Int32Array(64 * T) };
/** The previous token's tags that can still win a free tag, per `viterbi` step. */
const contenders = new Int32Array(T);

/**
 * For pruning predecessors of the free tags: each tag's best transition into a free tag, and
 * the worst transition between any tag and a free tag.
 */
export interface FreeTagBounds {
  readonly bestOut: Float64Array;
  readonly worstIn: number;
}

export function freeTagBounds(transitions: Float64Array): FreeTagBounds {
  const bestOut = new Float64Array(T).fill(-Infinity);
  let worstIn = Infinity;
  for (let p = 0; p < T; p += 1) {
    for (const t of FREE) {
      bestOut[p] = Math.max(bestOut[p]!, transitions[p * T + T + t]!);
      worstIn = Math.min(worstIn, transitions[p * T + T + t]!);
    }
  }
  return { bestOut, worstIn };
}

/**
 * @param emissions n x T scores, row-major.
 * @param transitions (T + 1) x T scores: row 0 from the sequence start, row p + 1 from tag p.
 * @param bounds `freeTagBounds(transitions)`: a served model computes them once; training, which
 *   changes its transitions in place, per call.
 */
export function viterbi(emissions: Float64Array, n: number, transitions: Float64Array, bounds = freeTagBounds(transitions)): number[] {
  // A plain array: a typed one per call costs a buffer of its own, about a fifth of this function.
  const tags = new Array<number>(n);
  if (n === 0) return tags;
  if (scratch.score.length < n * T) scratch = { score: new Float64Array(2 * n * T), back: new Int32Array(2 * n * T) };
  const { score, back } = scratch;
  const { bestOut, worstIn } = bounds;
  let leader = -Infinity;
  for (let t = 0; t < T; t += 1) {
    score[t] = STARTS[t] ? transitions[t]! + emissions[t]! : -Infinity;
    leader = Math.max(leader, score[t]!);
  }
  for (let i = 1; i < n; i += 1) {
    const previousRow = (i - 1) * T;
    const row = i * T;
    // A predecessor whose best way into any free tag stays strictly below the leading previous
    // tag's worst way in can neither win nor tie for a free tag: it is skipped (most are, as O
    // usually leads by far).
    const floor = leader + worstIn;
    let count = 0;
    for (let p = 0; p < T; p += 1) if (score[previousRow + p]! + bestOut[p]! >= floor) contenders[count++] = p;
    let nextLeader = -Infinity;
    if (count === 1) {
      // The usual case: one contender is every free tag's best predecessor.
      const p = contenders[0]!;
      const from = score[previousRow + p]!;
      for (let f = 0; f < FREE.length; f += 1) {
        const t = FREE[f]!;
        score[row + t] = from + transitions[p * T + T + t]! + emissions[row + t]!;
        back[row + t] = p;
        nextLeader = Math.max(nextLeader, score[row + t]!);
      }
    } else for (let f = 0; f < FREE.length; f += 1) {
      const t = FREE[f]!;
      // Same order and strict comparison as a loop over every predecessor: ties go to the lower tag.
      let best = -Infinity;
      let bestPrevious = O;
      for (let c = 0; c < count; c += 1) {
        const p = contenders[c]!;
        const candidate = score[previousRow + p]! + transitions[p * T + T + t]!;
        if (candidate > best) {
          best = candidate;
          bestPrevious = p;
        }
      }
      score[row + t] = best + emissions[row + t]!;
      back[row + t] = bestPrevious;
      nextLeader = Math.max(nextLeader, score[row + t]!);
    }
    // I-x: from B-x (t - 1) or I-x, ties to B-x.
    for (let t = 0; t < T; t += 1) {
      if (!INSIDE[t]) continue;
      const fromBegin = score[previousRow + t - 1]! + transitions[(t - 1) * T + T + t]!;
      const fromInside = score[previousRow + t]! + transitions[t * T + T + t]!;
      score[row + t] = Math.max(fromBegin, fromInside) + emissions[row + t]!;
      back[row + t] = fromInside > fromBegin ? t : t - 1;
      nextLeader = Math.max(nextLeader, score[row + t]!);
    }
    leader = nextLeader;
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
