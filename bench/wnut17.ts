/**
 * WNUT-17 comments as plain texts (tokens joined by spaces), for benchmarks and tests.
 * The data sits beside the repository: ../shared/data/wnut17 from the repository root.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

export const WNUT17_DIR = path.resolve(__dirname, '..', '..', 'shared', 'data', 'wnut17');

export function readWnut17(file: 'wnut17train.conll' | 'emerging.dev.conll' = 'wnut17train.conll'): string[] {
  const texts: string[] = [];
  let tokens: string[] = [];
  for (const line of readFileSync(path.join(WNUT17_DIR, file), 'utf8').split('\n')) {
    const token = line.split('\t', 1)[0]!.trim();
    if (token !== '') {
      tokens.push(token);
    } else if (tokens.length > 0) {
      texts.push(tokens.join(' '));
      tokens = [];
    }
  }
  if (tokens.length > 0) texts.push(tokens.join(' '));
  return texts;
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
