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

  constructor(lists: GazetteerLists, geopoliticalLists: readonly string[] = []) {
    this.listNames = Object.keys(lists).sort();
    if (this.listNames.length > 30) throw new Error('at most 30 gazetteer lists');
    this.listNames.forEach((name, bit) => {
      for (const phrase of lists[name]!) {
        const words = phrase.split(' ');
        for (let k = 1; k < words.length; k += 1) this.mark(words.slice(0, k).join(' '), PREFIX);
        this.mark(phrase, 1 << bit);
      }
    });
    this.geopoliticalMask = geopoliticalLists.reduce((mask, name) => {
      const bit = this.listNames.indexOf(name);
      if (bit < 0) throw new Error(`unknown gazetteer list ${name}`);
      return mask | (1 << bit);
    }, 0);
  }

  /** Longest matches per list, leftmost first, over lower-cased tokens. */
  match(lower: readonly string[]): GazetteerMatches {
    const n = lower.length;
    const begins = new Int32Array(n);
    const insides = new Int32Array(n);
    const coveredUntil = new Array<number>(this.listNames.length).fill(0);
    const found: { length: number; mask: number }[] = [];
    for (let i = 0; i < n; i += 1) {
      found.length = 0;
      let phrase = lower[i]!;
      for (let j = i; ; ) {
        const entry = this.phrases.get(phrase) ?? 0;
        const mask = entry & ~PREFIX;
        if (mask !== 0) found.push({ length: j - i + 1, mask });
        j += 1;
        if (j >= n || (entry & PREFIX) === 0) break;
        phrase = `${phrase} ${lower[j]}`;
      }
      for (let f = found.length - 1; f >= 0; f -= 1) {
        const { length, mask } = found[f]!;
        for (let bit = 0; bit < this.listNames.length; bit += 1) {
          if ((mask & (1 << bit)) === 0 || coveredUntil[bit]! > i) continue;
          coveredUntil[bit] = i + length;
          begins[i]! |= 1 << bit;
          for (let k = i + 1; k < i + length; k += 1) insides[k]! |= 1 << bit;
        }
      }
    }
    return { begins, insides };
  }

  private mark(phrase: string, bits: number): void {
    this.phrases.set(phrase, (this.phrases.get(phrase) ?? 0) | bits);
  }

  /** Whether the whole phrase is a country, state, city or other geopolitical entry. */
  isGeopolitical(lowerPhrase: string): boolean {
    return ((this.phrases.get(lowerPhrase) ?? 0) & this.geopoliticalMask) !== 0;
  }
}
