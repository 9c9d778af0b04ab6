/**
 * What the bundled model is: its name, version and training setup. `npm run train:ner` and the
 * reproducibility test both build from here, so the committed file must match the code.
 */
import type { WinkMethods } from 'wink-nlp';
import { DEFAULT_FEATURE_CONFIG } from '../../function/src/recognizer/sequence/features';
import { sha256File, WNUT_TRAIN } from './conll';
import { buildGazetteers } from './gazetteers';
import type { TrainingSetup } from './training';
import { readWordClusters } from './word-clusters';

export const MODEL_NAME = 'wnut17-perceptron';
/** Bump on every change of the bundled model's content (docs/ner.md). */
export const MODEL_VERSION = '1.4.0';

/** The bundled model's setup, with the O bias still 0 (train:ner chooses it by cross-validation). */
export function releaseSetup(nlp: WinkMethods): TrainingSetup {
  return {
    name: MODEL_NAME,
    version: MODEL_VERSION,
    featureConfig: { ...DEFAULT_FEATURE_CONFIG, clusters: true },
    perceptron: { epochs: 12, seed: 17, runs: 4, minFeatureCount: 1, pruneBelow: 0.05 },
    outsideBias: 0,
    lowerCaseCopies: true,
    trainingListParts: 5,
    gazetteers: buildGazetteers(nlp),
    wordClusters: readWordClusters(),
    data: [{
      source: '../shared/data/wnut17/wnut17train.conll (WNUT-17, Derczynski et al. 2017)',
      license: 'CC-BY 4.0',
      sha256: sha256File(WNUT_TRAIN),
    }],
  };
}
