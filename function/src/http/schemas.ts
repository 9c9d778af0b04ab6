/**
 * JSON schemas for POST /: Fastify validates requests with ajv and serializes responses
 * with fast-json-stringify, which is both the validation and most of the speed.
 */
import type { Config } from '../config';
import { ENTITY_LABELS } from '../recognizer/types';

/** Caller-chosen ids are stored as keys and echoed in headers: keep them short and printable. */
export const REQUEST_ID_PATTERN = '^[\\x21-\\x7e]{1,128}$';

export function postBodySchema(config: Pick<Config, 'maxTextChars' | 'maxBatchItems'>) {
  const comment = {
    type: 'object',
    required: ['text'],
    properties: {
      text: { type: 'string', maxLength: config.maxTextChars },
      request_id: { type: 'string', pattern: REQUEST_ID_PATTERN },
    },
  } as const;
  return {
    type: 'object',
    properties: {
      ...comment.properties,
      items: { type: 'array', minItems: 1, maxItems: config.maxBatchItems, items: comment },
    },
    oneOf: [{ required: ['text'] }, { required: ['items'] }],
  } as const;
}

const entity = {
  type: 'object',
  required: ['text', 'label', 'start', 'end'],
  properties: {
    text: { type: 'string' },
    label: { type: 'string', enum: ENTITY_LABELS },
    start: { type: 'integer' },
    end: { type: 'integer' },
  },
} as const;

const result = {
  type: 'object',
  required: ['request_id', 'entities', 'model_version'],
  properties: {
    request_id: { type: 'string' },
    entities: { type: 'array', items: entity },
    model_version: { type: 'string' },
  },
} as const;

export const errorSchema = {
  type: 'object',
  required: ['error'],
  properties: { error: { type: 'string' }, request_id: { type: 'string' } },
} as const;

export const postResponseSchema = {
  200: {
    type: 'object',
    properties: {
      ...result.properties,
      results: { type: 'array', items: result },
      consistency_token: { type: 'string' },
    },
  },
  '4xx': errorSchema,
  '5xx': errorSchema,
} as const;
