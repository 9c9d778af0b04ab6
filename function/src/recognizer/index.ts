/**
 * Builds the recognition pipeline: wink reads each comment once; its rule-based web
 * entities (URL, MENTION, DATE, MONEY, ...) and the trained sequence model's entities
 * (PERSON, ORG, GPE, LOC, PRODUCT, WORK_OF_ART, NORP) come from that one read.
 */
import { BUNDLED_NER_MODEL_PATH } from '../paths';
import { SequenceStage } from './sequence/stage';
import { tokensOf } from './sequence/tokens';
import { loadWink, winkEntities, type WinkEngine } from './wink';
import type { Entity, EntityLabel, Recognizer } from './types';

export type { Entity, EntityLabel, Recognizer } from './types';
export { ENTITY_LABELS } from './types';
export { loadWink, type WinkEngine } from './wink';

export interface RecognizerOptions {
  /** The sequence model file (NER_MODEL_PATH); default the bundled one. */
  nerModelPath?: string | undefined;
}

/** Loads wink and the NER model once; call once per process. */
export function createRecognizer(options: RecognizerOptions = {}): Recognizer {
  const wink = loadWink();
  return combineStages(wink, SequenceStage.load(options.nerModelPath ?? BUNDLED_NER_MODEL_PATH));
}

/** wink labels that are certain from the token alone: they win over an overlapping NER span. */
const WEB_LABELS: ReadonlySet<EntityLabel> = new Set(['URL', 'EMAIL', 'MENTION', 'HASHTAG', 'EMOJI', 'EMOTICON']);

/**
 * On overlaps, wink's web entities win over the sequence model's (a URL is never a person),
 * and the model's names win over wink's numbers and dates ("iPhone 6" over CARDINAL "6").
 */
export function combineStages(wink: WinkEngine, sequence: SequenceStage): Recognizer {
  return {
    modelVersion: `${wink.version} + ${sequence.modelVersion}`,
    recognize(text: string): Entity[] {
      const read = wink.read(text);
      const tokens = tokensOf(read, text);
      const fromWink = winkEntities(read, text, tokens);
      return mergeEntities([
        fromWink.filter((entity) => WEB_LABELS.has(entity.label)),
        sequence.recognizeTokens(tokens, text),
        fromWink.filter((entity) => !WEB_LABELS.has(entity.label)),
      ]);
    },
  };
}

/** Entities of several stages in text order; an entity overlapping one of an earlier stage is dropped. */
export function mergeEntities(byStage: readonly Entity[][]): Entity[] {
  const merged: Entity[] = [];
  for (const entities of byStage) {
    for (const entity of entities) {
      if (!merged.some((kept) => entity.start < kept.end && kept.start < entity.end)) merged.push(entity);
    }
  }
  return merged.sort((a, b) => a.start - b.start);
}
