/** A wink instance with the annotations the NER stage needs, for tools and tests. */
import winkNLP, { type WinkMethods } from 'wink-nlp';
import model from 'wink-eng-lite-web-model';
import { REQUIRED_WINK_PIPE } from './stage';

export function createWink(): WinkMethods {
  return winkNLP(model, [...REQUIRED_WINK_PIPE]);
}
