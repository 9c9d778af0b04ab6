/**
 * Reads over HTTP (a Fastify plugin): a stored result by request_id with read-your-writes,
 * and the analytics endpoints dashboards poll. Replica first, primary as fallback; the
 * `X-Read-Source` header says which served. Errors go through the app's error handler.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { ENTITY_LABELS } from '../recognizer/types';
import { InvalidConsistencyTokenError, TIME_BUCKETS, WindowOutsideRetentionError, type Read, type ResultReader, type TimeBucket, type TimeWindow } from '../storage/types';
import { fieldName } from './errors';
import { REQUEST_ID_PATTERN } from './schemas';

export interface ReadRoutesOptions {
  reader: ResultReader;
}

const DAY_MS = 86_400_000;
const BUCKET_MS: Record<TimeBucket, number> = { minute: 60_000, hour: 3_600_000, day: DAY_MS };
/** Bounds the size of a mentions series (buckets x labels). */
const MAX_BUCKETS = 10_000;

/** An error the app's error handler answers with this status and message. */
function httpError(statusCode: number, message: string): Error & { statusCode: number } {
  return Object.assign(new Error(message), { statusCode });
}

/** What each query or path parameter must be, for the 400 message. */
const EXPECTED: Record<string, string> = {
  request_id: 'must be 1 to 128 printable ASCII characters without spaces',
  from: 'must be an ISO 8601 date-time such as 2026-01-31T12:00:00Z',
  to: 'must be an ISO 8601 date-time such as 2026-01-31T12:00:00Z',
  label: `must be one of ${ENTITY_LABELS.join(', ')}`,
  limit: 'must be a whole number from 1 to 100',
  bucket: `must be one of ${TIME_BUCKETS.join(', ')}`,
};

/**
 * Routes validate with `attachValidation` and report here: the app's handler words schema
 * errors for POST bodies, these are query and path parameters.
 */
function rejectInvalid(request: FastifyRequest): void {
  const issue = request.validationError?.validation[0];
  if (!issue) return;
  const field = fieldName(issue.instancePath) || String(issue.params.additionalProperty ?? 'parameter');
  throw httpError(400, `${field} ${EXPECTED[field] ?? issue.message ?? 'is invalid'}`);
}

const windowQuery = {
  from: { type: 'string', format: 'date-time' },
  to: { type: 'string', format: 'date-time' },
  label: { type: 'string', enum: ENTITY_LABELS },
} as const;

const STRING = { type: 'string' } as const;
const INTEGER = { type: 'integer' } as const;

/** Response schema of an analytics answer: the window, `extra` fields, and one list of rows. */
function windowAnswer(list: Record<string, Record<string, object>>, extra: Record<string, object> = {}) {
  const [[name, row]] = Object.entries(list) as [[string, Record<string, object>]];
  return {
    type: 'object',
    properties: {
      from: STRING,
      to: STRING,
      ...extra,
      [name]: { type: 'array', items: { type: 'object', properties: row } },
    },
  };
}

interface WindowQuery {
  from?: string;
  to?: string;
  label?: string;
}

/**
 * [from, to): default the last 24 hours; `from` must precede `to`. The answer's window is the
 * part the reader counts exactly (edges past the raw-data retention move in to whole hours).
 */
function timeWindow(reader: ResultReader, query: WindowQuery, bucket?: TimeBucket): TimeWindow {
  const to = query.to === undefined ? new Date() : new Date(query.to);
  const from = query.from === undefined ? new Date(to.getTime() - DAY_MS) : new Date(query.from);
  if (!(from < to)) throw httpError(400, 'from must be earlier than to');
  try {
    return reader.analyticsWindow({ from, to }, bucket);
  } catch (error) {
    if (error instanceof WindowOutsideRetentionError) throw httpError(400, error.message);
    throw error;
  }
}

function answer<T>(reply: FastifyReply, read: Read<T>): T {
  void reply.header('x-read-source', read.source);
  return read.value;
}

