/**
 * `npm run eval:ner`: entity-level precision / recall / F1 (exact span and type, seqeval-style)
 * of the whole recognizer (wink + the NER model from NER_MODEL_PATH or the bundled one) on
 * WNUT-17 dev. Labels WNUT does not annotate (URL, DATE, ...) are ignored.
 */
import { createRecognizer } from '../function/src/recognizer';
import { readConll, WNUT_DEV } from './ner/conll';
import { evaluate, formatReport } from './ner/evaluate';

const recognizer = createRecognizer({ nerModelPath: process.env.NER_MODEL_PATH?.trim() || undefined });
const report = evaluate(readConll(WNUT_DEV), (text) => recognizer.recognize(text));
console.log(`${recognizer.modelVersion} on WNUT-17 dev (exact span match):\n${formatReport(report)}`);
