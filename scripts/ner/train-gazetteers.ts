/**
 * Gazetteers from the training data's own entity strings: per WNUT type, every phrase tagged as
 * that type in the given texts. A name tagged in one comment then lends its evidence to other
 * comments, where its word features alone are sparse. No ambiguity filter: the model learns how
 * far a hit goes (filters on the share of a phrase's occurrences that are tagged, from 15% to 70%,
 * cross-validated no better; docs/ner.md).
 */
import type { WinkMethods } from 'wink-nlp';
import type { GazetteerLists } from '../../function/src/recognizer/sequence/gazetteer';
import { ENTITY_TYPES } from '../../function/src/recognizer/sequence/labels';
import type { Example } from './conll';

/** The lists' names, one per WNUT type. */
export const TRAINING_LISTS = ENTITY_TYPES.map((type) => `train-${type}`);

/** The lists built from `examples`' gold spans, stored as wink's lower-cased tokens like the other lists. */
export function trainingGazetteers(examples: readonly Example[], nlp: WinkMethods): GazetteerLists {
  const lists = ENTITY_TYPES.map(() => new Set<string>());
  for (const { text, spans } of examples) {
    for (const span of spans) {
      const tokens = nlp.readDoc(text.slice(span.start, span.end)).tokens().out() as string[];
      lists[ENTITY_TYPES.indexOf(span.type)]!.add(tokens.join(' ').toLowerCase());
    }
  }
  return Object.fromEntries(TRAINING_LISTS.map((name, k) => [name, [...lists[k]!].sort()]));
}
