/**
 * `npm run train:ner [-- options]`: trains the sequence NER model on WNUT-17 train and writes
 * function/models/ner-wnut17.json. Deterministic: the same data, code and options give a
 * byte-identical file. Bump MODEL_VERSION whenever the output changes (docs/ner.md).
 *
 *   --cv K        also report K-fold cross-validation on train (model selection; dev stays unseen)
 *   --out FILE    where to write the model (default: the bundled model)
 *   --epochs N, --pos, --bigrams, --window N, --affixes N, --min-count N   experiment overrides
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_FEATURE_CONFIG, type FeatureConfig } from '../function/src/recognizer/sequence/features';
import { loadWink } from '../function/src/recognizer/wink';
import { combineStages } from '../function/src/recognizer';
import type { ModelFile } from '../function/src/recognizer/sequence/model';
import { BUNDLED_MODEL_PATH, SequenceStage } from '../function/src/recognizer/sequence/stage';
import { readConll, sha256File, WNUT_TRAIN } from './ner/conll';
import { evaluate, formatReport } from './ner/evaluate';
import { buildGazetteers } from './ner/gazetteers';
import { crossValidationFolds, modelFromFile, trainModel, type TrainingSetup } from './ner/training';

const MODEL_NAME = 'wnut17-perceptron';
const MODEL_VERSION = '1.0.0';

const { values: args } = parseArgs({
  options: {
    cv: { type: 'string' },
    out: { type: 'string', default: BUNDLED_MODEL_PATH },
    epochs: { type: 'string', default: '8' },
    window: { type: 'string' },
    'min-count': { type: 'string', default: '1' },
    affixes: { type: 'string' },
    pos: { type: 'boolean', default: DEFAULT_FEATURE_CONFIG.pos },
    bigrams: { type: 'boolean', default: DEFAULT_FEATURE_CONFIG.bigrams },
  },
});

const featureConfig: FeatureConfig = {
  ...DEFAULT_FEATURE_CONFIG,
  ...(args.window !== undefined ? { window: Number(args.window) } : {}),
  ...(args.affixes !== undefined ? { affixes: Number(args.affixes) } : {}),
  pos: args.pos,
  bigrams: args.bigrams,
};
const wink = loadWink();
const { nlp } = wink;
/** The whole recognizer (wink's entities first, as served) around a model file's content. */
const recognizerOf = (file: ModelFile) => combineStages(wink, new SequenceStage(modelFromFile(file), nlp.its));
const started = Date.now();
const examples = readConll(WNUT_TRAIN);
const setup: TrainingSetup = {
  name: MODEL_NAME,
  version: MODEL_VERSION,
  featureConfig,
  perceptron: { epochs: Number(args.epochs), seed: 17, minFeatureCount: Number(args['min-count']), pruneBelow: 0.05 },
  gazetteers: buildGazetteers(nlp),
  data: [{
    source: '../shared/data/wnut17/wnut17train.conll (WNUT-17, Derczynski et al. 2017)',
    license: 'CC-BY 4.0',
    sha256: sha256File(WNUT_TRAIN),
  }],
};

if (args.cv !== undefined) {
  const folds = crossValidationFolds(examples, Number(args.cv));
  const f1s = folds.map(({ train, test }, fold) => {
    const recognizer = recognizerOf(trainModel(train, nlp, setup));
    const report = evaluate(test, (text) => recognizer.recognize(text));
    console.log(`fold ${fold + 1}/${folds.length}: micro F1 ${(100 * report.micro.f1).toFixed(1)}`);
    return report.micro.f1;
  });
  const mean = f1s.reduce((a, b) => a + b, 0) / f1s.length;
  const sd = Math.sqrt(f1s.reduce((a, b) => a + (b - mean) ** 2, 0) / f1s.length);
  console.log(`cross-validation on train (${folds.length} folds): micro F1 ${(100 * mean).toFixed(1)} ± ${(100 * sd).toFixed(1)}`);
}

const file = trainModel(examples, nlp, setup);
const json = JSON.stringify(file);
writeFileSync(args.out, `${json}\n`);
const recognizer = recognizerOf(file);
const report = evaluate(examples, (text) => recognizer.recognize(text));
console.log(`training-set fit (not a quality figure):\n${formatReport(report)}`);
console.log(`wrote ${path.relative(process.cwd(), args.out)}: ${file.header.name}@${file.header.version}, ${file.keys.length} features, ${file.vocabulary.length} strings, ` +
  `${(json.length / 1e6).toFixed(2)} MB, in ${((Date.now() - started) / 1000).toFixed(1)} s`);
