/**
 * The recognizer contract: plain data in, plain data out, so the HTTP layer, storage
 * and the models can each be built and tested alone.
 */

/**
 * Entity labels. OntoNotes (spaCy) names where one exists, so results read like the
 * original design's; clear names for wink's web types that OntoNotes lacks.
 */
export const ENTITY_LABELS = [
  'PERSON', 'NORP', 'ORG', 'GPE', 'LOC', 'PRODUCT', 'WORK_OF_ART',
  'DATE', 'TIME', 'DURATION', 'MONEY', 'PERCENT', 'CARDINAL', 'ORDINAL',
  'URL', 'EMAIL', 'MENTION', 'HASHTAG', 'EMOJI', 'EMOTICON',
] as const;

export type EntityLabel = (typeof ENTITY_LABELS)[number];

/** One entity; `text === input.slice(start, end)` in JavaScript string indices (UTF-16). */
export interface Entity {
  text: string;
  label: EntityLabel;
  start: number;
  end: number;
}

export interface Recognizer {
  /** Identifies the model package(s) and recognizer configuration, stored with every result. */
  readonly modelVersion: string;
  recognize(text: string): Entity[];
}
