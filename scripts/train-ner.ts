/**
 * `npm run train:ner [-- options]`: trains the sequence NER model on WNUT-17 train and writes
 * function/models/ner-wnut17.bin (binary: model-file.ts). Deterministic: the same data, code and
 * options give a byte-identical file. Bump MODEL_VERSION (scripts/ner/release.ts) whenever the output changes.
 *
 * K-fold cross-validation on train picks the decoder's O bias (precision/recall trade-off) on its
 * test folds as written and lower-cased, and reports the model-selection figures; WNUT-17 dev is never used here (`npm run eval:ner`).
 *
 *   --folds K     cross-validation folds (default 5)
 *   --bias B      use this O bias and skip cross-validation
 *   --out FILE    where to write the model (default: the bundled model)
 *   --epochs N, --window N, --affixes N, --min-count N, --seed N, --runs N, --pos, --bigrams   experiments
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { combineStages } from '../function/src/recognizer';
import { DEFAULT_FEATURE_CONFIG, type FeatureConfig } from '../function/src/recognizer/sequence/features';
import type { ModelFile } from '../function/src/recognizer/sequence/model';
import { encodeModelFile } from '../function/src/recognizer/sequence/model-file';
import { SequenceStage } from '../function/src/recognizer/sequence/stage';
import { BUNDLED_NER_MODEL_PATH } from '../function/src/paths';
import { loadWink } from '../function/src/recognizer/wink';
import { lowerCased, readConll, WNUT_TRAIN, type Example } from './ner/conll';
import { evaluate, formatReport } from './ner/evaluate';
import { releaseSetup } from './ner/release';
import { crossValidationFolds, modelFromFile, trainModel, type TrainingSetup } from './ner/training';

const BIAS_CANDIDATES = [0, 1, 2, 4, 6, 8];

const { values: args } = parseArgs({
  options: {
    folds: { type: 'string', default: '5' },
    bias: { type: 'string' },
    out: { type: 'string', default: BUNDLED_NER_MODEL_PATH },
    epochs: { type: 'string' },
    window: { type: 'string' },
    affixes: { type: 'string' },
    'min-count': { type: 'string' },
    seed: { type: 'string' },
    runs: { type: 'string' },
    pos: { type: 'boolean', default: DEFAULT_FEATURE_CONFIG.pos },
    bigrams: { type: 'boolean', default: DEFAULT_FEATURE_CONFIG.bigrams },
  },
});

const started = Date.now();
const wink = loadWink();
const { nlp } = wink;
const examples = readConll(WNUT_TRAIN);
const release = releaseSetup(nlp);
const featureConfig: FeatureConfig = {
  ...release.featureConfig,
  ...(args.window !== undefined ? { window: Number(args.window) } : {}),
  ...(args.affixes !== undefined ? { affixes: Number(args.affixes) } : {}),
  pos: args.pos,
  bigrams: args.bigrams,
};
const baseSetup: TrainingSetup = {
  ...release,
  featureConfig,
  perceptron: {
    ...release.perceptron,
    ...(args.epochs !== undefined ? { epochs: Number(args.epochs) } : {}),
    ...(args['min-count'] !== undefined ? { minFeatureCount: Number(args['min-count']) } : {}),
    ...(args.seed !== undefined ? { seed: Number(args.seed) } : {}),
    ...(args.runs !== undefined ? { runs: Number(args.runs) } : {}),
  },
};

/** The whole recognizer as served (wink's entities first) around a model file's content. */
function recognizerOf(file: ModelFile, outsideBias: number) {
  const model = modelFromFile({ ...file, header: { ...file.header, outsideBias } });
  return combineStages(wink, new SequenceStage(model));
}

function microF1(file: ModelFile, outsideBias: number, test: readonly Example[]): number {
  const recognizer = recognizerOf(file, outsideBias);
  return evaluate(test, (text) => recognizer.recognize(text)).micro.f1;
}

/**
 * The bias with the best cross-validated micro F1 averaged over the test folds as written and
 * lower-cased: comments come both ways, and the figure on the text as written alone is flat
 * over these biases (within a few tenths), so it would choose by noise alone.
 */
function chooseBias(): number {
  const folds = crossValidationFolds(examples, Number(args.folds));
  const written = BIAS_CANDIDATES.map(() => [] as number[]);
  const lower = BIAS_CANDIDATES.map(() => [] as number[]);
  folds.forEach(({ train, test }, fold) => {
    const file = trainModel(train, nlp, baseSetup);
    const lowerTest = test.map((example) => lowerCased(example) ?? example);
    BIAS_CANDIDATES.forEach((bias, k) => {
      written[k]!.push(microF1(file, bias, test));
      lower[k]!.push(microF1(file, bias, lowerTest));
    });
    console.log(`fold ${fold + 1}/${folds.length}: micro F1 (lower-cased) ${BIAS_CANDIDATES.map((bias, k) => `${bias}: ${percent(written[k]![fold]!)} (${percent(lower[k]![fold]!)})`).join(', ')}`);
  });
  const mean = (list: number[]): number => list.reduce((a, b) => a + b, 0) / list.length;
  const both = BIAS_CANDIDATES.map((_, k) => (mean(written[k]!) + mean(lower[k]!)) / 2);
  const best = both.indexOf(Math.max(...both));
  const scores = written[best]!;
  const sd = Math.sqrt(scores.reduce((a, b) => a + (b - mean(scores)) ** 2, 0) / scores.length);
  console.log(`cross-validation on train (${folds.length} folds), micro F1 as written (lower-cased): ` +
    `${BIAS_CANDIDATES.map((bias, k) => `${bias}: ${percent(mean(written[k]!))} (${percent(mean(lower[k]!))})`).join(', ')}`);
  console.log(`O bias ${BIAS_CANDIDATES[best]}: micro F1 ${percent(mean(scores))} ± ${percent(sd)}, lower-cased ${percent(mean(lower[best]!))}`);
  return BIAS_CANDIDATES[best]!;
}

function percent(x: number): string {
  return (100 * x).toFixed(1);
}

// The final model is trained first: wink's tokenizer learns from what it has read (a few "..."
// split differently on a second reading), so training before cross-validation keeps the file
// identical whether the bias is chosen here or given with --bias.
const trained = trainModel(examples, nlp, baseSetup);
const outsideBias = args.bias !== undefined ? Number(args.bias) : chooseBias();
const file: ModelFile = { ...trained, header: { ...trained.header, outsideBias } };
const bytes = encodeModelFile(file);
writeFileSync(args.out, bytes);
const recognizer = recognizerOf(file, outsideBias);
console.log(`training-set fit (not a quality figure):\n${formatReport(evaluate(examples, (text) => recognizer.recognize(text)))}`);
console.log(`wrote ${path.relative(process.cwd(), args.out)}: ${file.header.name}@${file.header.version}, O bias ${outsideBias}, ` +
  `${file.keys.length} features, ${file.vocabulary.length} strings, ${(bytes.length / 1e6).toFixed(2)} MB, in ${((Date.now() - started) / 1000).toFixed(1)} s`);
