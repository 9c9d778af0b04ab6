/**
 * wink-eng-lite-web-model, assembled from the package's own parts, with one start-up cost
 * taken out: the package requires its 3 MB core model JSON when it is imported, then deep-clones
 * it (JSON.stringify + JSON.parse) and decodes base64 with `atob` and a byte loop each time wink
 * loads it, and keeps the original parsed copy alive for the life of the process. Here the core
 * model is parsed once from its file and prepared exactly as the package's read-core-model.js and
 * load-core-model.js prepare it: about 50 ms less CPU at start-up and less heap.
 *
 * wink-model.test.ts checks that the core model comes out deep-equal to the package's own and
 * that the model object has the package's members, so a new package version cannot drift.
 * The other models and the addons (stemmer, lemmatizer with its 220 kB of WordNet exceptions,
 * readability) are the package's own, required on first use: the served pipe uses none of the
 * addons, and the lemmatizer alone costs ~15 ms of CPU to load.
 */
import { readFileSync } from 'node:fs';
import type { Model } from 'wink-nlp';

const CORE_MODEL_FILE = require.resolve('wink-eng-lite-web-model/dist/languages/cur/models/eng-core-web-model.json');

/** The parts of the core model file this preparation touches. */
interface CoreModelFile {
  lexicon: string | Uint32Array;
  xpansions: string | Uint32Array;
  pos: { hash: Record<string, number> };
  packing: {
    /** Feature -> [.., mask, shift, 0 when the feature has a list and hash, 1 when extensible]. */
    layout: Record<string, number[]>;
    efList?: string[];
  };
  features: Record<string, { list: string[]; hash?: Record<string, number>; intrinsicSize?: number; index?: number; maxIndex?: number }>;
}

/** Base64 of little-endian uint32 words, as the package stores the lexicon. */
function uint32sFromBase64(base64: string): Uint32Array {
  const bytes = Buffer.from(base64, 'base64');
  const words = new Uint32Array(bytes.length >>> 2);
  Buffer.from(words.buffer).set(bytes.subarray(0, words.byteLength));
  return words;
}

function indexOf(list: readonly string[]): Record<string, number> {
  const hash = Object.create(null) as Record<string, number>;
  for (let k = 0; k < list.length; k += 1) hash[list[k]!] = k;
  return hash;
}

/** What the package's `model.core()` returns, from one parse of the file. */
export function readCoreModel(): unknown {
  const model = JSON.parse(readFileSync(CORE_MODEL_FILE, 'utf8')) as CoreModelFile;
  const { packing, features, pos } = model;
  model.lexicon = uint32sFromBase64(model.lexicon as string);
  model.xpansions = uint32sFromBase64(model.xpansions as string);
  packing.efList = [];
  for (const name in packing.layout) {
    const [, mask, shift, listed, extensible] = packing.layout[name]!;
    if (listed === 0) {
      const feature = features[name]!;
      feature.hash = indexOf(feature.list);
      feature.intrinsicSize = feature.list.length;
      feature.index = feature.list.length;
      feature.maxIndex = mask! >>> shift!;
    }
    if (extensible === 1) packing.efList.push(name);
  }
  const { lexeme } = features;
  lexeme!.hash = indexOf(lexeme!.list);
  lexeme!.intrinsicSize = lexeme!.list.length;
  lexeme!.index = lexeme!.list.length;
  const clusters = features.posClusters!.list as unknown as (string | Set<number>)[];
  for (let k = 0; k < clusters.length; k += 1) {
    clusters[k] = new Set((clusters[k] as string).split('_').map((tag) => pos.hash[tag] || 0));
  }
  return model;
}

type Loader = (...args: unknown[]) => unknown;

/** A function of the package, required on first call. */
function onDemand(load: () => Loader): Loader {
  return (...args) => load()(...args);
}

export const winkModel = Object.assign(Object.create(null) as object, {
  core: readCoreModel,
  sbd: onDemand(() => require('wink-eng-lite-web-model/dist/load-sbd-model.js') as Loader),
  pos: onDemand(() => require('wink-eng-lite-web-model/dist/load-pos-model.js') as Loader),
  ner: onDemand(() => require('wink-eng-lite-web-model/dist/load-ner-model.js') as Loader),
  negation: onDemand(() => require('wink-eng-lite-web-model/dist/load-negation-model.js') as Loader),
  sa: onDemand(() => require('wink-eng-lite-web-model/dist/load-sa-model.js') as Loader),
  metaCER: onDemand(() => require('wink-eng-lite-web-model/dist/load-cer-meta-model.js') as Loader),
  featureFn: require('wink-eng-lite-web-model/dist/feature.js') as unknown,
  addons: Object.assign(Object.create(null) as object, {
    stem: onDemand(() => require('wink-eng-lite-web-model/dist/porter-stemmer.js') as Loader),
    lemmatize: onDemand(() => require('wink-eng-lite-web-model/dist/lemmatize.js') as Loader),
    readabilityStats: onDemand(() => require('wink-eng-lite-web-model/dist/readability-stats.js') as Loader),
    wordVectors: undefined,
  }),
}) as unknown as Model;

/**
 * wink-nlp's `load()` calls the loader of every annotation, whatever the pipe, and builds their
 * automata; readDoc runs only the pipe's. These loaders belong to annotations that a pipe may
 * leave out (the sentiment model alone is 400 kB of JSON parsed twice).
 */
const OPTIONAL_LOADERS = { sbd: 'sbd', negation: 'negation', sentiment: 'sa', pos: 'pos' } as const;

/** An automaton that recognizes nothing: wink-nlp's own `emptyModelJSON()`. */
export const EMPTY_AUTOMATON = '[100,0,{"0":{}},{},{},{}]';

/**
 * The model for a wink instance that runs only `pipe`: the loaders of annotations it leaves out
 * give wink an automaton that is never run, and the package's model is not read. About 15 ms less
 * CPU at start-up for the served `ner` pipe; wink-model.test.ts checks the annotations are the same.
 */
export function winkModelFor(pipe: readonly string[]): Model {
  const unused = Object.entries(OPTIONAL_LOADERS).filter(([annotation]) => !pipe.includes(annotation));
  const never = () => ({ machines: [EMPTY_AUTOMATON], transformers: [] });
  return Object.assign(Object.create(null) as object, winkModel, Object.fromEntries(unused.map(([, loader]) => [loader, never]))) as Model;
}
