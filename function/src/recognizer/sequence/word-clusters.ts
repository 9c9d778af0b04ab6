/**
 * Word clusters: each word of a large English vocabulary in a cluster of words whose embeddings
 * lie close, at a few granularities. A name the training comments never showed usually shares a
 * cluster with names they did, so the model generalizes to unseen words without carrying
 * embeddings at run time: a cluster id is one more feature of the word's own text.
 */

export interface WordClusterLists {
  /** Clusters per level, coarse to fine, e.g. [64, 512]. */
  levels: readonly number[];
  /**
   * Lower-cased words in ascending order (JavaScript string order), each once: a list, or one
   * string of them joined by line breaks, as a binary model file holds them.
   */
  words: readonly string[] | string;
  /** Word count x levels.length cluster ids, row-major: word w's id at level l is ids[w * levels.length + l]. */
  ids: ArrayLike<number>;
}

/**
 * Throws unless the words are sorted, each once, and every id is within its level. A listed
 * form is checked when the model file is written and when it is loaded from JSON; a binary
 * file's joined words were checked when train:ner wrote them, and loading checks only sizes
 * (checking 50,000 words and 100,000 ids took ~10 ms of every cold start).
 */
export function checkWordClusters({ levels, words, ids }: WordClusterLists & { words: readonly string[] }): void {
  if (ids.length !== words.length * levels.length) throw new Error(`word clusters: ${ids.length} ids for ${words.length} words x ${levels.length} levels`);
  for (let k = 1; k < words.length; k += 1) {
    if (!(words[k - 1]! < words[k]!)) throw new Error(`word clusters: ${JSON.stringify(words[k])} is listed twice or out of order`);
  }
  for (let at = 0; at < ids.length; at += 1) {
    const id = ids[at]!;
    if (!Number.isInteger(id) || id < 0 || id >= levels[at % levels.length]!) throw new Error(`word clusters: id ${id} out of range at ${at}`);
  }
}

export class WordClusters {
  readonly levels: number;
  /**
   * The sorted words joined by line breaks, found by binary search: one string rather than a map
   * of 50,000, which held about 4 MB more heap. Only a token text seen for the first time looks here.
   */
  private readonly text: string;
  /** Word k is text[starts[k], starts[k + 1] - 1). */
  private readonly starts: Int32Array;
  private readonly ids: Int32Array;

  constructor(lists: WordClusterLists) {
    const { levels, words, ids } = lists;
    if (typeof words !== 'string') checkWordClusters({ levels, words, ids });
    this.levels = levels.length;
    this.text = typeof words === 'string' ? words : words.join('\n');
    const count = ids.length / levels.length;
    if (!Number.isInteger(count)) throw new Error(`word clusters: ${ids.length} ids for ${levels.length} levels`);
    this.starts = new Int32Array(count + 1);
    let at = 0;
    for (let k = 1; k < count; k += 1) {
      at = this.text.indexOf('\n', at) + 1;
      if (at === 0) throw new Error(`word clusters: ${k} words where the ids hold ${count}`);
      this.starts[k] = at;
    }
    if (count > 0 && this.text.indexOf('\n', at) >= 0) throw new Error(`word clusters: more words than the ids hold (${count})`);
    this.starts[count] = this.text.length + 1;
    // A copy: a view would keep the whole model file's buffer alive.
    this.ids = Int32Array.from(ids);
  }

  /** The word's cluster at `level`, or -1 when the vocabulary lacks the word. */
  clusterOf(lowerWord: string, level: number): number {
    let low = 0;
    let high = this.starts.length - 2;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const order = this.compareWord(middle, lowerWord);
      if (order === 0) return this.ids[middle * this.levels + level]!;
      if (order < 0) low = middle + 1;
      else high = middle - 1;
    }
    return -1;
  }

  /** Word k against `word` in JavaScript string order (UTF-16 code units), without slicing it out. */
  private compareWord(k: number, word: string): number {
    const start = this.starts[k]!;
    const length = this.starts[k + 1]! - 1 - start;
    const shared = Math.min(length, word.length);
    for (let i = 0; i < shared; i += 1) {
      const difference = this.text.charCodeAt(start + i) - word.charCodeAt(i);
      if (difference !== 0) return difference;
    }
    return length - word.length;
  }
}
