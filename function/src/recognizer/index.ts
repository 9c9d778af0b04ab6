/**
 * Builds the recognition pipeline from stages. Today: wink's web entities. Issue 7 adds
 * a trained sequence model (PERSON, ORG, GPE, ...) as a second stage that shares the
 * wink instance from `loadWink()` for tokenization.
 */
import { createWinkRecognizer, loadWink } from './wink';
import type { Entity, Recognizer } from './types';

export type { Entity, EntityLabel, Recognizer } from './types';
export { ENTITY_LABELS } from './types';
export { loadWink, type WinkEngine } from './wink';

export function createRecognizer(): Recognizer {
  return composeRecognizers([createWinkRecognizer(loadWink())]);
}

/**
 * Runs every stage and merges their entities in text order. Where stages overlap,
 * the earlier stage wins, so put the more precise one first.
 */
export function composeRecognizers(stages: readonly Recognizer[]): Recognizer {
  if (stages.length === 1) return stages[0]!;
  return {
    modelVersion: stages.map((stage) => stage.modelVersion).join(' + '),
    recognize(text: string): Entity[] {
      const merged: Entity[] = [];
      for (const stage of stages) {
        for (const entity of stage.recognize(text)) {
          if (!merged.some((kept) => entity.start < kept.end && kept.start < entity.end)) merged.push(entity);
        }
      }
      return merged.sort((a, b) => a.start - b.start);
    },
  };
}
