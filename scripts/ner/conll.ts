/**
 * WNUT-17 CoNLL files -> texts with gold entity spans, and gold spans -> BIO tags on wink's
 * tokens of the same text, so the model trains on exactly the tokens it sees at run time.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ENTITY_TYPES, beginTag, OUTSIDE, type EntityType } from '../../function/src/recognizer/sequence/labels';

/** The shared data set, beside the repository (CI clones the repository next to shared/). */
export const WNUT_DIR = path.resolve(__dirname, '..', '..', '..', 'shared', 'data', 'wnut17');
export const WNUT_TRAIN = path.join(WNUT_DIR, 'wnut17train.conll');
export const WNUT_DEV = path.join(WNUT_DIR, 'emerging.dev.conll');

export interface GoldSpan {
  type: EntityType;
  start: number;
  end: number;
}

export interface Example {
  /** The pre-tokenized tokens joined by single spaces. */
  text: string;
  spans: GoldSpan[];
}

export function sha256File(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

export function readConll(file: string): Example[] {
  return parseConll(readFileSync(file, 'utf8'));
}

export function parseConll(content: string): Example[] {
  const examples: Example[] = [];
  for (const block of content.split(/\n\s*\n/)) {
    const rows = block.split('\n').filter((line) => line.trim() !== '').map((line) => line.split('\t'));
    if (rows.length === 0) continue;
    let text = '';
    const spans: GoldSpan[] = [];
    let open: GoldSpan | undefined;
    for (const [token = '', tag = 'O'] of rows) {
      const start = text.length === 0 ? 0 : text.length + 1;
      text = text.length === 0 ? token : `${text} ${token}`;
      const dash = tag.indexOf('-');
      const prefix = dash < 0 ? tag.trim() : tag.slice(0, dash);
      const type = dash < 0 ? undefined : tag.slice(dash + 1).trim();
      const known = type !== undefined && (ENTITY_TYPES as readonly string[]).includes(type);
      if (prefix === 'I' && known && open?.type === type) {
        open.end = text.length;
      } else if ((prefix === 'B' || prefix === 'I') && known) {
        open = { type: type as EntityType, start, end: text.length };
        spans.push(open);
      } else {
        open = undefined;
      }
    }
    examples.push({ text, spans });
  }
  return examples;
}

/**
 * BIO tag per token for tokens at [starts[i], ends[i]): a token takes the type of the span it
 * overlaps, B on the span's first token. A span boundary inside a token widens the span to it.
 */
export function spansToTags(spans: readonly GoldSpan[], starts: readonly number[], ends: readonly number[]): number[] {
  const tags = new Array<number>(starts.length).fill(OUTSIDE);
  for (const span of spans) {
    const typeIndex = ENTITY_TYPES.indexOf(span.type);
    let first = true;
    for (let i = 0; i < starts.length; i += 1) {
      if (ends[i]! <= span.start || starts[i]! >= span.end || tags[i] !== OUTSIDE) continue;
      tags[i] = first ? beginTag(typeIndex) : beginTag(typeIndex) + 1;
      first = false;
    }
  }
  return tags;
}

/**
 * The example lower-cased, gold spans unchanged; undefined when lower-casing changes nothing or
 * changes the text's length (a few letters, such as "İ", lower-case to two characters).
 */
export function lowerCased(example: Example): Example | undefined {
  const text = example.text.toLowerCase();
  return text === example.text || text.length !== example.text.length ? undefined : { text, spans: example.spans };
}
