/**
 * WNUT-17 comments as plain texts (tokens joined by spaces), for benchmarks and tests.
 * The data sits beside the repository: ../shared/data/wnut17 from the repository root.
 */
import path from 'node:path';
import { readConll, WNUT_DIR } from '../scripts/ner/conll';

export function readWnut17(file: 'wnut17train.conll' | 'emerging.dev.conll' = 'wnut17train.conll'): string[] {
  return readConll(path.join(WNUT_DIR, file)).map((example) => example.text);
}

/** The `index`-th of an endless series of distinct made-up words, all out of wink's vocabulary. */
export function novelWord(index: number, series = 0): string {
  return `zq${series.toString(36)}v${index.toString(36)}`;
}

/** `size` novel words from `first` on, joined by spaces: one synthetic comment. */
export function novelComment(first: number, size: number, series = 0): string {
  const words: string[] = [];
  for (let index = first; index < first + size; index += 1) words.push(novelWord(index, series));
  return words.join(' ');
}
