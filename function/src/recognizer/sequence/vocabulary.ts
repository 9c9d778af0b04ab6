/**
 * Strings (words, shapes, affixes, tags) -> small integer ids, so features are numbers
 * rather than concatenated strings: inference then hashes each token's strings once.
 */

/** Reserved ids: unknown string, before the first token, after the last token. */
export const UNKNOWN = 0;
export const BEFORE = 1;
export const AFTER = 2;
const FIRST_ID = 3;

export class Vocabulary {
  private readonly ids = new Map<string, number>();
  private readonly list: string[];

  /** @param growable training adds unseen strings; a loaded model's vocabulary is fixed. */
  constructor(entries: readonly string[] = [], private readonly growable = false) {
    // A plain loop, not `add` per entry: a model's 20,000 strings are loaded at every cold start.
    this.list = entries.slice();
    for (let k = 0; k < entries.length; k += 1) this.ids.set(entries[k]!, FIRST_ID + k);
  }

  id(value: string): number {
    const id = this.ids.get(value);
    if (id !== undefined) return id;
    return this.growable ? this.add(value) : UNKNOWN;
  }

  /** Strings in id order (id = index + 3), as stored in the model file. */
  get entries(): readonly string[] {
    return this.list;
  }

  private add(value: string): number {
    const id = FIRST_ID + this.list.length;
    this.ids.set(value, id);
    this.list.push(value);
    return id;
  }
}
