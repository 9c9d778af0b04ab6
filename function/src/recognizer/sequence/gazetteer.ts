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

/** A phrase (listed, or the first words of listed ones) in the word trie of all lists. */
export interface PhraseNode {
  /** Bit k set when list k holds the phrase itself. */
  readonly lists: number;
  /** The phrases one word longer, by that word; absent when none is listed. */
  readonly longer: ReadonlyMap<string, PhraseNode> | undefined;
}

/** A token as `match` reads it; callers that see a word often cache its `phrase`. */
export interface GazetteerWord {
  readonly lower: string;
  /** `Gazetteer.phrase(lower)`. */
  readonly phrase: PhraseNode | undefined;
}

interface MutablePhraseNode {
  lists: number;
  longer: Map<string, MutablePhraseNode> | undefined;
}

export class Gazetteer {
  readonly listNames: readonly string[];
  /**
   * One-word phrases; longer ones hang below them, word by word, so matching steps from a
   * token to the next by a look-up of that token's (cached) lower-cased text: no phrase strings.
   */
  private readonly firstWords = new Map<string, MutablePhraseNode>();
  private readonly geopoliticalMask: number;
  /** Scratch of `match`: per list, the token where its last match ended. */
  private readonly coveredUntil: Int32Array;
  /** Scratch of `match`: the matches starting at one token, as (length, list bits) pairs. */
  private readonly found: number[] = [];

  constructor(lists: GazetteerLists, geopoliticalLists: readonly string[] = []) {
    this.listNames = Object.keys(lists).sort();
    if (this.listNames.length > 30) throw new Error('at most 30 gazetteer lists');
    this.coveredUntil = new Int32Array(this.listNames.length);
    this.listNames.forEach((name, bit) => {
      const phrases = lists[name]!;
      for (let p = 0; p < phrases.length; p += 1) this.add(phrases[p]!, 1 << bit);
    });
    this.geopoliticalMask = geopoliticalLists.reduce((mask, name) => {
      const bit = this.listNames.indexOf(name);
      if (bit < 0) throw new Error(`unknown gazetteer list ${name}`);
      return mask | (1 << bit);
    }, 0);
  }

  /**
   * Adds a phrase, word by word. Most phrases are one word (cities, first names): a node gets its
   * `longer` map only when a phrase continues past it, as `PhraseNode` says (building an empty map
   * per node and pruning them afterwards cost ~15 ms of every cold start).
   */
  private add(phrase: string, listBit: number): void {
    let level = this.firstWords;
    for (let from = 0; ; ) {
      const space = phrase.indexOf(' ', from);
      const word = space < 0 ? (from === 0 ? phrase : phrase.slice(from)) : phrase.slice(from, space);
      let node = level.get(word);
      if (node === undefined) level.set(word, (node = { lists: 0, longer: undefined }));
      if (space < 0) {
        node.lists |= listBit;
        return;
      }
      level = node.longer ??= new Map();
      from = space + 1;
    }
  }

  /** The one-word phrase `lowerWord`, if any list holds it or a phrase beginning with it. */
  phrase(lowerWord: string): PhraseNode | undefined {
    return this.firstWords.get(lowerWord);
  }

  /**
   * Longest matches per list, leftmost first, over lower-cased tokens. Most words are in no list
   * and begin no phrase: they cost nothing.
   * Fills `into.begins` and `into.insides` from 0 to words.length (the caller's buffers, reused
   * between comments: a fresh typed array per comment costs more than the matching).
   */
  match(words: readonly GazetteerWord[], into: GazetteerMatches): void {
    const n = words.length;
    const { begins, insides } = into;
    begins.fill(0, 0, n);
    insides.fill(0, 0, n);
    const coveredUntil = this.coveredUntil.fill(0);
    const { found } = this;
    for (let i = 0; i < n; i += 1) {
      let node = words[i]!.phrase;
      if (node === undefined) continue;
      // Matches starting here, longest last.
      found.length = 0;
      for (let j = i; ; ) {
        if (node.lists !== 0) found.push(j - i + 1, node.lists);
        j += 1;
        if (j >= n || node.longer === undefined) break;
        const next: PhraseNode | undefined = node.longer.get(words[j]!.lower);
        if (next === undefined) break;
        node = next;
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

  /** Whether the whole phrase is a country, state, city or other geopolitical entry. */
  isGeopolitical(lowerPhrase: string): boolean {
    let node: PhraseNode | undefined;
    let level: ReadonlyMap<string, PhraseNode> | undefined = this.firstWords;
    for (const word of lowerPhrase.split(' ')) {
      node = level?.get(word);
      if (node === undefined) return false;
      level = node.longer;
    }
    return (node!.lists & this.geopoliticalMask) !== 0;
  }
}
