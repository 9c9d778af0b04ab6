/**
 * Phrase lists (cities, countries, first names, ...) matched over lower-cased tokens.
 * Phrases are stored as their wink tokens joined by single spaces, so a phrase matches
 * exactly when wink tokenizes the comment the same way it tokenized the list entry.
 */

export type GazetteerLists = Record<string, readonly string[]>;

/** Per token, bit k set when list k (in `listNames` order) matches there. */
export interface GazetteerMatches {
  /** The token starts a match. */
  begins: Int32Array;
  /** The token continues a match. */
  insides: Int32Array;
}

/** Above the 30 list bits: the phrase begins a longer one. */
const PREFIX = 1 << 30;

export class Gazetteer {
  readonly listNames: readonly string[];
  /**
   * Phrase -> bit k set when list k holds it, plus PREFIX when the phrase (listed or not) begins a
   * longer one, so matching extends a phrase only while one can follow: one lookup per step.
   */
  private readonly phrases = new Map<string, number>();
  private readonly geopoliticalMask: number;
  /** Scratch of `match`: per list, the token where its last match ended. */
  private readonly coveredUntil: Int32Array;

  constructor(lists: GazetteerLists, geopoliticalLists: readonly string[] = []) {
    this.listNames = Object.keys(lists).sort();
    if (this.listNames.length > 30) throw new Error('at most 30 gazetteer lists');
    this.coveredUntil = new Int32Array(this.listNames.length);
    this.listNames.forEach((name, bit) => {
      for (const phrase of lists[name]!) {
        // Every proper word prefix: the phrase up to each of its spaces.
        for (let space = phrase.indexOf(' '); space >= 0; space = phrase.indexOf(' ', space + 1)) this.mark(phrase.slice(0, space), PREFIX);
        this.mark(phrase, 1 << bit);
      }
    });
    this.geopoliticalMask = geopoliticalLists.reduce((mask, name) => {
      const bit = this.listNames.indexOf(name);
      if (bit < 0) throw new Error(`unknown gazetteer list ${name}`);
      return mask | (1 << bit);
    }, 0);
  }

  /**
   * What a one-word phrase is: its list bits, plus PREFIX when longer phrases begin with it.
   * Callers that see a word often cache this and pass it to `match`.
   */
  entry(lowerWord: string): number {
    return this.phrases.get(lowerWord) ?? 0;
  }

  /**
   * Longest matches per list, leftmost first, over lower-cased tokens; `entries[i]` is
   * `entry(lower[i])`. Most words are in no list and begin no phrase: they cost nothing.
   * Fills `into.begins` and `into.insides` from 0 to lower.length (the caller's buffers, reused
   * between comments: a fresh typed array per comment costs more than the matching).
   */
  match(lower: readonly string[], entries: ArrayLike<number>, into: GazetteerMatches): void {
    const n = lower.length;
    const { begins, insides } = into;
    begins.fill(0, 0, n);
    insides.fill(0, 0, n);
    const coveredUntil = this.coveredUntil.fill(0);
    for (let i = 0; i < n; i += 1) {
      if (entries[i] === 0) continue;
      // Matches starting here, longest last: (length, list bits) pairs.
      const found: number[] = [];
      let entry = entries[i]!;
      let phrase = lower[i]!;
      for (let j = i; ; ) {
        const mask = entry & ~PREFIX;
        if (mask !== 0) found.push(j - i + 1, mask);
        j += 1;
        if (j >= n || (entry & PREFIX) === 0) break;
        phrase = `${phrase} ${lower[j]}`;
        entry = this.entry(phrase);
      }
      for (let f = found.length - 2; f >= 0; f -= 2) {
        const length = found[f]!;
        const mask = found[f + 1]!;
        for (let bit = 0; bit < this.listNames.length; bit += 1) {
          if ((mask & (1 << bit)) === 0 || coveredUntil[bit]! > i) continue;
          coveredUntil[bit] = i + length;
          begins[i]! |= 1 << bit;
          for (let k = i + 1; k < i + length; k += 1) insides[k]! |= 1 << bit;
        }
      }
    }
  }

  private mark(phrase: string, bits: number): void {
    this.phrases.set(phrase, (this.phrases.get(phrase) ?? 0) | bits);
  }

  /** Whether the whole phrase is a country, state, city or other geopolitical entry. */
  isGeopolitical(lowerPhrase: string): boolean {
    return (this.entry(lowerPhrase) & this.geopoliticalMask) !== 0;
  }
}
