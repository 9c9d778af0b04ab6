/**
 * Turns results into the column arrays of one multi-row upsert: deduplicated by request_id
 * (the last occurrence wins, as if the items had been saved one after another) and sorted by
 * request_id, so concurrent batches lock rows in the same order and cannot deadlock.
 */
import type { Entity } from '../recognizer/types';
import type { EnrichedText } from './types';

export interface WriteBatch {
  texts: {
    requestIds: string[];
    entities: string[];
    entityCounts: number[];
    modelVersions: string[];
    textLengths: number[];
  };
  mentions: {
    requestIds: string[];
    labels: string[];
    entityTexts: string[];
  };
}

export function toWriteBatch(results: readonly EnrichedText[]): WriteBatch {
  const latest = new Map<string, EnrichedText>();
  for (const result of results) latest.set(storableText(result.requestId), result);
  const requestIds = [...latest.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

  const batch: WriteBatch = {
    texts: { requestIds, entities: [], entityCounts: [], modelVersions: [], textLengths: [] },
    mentions: { requestIds: [], labels: [], entityTexts: [] },
  };
  for (const requestId of requestIds) {
    const row = latest.get(requestId) as EnrichedText;
    const entities: Entity[] = row.entities.map((entity) => ({ ...entity, text: storableText(entity.text) }));
    batch.texts.entities.push(JSON.stringify(entities));
    batch.texts.entityCounts.push(entities.length);
    batch.texts.modelVersions.push(storableText(row.modelVersion));
    batch.texts.textLengths.push(row.textLength);
    for (const entity of entities) {
      batch.mentions.requestIds.push(requestId);
      batch.mentions.labels.push(entity.label);
      batch.mentions.entityTexts.push(normalizeEntityText(entity.text));
    }
  }
  return batch;
}

/** The form analytics counts by: "Paris", "PARIS" and " paris\n" are one entity. */
export function normalizeEntityText(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * PostgreSQL text and jsonb cannot hold NUL or unpaired UTF-16 surrogates, which valid
 * JSON input may contain: both become U+FFFD, so such input is stored instead of failing
 * every retry. Lookups apply the same mapping, so a request_id still finds its row.
 */
export function storableText(text: string): string {
  return text.replace(LONE_SURROGATE, '\ufffd').replaceAll('\0', '\ufffd');
}
