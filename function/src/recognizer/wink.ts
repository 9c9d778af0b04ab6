/**
 * The wink-nlp stage: wink's rule-based web entities (dates, money, URLs, hashtags, ...)
 * mapped to the contract labels, with offsets into the submitted text.
 */
import winkNLP, { type Document, type WinkMethods } from 'wink-nlp';
import model from 'wink-eng-lite-web-model';
import type { Entity, EntityLabel, Recognizer } from './types';

/**
 * wink entity type -> contract label. Every type the lite web model emits is listed;
 * an unknown type (a future model) is dropped rather than sent out unlabelled.
 */
export const WINK_LABELS: Readonly<Record<string, EntityLabel>> = {
  DATE: 'DATE',
  TIME: 'TIME',
  DURATION: 'DURATION',
  MONEY: 'MONEY',
  PERCENT: 'PERCENT',
  CARDINAL: 'CARDINAL',
  ORDINAL: 'ORDINAL',
  URL: 'URL',
  EMAIL: 'EMAIL',
  MENTION: 'MENTION',
  HASHTAG: 'HASHTAG',
  EMOJI: 'EMOJI',
  EMOTICON: 'EMOTICON',
};

/**
 * Only the `ner` annotation: entities come out identical to wink's default pipe
 * (sbd, negation, sentiment, pos, ner, cer) on WNUT-17, at about twice the speed.
 */
export const WINK_PIPE = ['ner'] as const;

/** The single loaded wink instance; later stages share it rather than load the model twice. */
export interface WinkEngine {
  readonly nlp: WinkMethods;
  /** Package versions and pipe, e.g. `wink-nlp@2.4.0+wink-eng-lite-web-model@1.8.1:ner`. */
  readonly version: string;
}

let engine: WinkEngine | undefined;

/** Loads wink-nlp and its model once per process (about 100 ms). */
export function loadWink(): WinkEngine {
  engine ??= {
    nlp: winkNLP(model, [...WINK_PIPE]),
    version: `wink-nlp@${packageVersion('wink-nlp')}+wink-eng-lite-web-model@${packageVersion('wink-eng-lite-web-model')}:${WINK_PIPE.join(',')}`,
  };
  return engine;
}

function packageVersion(name: string): string {
  return (require(`${name}/package.json`) as { version: string }).version;
}

export function createWinkRecognizer(wink: WinkEngine = loadWink()): Recognizer {
  return {
    modelVersion: wink.version,
    recognize: (text: string): Entity[] => winkEntities(wink.nlp, wink.nlp.readDoc(text), text),
  };
}

/** wink's entities in `doc`, read from `text`; exported so later stages can share one read. */
export function winkEntities(nlp: WinkMethods, doc: Document, text: string): Entity[] {
  const { its } = nlp;
  const entities = doc.entities();
  if (entities.length() === 0) return [];
  const spans = entities.out(its.span) as unknown as [number, number][];
  const types = entities.out(its.type) as string[];
  const offsets = tokenOffsets(text, doc.tokens().out(its.value) as string[], spans[spans.length - 1]![1]);
  const found: Entity[] = [];
  for (let i = 0; i < spans.length; i += 1) {
    const label = WINK_LABELS[types[i]!];
    if (label === undefined) continue;
    const [first, last] = spans[i]!;
    const start = offsets[2 * first]!;
    const end = offsets[2 * last + 1]!;
    found.push({ text: text.slice(start, end), label, start, end });
  }
  return found;
}

/**
 * [start0, end0, start1, end1, ...] for tokens 0..lastToken. wink keeps every token's
 * value verbatim and only drops whitespace between tokens, so each token is the next
 * occurrence of its value after the previous one, separated by whitespace alone.
 */
export function tokenOffsets(text: string, values: readonly string[], lastToken: number): number[] {
  const offsets = new Array<number>(2 * (lastToken + 1));
  let cursor = 0;
  for (let i = 0; i <= lastToken; i += 1) {
    const value = values[i]!;
    const start = text.indexOf(value, cursor);
    if (start < 0 || (start > cursor && /\S/.test(text.slice(cursor, start)))) {
      throw new Error(`wink token ${i} could not be located in the text`);
    }
    offsets[2 * i] = start;
    cursor = start + value.length;
    offsets[2 * i + 1] = cursor;
  }
  return offsets;
}
