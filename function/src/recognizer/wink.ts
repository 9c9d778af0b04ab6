/**
 * The wink-nlp stage: wink's rule-based web entities (dates, money, URLs, hashtags, ...)
 * mapped to the contract labels, with offsets into the submitted text.
 */
import type { Document, WinkMethods } from 'wink-nlp';
import { LexiconBound } from './lexicon-bound';
import type { Entity, EntityLabel, Recognizer } from './types';
import { winkModel } from './wink-model';
import { createWinkReader, type TokenizerModel, type WinkCache, type WinkRead } from './wink-reader';

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

/**
 * The single loaded wink instance; later stages share it rather than load the model
 * twice. Read comments through `read()` (served) or `readDoc()` (training) only: both enforce
 * the lexicon bound, which may reset wink's cache between reads, so a document must not
 * outlive the `recognize()` call that read it.
 */
export interface WinkEngine {
  readonly nlp: WinkMethods;
  readonly bound: LexiconBound;
  /** Package versions and pipe, e.g. `wink-nlp@2.4.0+wink-eng-lite-web-model@1.8.1:ner`. */
  readonly version: string;
  /** The comment's tokens and entities as plain arrays: what readDoc gives, without its document API. */
  read(text: string): WinkRead;
  readDoc(text: string): Document;
}

let engine: WinkEngine | undefined;

/** Loads wink-nlp and its model once per process (about 100 ms). */
export function loadWink(): WinkEngine {
  engine ??= createWinkEngine();
  return engine;
}

/** A new wink instance; `loadWink()` is the shared one, this is for tests of the bound. */
export function createWinkEngine(maxNovelLexemes?: number): WinkEngine {
  const { nlp, bound, core, cache } = LexiconBound.load([...WINK_PIPE], maxNovelLexemes);
  const reader = createWinkReader(core as unknown as TokenizerModel, cache as unknown as WinkCache, winkModel, () => bound.trimCount());
  return {
    nlp,
    bound,
    version: `wink-nlp@${packageVersion('wink-nlp')}+wink-eng-lite-web-model@${packageVersion('wink-eng-lite-web-model')}:${WINK_PIPE.join(',')}`,
    read(text: string): WinkRead {
      bound.enforce();
      return reader(text);
    },
    readDoc(text: string): Document {
      bound.enforce();
      return nlp.readDoc(text);
    },
  };
}

function packageVersion(name: string): string {
  return (require(`${name}/package.json`) as { version: string }).version;
}

export function createWinkRecognizer(wink: WinkEngine = loadWink()): Recognizer {
  return {
    modelVersion: wink.version,
    recognize: (text: string): Entity[] => winkEntities(wink.read(text), text),
  };
}

/**
 * wink's entities in `read`, read from `text`; exported so later stages can share one read.
 * `bounds`, when the caller has already located every token, saves locating them again.
 */
export function winkEntities(read: WinkRead, text: string, bounds?: TokenBounds): Entity[] {
  const { entities } = read;
  if (entities.length === 0) return [];
  const { starts, ends } = bounds ?? tokenBounds(text, read.values, entities[entities.length - 1]![1]);
  const found: Entity[] = [];
  for (const [first, last, type] of entities) {
    const label = WINK_LABELS[type];
    if (label === undefined) continue;
    const start = starts[first]!;
    const end = ends[last]!;
    found.push({ text: text.slice(start, end), label, start, end });
  }
  return found.some((entity) => entity.label === 'EMOJI') ? wholeEmoji(found, text) : found;
}

/**
 * Made on first use: creating it loads ICU and its break rules, ~20 ms of CPU that every cold
 * start paid, while only a comment with an emoji entity needs it (that one pays it, once).
 */
let graphemes: Intl.Segmenter | undefined;

/**
 * wink tokenizes emoji by code point, so a skin tone, a flag's second letter or each person of a
 * ZWJ family becomes an EMOJI of its own, and a variation selector is left out. An emoji is one
 * user-perceived character: each EMOJI entity is widened to the end of its grapheme cluster
 * (never into another entity), and EMOJI entities that share a cluster become one.
 */
export function wholeEmoji(entities: readonly Entity[], text: string): Entity[] {
  graphemes ??= new Intl.Segmenter('en', { granularity: 'grapheme' });
  const segments = graphemes.segment(text);
  const whole: Entity[] = [];
  entities.forEach((entity, i) => {
    if (entity.label !== 'EMOJI') {
      whole.push(entity);
      return;
    }
    const previous = whole[whole.length - 1];
    const next = entities[i + 1];
    const last = segments.containing(entity.end - 1)!;
    const end = Math.min(last.index + last.segment.length, next === undefined || next.label === 'EMOJI' ? text.length : next.start);
    if (previous?.label === 'EMOJI' && previous.end > segments.containing(entity.start)!.index) {
      whole.pop();
      whole.push({ text: text.slice(previous.start, end), label: 'EMOJI', start: previous.start, end });
    } else {
      whole.push({ text: text.slice(entity.start, end), label: 'EMOJI', start: entity.start, end });
    }
  });
  return whole;
}

/** Where tokens sit in the text: token i is `text.slice(starts[i], ends[i])`. */
export interface TokenBounds {
  readonly starts: readonly number[];
  readonly ends: readonly number[];
}

/**
 * Bounds of tokens 0..lastToken. wink keeps every token's value verbatim and only drops
 * whitespace between tokens, so each token is the next occurrence of its value after the
 * previous one, separated by whitespace alone.
 */
export function tokenBounds(text: string, values: readonly string[], lastToken: number): TokenBounds {
  const starts = new Array<number>(lastToken + 1);
  const ends = new Array<number>(lastToken + 1);
  let cursor = 0;
  for (let i = 0; i <= lastToken; i += 1) {
    const value = values[i]!;
    const start = text.indexOf(value, cursor);
    // The usual gap, none or one space, needs no closer look.
    const plainGap = start === cursor || (start === cursor + 1 && text.charCodeAt(cursor) === 32);
    if (start < 0 || (!plainGap && /\S/.test(text.slice(cursor, start)))) {
      throw new Error(`wink token ${i} could not be located in the text`);
    }
    starts[i] = start;
    cursor = start + value.length;
    ends[i] = cursor;
  }
  return { starts, ends };
}
