/**
 * The sequence-model stage of the recognizer: wink's tokens in, PERSON / ORG / GPE / LOC /
 * PRODUCT / WORK_OF_ART / NORP entities out, with offsets into the raw text.
 */
import type { Document, WinkMethods } from 'wink-nlp';
import type { Entity } from '../types';
import { chunks } from './decoder';
import { FeatureExtractor } from './features';
import { ENTITY_TYPES, toEntityLabel } from './labels';
import { loadModel, type SequenceModel } from './model';
import { readTokens, type TokenView } from './tokens';

export class SequenceStage {
  private readonly features: FeatureExtractor;

  constructor(
    readonly model: SequenceModel,
    private readonly nlp: WinkMethods,
  ) {
    this.features = new FeatureExtractor(model.header.featureConfig, model.vocabulary, model.gazetteer, model.wordClusters, (keys, ends) => model.scoreGroups(keys, ends));
  }

  /** Loads the model file; call once per process. */
  static load(modelPath: string, nlp: WinkMethods): SequenceStage {
    const model = loadModel(modelPath);
    // wink's typings say string[]; it returns { [annotation]: true }. Tokens and types come with every pipe.
    const pipe = nlp.readDoc('').pipeConfig() as unknown as Record<string, boolean>;
    if (model.header.featureConfig.pos && pipe.pos !== true) {
      throw new Error(`NER model ${model.version} needs wink's pos annotation, which this wink pipe lacks`);
    }
    return new SequenceStage(model, nlp);
  }

  get modelVersion(): string {
    return this.model.version;
  }

  /** Entities in `doc`, which wink read from `text`. */
  recognizeDoc(doc: Document, text: string): Entity[] {
    return this.recognizeTokens(this.readTokens(doc, text), text);
  }

  /** The token facts this model's features need, read once from `doc`. */
  readTokens(doc: Document, text: string): TokenView {
    return readTokens(doc, this.nlp.its, text, this.model.header.featureConfig.pos);
  }

  recognizeTokens(view: TokenView, text: string): Entity[] {
    return chunks(this.model.tag(this.features.extractGrouped(view))).map((chunk) => {
      const start = view.starts[chunk.start]!;
      const end = view.ends[chunk.end - 1]!;
      const type = ENTITY_TYPES[chunk.type]!;
      const geopolitical = type === 'location'
        && this.model.gazetteer.isGeopolitical(view.values.slice(chunk.start, chunk.end).join(' ').toLowerCase());
      return { text: text.slice(start, end), label: toEntityLabel(type, geopolitical), start, end };
    });
  }
}
