/**
 * The sequence-model stage of the recognizer: wink's tokens in, PERSON / ORG / GPE / LOC /
 * PRODUCT / WORK_OF_ART / NORP entities out, with offsets into the raw text.
 */
import type { Entity } from '../types';
import type { WinkRead } from '../wink-reader';
import { chunks } from './decoder';
import { FeatureExtractor } from './features';
import { ENTITY_TYPES, toEntityLabel } from './labels';
import { loadModel, type SequenceModel } from './model';
import { tokensOf, type TokenView } from './tokens';

export class SequenceStage {
  private readonly features: FeatureExtractor;

  constructor(readonly model: SequenceModel) {
    this.features = new FeatureExtractor(model.header.featureConfig, model.vocabulary, model.gazetteer, model.wordClusters, (keys, ends, into, at) => model.scoreGroups(keys, ends, into, at));
  }

  /** Loads the model file; call once per process. */
  static load(modelPath: string): SequenceStage {
    const model = loadModel(modelPath);
    if (model.header.featureConfig.pos) {
      throw new Error(`NER model ${model.version} needs wink's pos annotation, which the served read (ner only) lacks`);
    }
    return new SequenceStage(model);
  }

  get modelVersion(): string {
    return this.model.version;
  }

  /** Entities in `read`, which wink read from `text`. */
  recognize(read: WinkRead, text: string): Entity[] {
    return this.recognizeTokens(tokensOf(read, text), text);
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
