/**
 * `npm run eval:ner`: entity-level precision / recall / F1 (exact span and type, seqeval-style)
 * of the NER model (NER_MODEL_PATH or the bundled one) on WNUT-17 dev.
 */
import { createWink } from '../function/src/recognizer/sequence/nlp';
import { modelPathFrom, SequenceStage } from '../function/src/recognizer/sequence/stage';
import { readConll, WNUT_DEV } from './ner/conll';
import { evaluate, formatReport } from './ner/evaluate';

const nlp = createWink();
const stage = SequenceStage.load(modelPathFrom(process.env), nlp);
const report = evaluate(readConll(WNUT_DEV), (text) => stage.recognizeDoc(nlp.readDoc(text), text));
console.log(`${stage.modelVersion} on WNUT-17 dev (exact span match):\n${formatReport(report)}`);
