/**
 * Turns every failure into the contract's `{error, request_id?}` body with the right
 * status: the caller always learns what was wrong and which field it was.
 */
import type { FastifyError } from 'fastify';
import { StorageUnavailableError } from '../storage/types';

export interface ErrorReply {
  statusCode: number;
  message: string;
  headers?: Record<string, string>;
}

interface ValidationIssue {
  keyword: string;
  instancePath: string;
  message?: string | undefined;
  params: Record<string, unknown>;
}

/** `/items/3/text` -> `items[3].text`. */
export function fieldName(instancePath: string): string {
  return instancePath
    .split('/')
    .slice(1)
    .map((part, index) => (/^\d+$/.test(part) ? `[${part}]` : `${index === 0 ? '' : '.'}${part}`))
    .join('');
}

const SIZE_KEYWORDS = new Set(['maxLength', 'maxItems']);

const ARTICLES: Record<string, string> = { string: 'a string', object: 'an object', array: 'an array' };

/** One clear sentence for the first schema violation; oversize fields are 413. */
export function describeValidation(issues: readonly ValidationIssue[], body: unknown): ErrorReply {
  // ajv reports `oneOf` before `type` for a non-object body: name the real problem.
  if (body === undefined) return { statusCode: 400, message: 'request body is empty' };
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { statusCode: 400, message: 'body must be a JSON object' };
  const oneOf = issues.find((issue) => issue.keyword === 'oneOf' && issue.instancePath === '');
  const issue = oneOf ?? issues[0];
  if (issue === undefined) return { statusCode: 400, message: 'invalid request body' };
  const field = fieldName(issue.instancePath);
  if (issue.keyword === 'oneOf') {
    const both = Array.isArray(issue.params.passingSchemas);
    return { statusCode: 400, message: both ? 'send either "text" or "items", not both' : 'body must have a "text" string or an "items" array' };
  }
  if (issue.keyword === 'required') {
    const missing = String(issue.params.missingProperty);
    return { statusCode: 400, message: `${field === '' ? missing : `${field}.${missing}`} is required` };
  }
  if (issue.keyword === 'pattern') {
    return { statusCode: 400, message: `${field} must be 1 to 128 printable ASCII characters without spaces` };
  }
  if (issue.keyword === 'type') {
    const type = String(issue.params.type);
    return { statusCode: 400, message: `${field} must be ${ARTICLES[type] ?? type}` };
  }
  return { statusCode: SIZE_KEYWORDS.has(issue.keyword) ? 413 : 400, message: `${field} ${issue.message ?? 'is invalid'}` };
}

/** Maps Fastify's parser/validation errors, storage outages and bugs to an ErrorReply. */
export function describeError(error: FastifyError, body: unknown): ErrorReply {
  if (error instanceof StorageUnavailableError) {
    return {
      statusCode: 503,
      message: 'storage unavailable, retry later',
      headers: { 'retry-after': String(error.retryAfterSeconds) },
    };
  }
  if (error.validation) return describeValidation(error.validation as ValidationIssue[], body);
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { statusCode: 413, message: 'request body is too large' };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { statusCode: 415, message: 'unsupported content type: send application/json or text/plain' };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { statusCode: 400, message: 'request body is empty' };
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return { statusCode: 400, message: 'content-length does not match the body' };
  }
  if (error instanceof SyntaxError || error.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
    return { statusCode: 400, message: `invalid JSON: ${error.message}` };
  }
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) return { statusCode: status, message: error.message };
  return { statusCode: 500, message: 'internal error' };
}
