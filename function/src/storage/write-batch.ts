/**
 * Turns results into the parameters of one multi-row write: deduplicated by request_id
 * (the last occurrence wins, as if the items had been saved one after another) and sorted by
 * request_id, so concurrent batches lock rows in the same order and cannot deadlock.
 *
 * This runs for every stored comment, so it avoids work that nearly never changes anything:
 * texts are only rewritten (storableText, normalizeEntityText) when a cheap test says they
 * must be, and the columns are encoded into PostgreSQL array literals here in one pass
 * (node-postgres would run two regular expressions over every element).
 */
import type { Entity } from '../recognizer/types';
import type { EnrichedText } from './types';

export interface WriteBatch {
  texts: {
    requestIds: string[];
    /** Each row's entities, their texts storable. */
    entities: Array<readonly Entity[]>;
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
    const entities = storableEntities(row.entities);
    batch.texts.entities.push(entities);
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

/** The batch as the parameters $1..$8 of INSERT_BATCH and UPSERT_BATCH (sql.ts): one array literal per column. */
export function writeBatchParameters({ texts, mentions }: WriteBatch): string[] {
  return [
    textArrayLiteral(texts.requestIds),
    entitiesArrayLiteral(texts.entities),
    integerArrayLiteral(texts.entityCounts),
    textArrayLiteral(texts.modelVersions),
    integerArrayLiteral(texts.textLengths),
    textArrayLiteral(mentions.requestIds),
    textArrayLiteral(mentions.labels),
    textArrayLiteral(mentions.entityTexts),
  ];
}

const ARRAY_ELEMENT_SPECIAL = /[\\"]/;
const ARRAY_ELEMENT_SPECIALS = /[\\"]/g;

/**
 * A PostgreSQL array literal of texts, every element quoted (so NULL, empty strings, commas,
 * braces and spaces need nothing more) with `\` and `"` escaped: the literal node-postgres
 * builds for a string array, built in one pass.
 */
export function textArrayLiteral(values: readonly string[]): string {
  let literal = '{';
  for (let index = 0; index < values.length; index += 1) {
    const value = values[index]!;
    const element = ARRAY_ELEMENT_SPECIAL.test(value) ? value.replace(ARRAY_ELEMENT_SPECIALS, '\\$&') : value;
    literal += index === 0 ? `"${element}"` : `,"${element}"`;
  }
  return `${literal}}`;
}

/**
 * The rows' entities as a jsonb[] literal: each row's JSON array written straight into its
 * escaped, quoted element, as textArrayLiteral would encode JSON.stringify(entities) (the
 * same keys in the same order), without escaping every quote of the JSON a second time.
 */
export function entitiesArrayLiteral(rows: ReadonlyArray<readonly Entity[]>): string {
  let literal = '{';
  for (let row = 0; row < rows.length; row += 1) {
    literal += row === 0 ? '"[' : ',"[';
    const entities = rows[row]!;
    for (let index = 0; index < entities.length; index += 1) {
      const { text, label, start, end } = entities[index]!;
      literal += `${index === 0 ? '' : ','}{\\"text\\":${jsonStringElement(text)},\\"label\\":${jsonStringElement(label)},\\"start\\":${start},\\"end\\":${end}}`;
    }
    literal += ']"';
  }
  return `${literal}}`;
}

/** What JSON.stringify escapes (it escapes lone surrogates; paired ones merely take the long way). */
const JSON_SPECIAL = /["\\\0-\x1f\ud800-\udfff]/;

/** JSON.stringify(text), escaped for an array element. */
function jsonStringElement(text: string): string {
  if (!JSON_SPECIAL.test(text)) return `\\"${text}\\"`;
  return JSON.stringify(text).replace(ARRAY_ELEMENT_SPECIALS, '\\$&');
}

/** A PostgreSQL array literal of integers. */
export function integerArrayLiteral(values: readonly number[]): string {
  return `{${values.join(',')}}`;
}

/** The entities themselves, unless one's text must be made storable. */
function storableEntities(entities: readonly Entity[]): readonly Entity[] {
  if (entities.every((entity) => !NOT_STORABLE.test(entity.text))) return entities;
  return entities.map((entity) => ({ ...entity, text: storableText(entity.text) }));
}

/** Printable ASCII (which NFKC leaves unchanged) without whitespace to collapse or trim. */
const PLAIN_ASCII = /^[\x21-\x7e](?:[\x21-\x7e]| (?=[\x21-\x7e]))*$/;

/** The form analytics counts by: "Paris", "PARIS" and " paris\n" are one entity. */
export function normalizeEntityText(text: string): string {
  if (PLAIN_ASCII.test(text)) return text.toLowerCase();
  return text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
/** What storableText may change: NUL or any surrogate (nearly always part of a valid pair). */
const NOT_STORABLE = /[\0\ud800-\udfff]/;

/**
 * PostgreSQL text and jsonb cannot hold NUL or unpaired UTF-16 surrogates, which valid
 * JSON input may contain: both become U+FFFD, so such input is stored instead of failing
 * every retry. Lookups apply the same mapping, so a request_id still finds its row.
 */
export function storableText(text: string): string {
  if (!NOT_STORABLE.test(text)) return text;
  return text.replace(LONE_SURROGATE, '\ufffd').replaceAll('\0', '\ufffd');
}
