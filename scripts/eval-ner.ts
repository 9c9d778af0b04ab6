/**
 * `npm run eval:ner`: entity-level precision / recall / F1 (exact span and type, seqeval-style)
 * of the whole recognizer (wink + the NER model from NER_MODEL_PATH or the bundled one) on
 * WNUT-17 dev. Labels WNUT does not annotate (URL, DATE, ...) are ignored. Also the micro figures
 * on dev lower-cased, as many comments are written: a check of robustness, not a second benchmark.
 */
import { createRecognizer } from '../function/src/recognizer';
import { lowerCased, readConll, WNUT_DEV } from './ner/conll';
import { evaluate, formatReport } from './ner/evaluate';

const recognizer = createRecognizer({ nerModelPath: process.env.NER_MODEL_PATH?.trim() || undefined });
const dev = readConll(WNUT_DEV);
const report = evaluate(dev, (text) => recognizer.recognize(text));
console.log(`${recognizer.modelVersion} on WNUT-17 dev (exact span match):\n${formatReport(report)}`);
const { micro } = evaluate(dev.map((example) => lowerCased(example) ?? example), (text) => recognizer.recognize(text));
const percent = (x: number): string => (100 * x).toFixed(1);
console.log(`dev lower-cased: micro P ${percent(micro.precision)} R ${percent(micro.recall)} F1 ${percent(micro.f1)}`);