export const readRoutes: FastifyPluginAsync<ReadRoutesOptions> = async (app, { reader }) => {
  app.get<{ Params: { request_id: string }; Querystring: { consistency_token?: string } }>(
    '/entities/:request_id',
    {
      attachValidation: true,
      schema: {
        params: { type: 'object', properties: { request_id: { type: 'string', pattern: REQUEST_ID_PATTERN } } },
        querystring: { type: 'object', properties: { consistency_token: { type: 'string' } } },
        response: {
          200: {
            type: 'object',
            properties: {
              request_id: { type: 'string' },
              entities: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: { text: { type: 'string' }, label: { type: 'string' }, start: { type: 'integer' }, end: { type: 'integer' } },
                },
              },
              model_version: { type: 'string' },
              text_length: { type: 'integer' },
              processed_at: { type: 'string' },
            },
          },
        },
      },
    },
    async (request, reply) => {
      rejectInvalid(request);
      const header = request.headers['x-consistency-token'];
      const token = request.query.consistency_token ?? (typeof header === 'string' ? header : undefined);
      let read;
      try {
        read = await reader.findResult(request.params.request_id, token);
      } catch (error) {
        if (error instanceof InvalidConsistencyTokenError) throw httpError(400, error.message);
        throw error;
      }
      const stored = answer(reply, read);
      if (stored === undefined) throw httpError(404, `no stored result for request_id ${request.params.request_id}`);
      return {
        request_id: stored.requestId,
        entities: stored.entities,
        model_version: stored.modelVersion,
        text_length: stored.textLength,
        processed_at: stored.processedAt,
      };
    },
  );

  app.get<{ Querystring: WindowQuery & { limit?: string } }>(
    '/analytics/top-entities',
    {
      attachValidation: true,
      schema: {
        querystring: {
          type: 'object',
          properties: { ...windowQuery, limit: { type: 'string', pattern: '^(100|[1-9][0-9]?)$' } },
        },
        response: { 200: windowAnswer({ entities: { label: STRING, entity_text: STRING, mentions: INTEGER } }) },
      },
    },
    async (request, reply) => {
      rejectInvalid(request);
      const window = timeWindow(reader, request.query);
      const limit = Number(request.query.limit ?? 10);
      const top = answer(reply, await reader.topEntities({ ...window, label: request.query.label, limit }));
      return {
        from: window.from.toISOString(),
        to: window.to.toISOString(),
        entities: top.map((row) => ({ label: row.label, entity_text: row.entityText, mentions: row.mentions })),
      };
    },
  );

  app.get<{ Querystring: WindowQuery & { bucket?: TimeBucket } }>(
    '/analytics/mentions',
    {
      attachValidation: true,
      schema: {
        querystring: { type: 'object', properties: { ...windowQuery, bucket: { type: 'string', enum: TIME_BUCKETS } } },
        response: { 200: windowAnswer({ series: { bucket_start: STRING, label: STRING, mentions: INTEGER } }, { bucket: STRING }) },
      },
    },
    async (request, reply) => {
      rejectInvalid(request);
      const bucket = request.query.bucket ?? 'hour';
      const window = timeWindow(reader, request.query, bucket);
      if ((window.to.getTime() - window.from.getTime()) / BUCKET_MS[bucket] > MAX_BUCKETS) {
        throw httpError(400, `the window spans more than ${MAX_BUCKETS} ${bucket} buckets; use a larger bucket or a shorter window`);
      }
      const series = answer(reply, await reader.mentionsOverTime({ ...window, bucket, label: request.query.label }));
      return {
        from: window.from.toISOString(),
        to: window.to.toISOString(),
        bucket,
        series: series.map((row) => ({ bucket_start: row.bucketStart, label: row.label, mentions: row.mentions })),
      };
    },
  );

  app.get(
    '/analytics/freshness',
    {
      schema: {
        response: {
          200: {
            type: 'object',
            properties: {
              replication_lag_seconds: { type: 'number' },
              newest_processed_at: { type: ['string', 'null'] },
              rolled_up_to: { type: ['string', 'null'] },
            },
          },
        },
      },
    },
    async (_request, reply) => {
      const freshness = answer(reply, await reader.freshness());
      return {
        replication_lag_seconds: freshness.replicationLagSeconds,
        newest_processed_at: freshness.newestProcessedAt,
        rolled_up_to: freshness.rolledUpTo,
      };
    },
  );
};
