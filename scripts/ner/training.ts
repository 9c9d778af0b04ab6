/**
 * From WNUT examples to a model file: wink tokens, projected BIO tags, features, perceptron.
 */
import type { WinkMethods } from 'wink-nlp';
import { FeatureExtractor, type FeatureConfig } from '../../function/src/recognizer/sequence/features';
import { Gazetteer, type GazetteerLists } from '../../function/src/recognizer/sequence/gazetteer';
import { TAGS } from '../../function/src/recognizer/sequence/labels';
import { MODEL_FORMAT, MODEL_FORMAT_VERSION, SequenceModel, type DataSource, type ModelFile } from '../../function/src/recognizer/sequence/model';
import { readTokens } from '../../function/src/recognizer/sequence/tokens';
import { Vocabulary } from '../../function/src/recognizer/sequence/vocabulary';
import { WordClusters } from '../../function/src/recognizer/sequence/word-clusters';
import { lowerCased, spansToTags, type Example } from './conll';
import { GEOPOLITICAL_LISTS, type BuiltGazetteers } from './gazetteers';
import { trainPerceptron, type PerceptronOptions, type TrainingSequence } from './perceptron';
import { trainingGazetteers } from './train-gazetteers';
import type { BuiltWordClusters } from './word-clusters';

export interface TrainingSetup {
  name: string;
  version: string;
  featureConfig: FeatureConfig;
  perceptron: PerceptronOptions;
  outsideBias: number;
  gazetteers: BuiltGazetteers;
  /** Needed when featureConfig.clusters is set. */
  wordClusters?: BuiltWordClusters;
  data: DataSource[];
  /**
   * Also train on a lower-cased copy of each example: comments are often written all in lower case,
   * where a model trained on edited capitalization loses most names (docs/ner.md, Figures).
   */
  lowerCaseCopies: boolean;
  /**
   * Also list the training texts' own entity strings (train-gazetteers.ts) in this many parts. The
   * model file gets the lists from all of `examples`; each training text sees them built from the
   * other parts only, as a comment at run time sees names from other texts: trained on lists that
   * hold its own names, the model would learn that a hit is all but certain.
   */
  trainingListParts?: number;
}

const TRAINING_LISTS_SOURCE: DataSource = {
  source: 'the training texts\' own entity strings, per type (scripts/ner/train-gazetteers.ts)',
  license: 'as the training data',
};
const LOWER_CASE_COPIES = 'a lower-cased copy of every training text, gold spans unchanged';

export function toSequences(examples: readonly Example[], nlp: WinkMethods, features: FeatureExtractor): TrainingSequence[] {
  return examples.map((example) => {
    const view = readTokens(nlp.readDoc(example.text), nlp.its, example.text, features.config.pos);
    return { features: features.extract(view), tags: spansToTags(example.spans, view.starts, view.ends) };
  });
}

/**
 * Copies are made here, from `examples` only, so cross-validation (which passes a fold's training
 * part) never trains on a copy of a text it tests on.
 */
export function trainModel(examples: readonly Example[], nlp: WinkMethods, setup: TrainingSetup): ModelFile {
  const withCopies = (part: readonly Example[]): Example[] =>
    setup.lowerCaseCopies ? [...part, ...part.flatMap((example) => lowerCased(example) ?? [])] : [...part];
  const vocabulary = new Vocabulary([], true);
  const clusters = setup.wordClusters && new WordClusters(setup.wordClusters.lists);
  const extractor = (lists: GazetteerLists): FeatureExtractor =>
    new FeatureExtractor(setup.featureConfig, vocabulary, new Gazetteer(lists, GEOPOLITICAL_LISTS), clusters);
  const parts = setup.trainingListParts;
  let gazetteers = setup.gazetteers.lists;
  let sequences: TrainingSequence[];
  if (parts === undefined) {
    sequences = toSequences(withCopies(examples), nlp, extractor(gazetteers));
  } else {
    gazetteers = { ...gazetteers, ...trainingGazetteers(examples, nlp) };
    sequences = crossValidationFolds(examples, parts).flatMap(({ train, test }) =>
      toSequences(withCopies(test), nlp, extractor({ ...setup.gazetteers.lists, ...trainingGazetteers(train, nlp) })));
  }
  const { transitions, keys, weights } = trainPerceptron(sequences, setup.perceptron);
  return {
    header: {
      format: MODEL_FORMAT,
      formatVersion: MODEL_FORMAT_VERSION,
      name: setup.name,
      version: setup.version,
      tags: [...TAGS],
      featureConfig: setup.featureConfig,
      geopoliticalLists: GEOPOLITICAL_LISTS,
      outsideBias: setup.outsideBias,
      training: {
        data: setup.wordClusters ? [...setup.data, setup.wordClusters.source] : setup.data,
        gazetteers: parts === undefined ? setup.gazetteers.sources : [...setup.gazetteers.sources, TRAINING_LISTS_SOURCE],
        algorithm: 'averaged structured perceptron, constrained BIO Viterbi',
        ...setup.perceptron,
        ...(setup.lowerCaseCopies ? { augmentation: LOWER_CASE_COPIES } : {}),
      },
    },
    transitions,
    vocabulary: [...vocabulary.entries],
    keys,
    weights,
    gazetteers,
    ...(setup.wordClusters ? { wordClusters: setup.wordClusters.lists } : {}),
  };
}

/** Deterministic k-fold split (fold = example index mod k). */
export function crossValidationFolds<T>(items: readonly T[], k: number): { train: T[]; test: T[] }[] {
  return Array.from({ length: k }, (_, fold) => ({
    train: items.filter((_, i) => i % k !== fold),
    test: items.filter((_, i) => i % k === fold),
  }));
}

export function modelFromFile(file: ModelFile): SequenceModel {
  return new SequenceModel(file, `${file.header.name}@${file.header.version}`);
}
