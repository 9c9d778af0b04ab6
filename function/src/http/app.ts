/**
 * The Fastify app: POST / recognizes one comment or a batch, /healthz and /readyz serve
 * the probes, and every request ends in exactly one ECS log line.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import type { Config } from '../config';
import type { Logger } from '../log';
import type { Entity, Recognizer } from '../recognizer/types';
import type { EnrichedText, ResultStore } from '../storage/types';
import { describeError } from './errors';
import { RouteIndex } from './routes-index';
import { schemaCompilers, type SchemaCompilers } from './schema-compilers';
import { REQUEST_ID_PATTERN, errorSchema, postBodySchema, postResponseSchema } from './schemas';

export interface AppDeps {
  config: Config;
  recognizer: Recognizer;
  /** Absent with PERSISTENCE=off: the function only recognizes. */
  store?: ResultStore | undefined;
  logger: Logger;
  /** How route schemas are compiled; default: as `npm run build` compiled them (schema-compilers.ts). */
  schemaCompilers?: SchemaCompilers | undefined;
}

interface Comment {
  text: string;
  request_id?: string;
}
type PostBody = Comment | { items: Comment[] };

/** What the request did, for its log line. */
interface Outcome {
  itemCount: number;
  textLength: number;
  entities: Entity[][];
  texts: string[];
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The id the response carries: body `request_id`, else X-Request-Id, else a UUID. */
    requestId: string;
    outcome: Outcome | null;
    errorMessage: string | null;
  }
}

const requestIdPattern = new RegExp(REQUEST_ID_PATTERN);

function headerRequestId(raw: IncomingMessage): string | undefined {
  const header = raw.headers['x-request-id'];
  return typeof header === 'string' && requestIdPattern.test(header) ? header : undefined;
}

export function buildApp(deps: AppDeps): FastifyInstance {
  const { config, recognizer, store, logger } = deps;
  const app = Fastify({
    // pino's Logger is a FastifyBaseLogger; the cast keeps FastifyInstance's default generics.
    loggerInstance: logger as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'request_id' }),
    genReqId: (raw) => headerRequestId(raw) ?? randomUUID(),
    requestIdHeader: false,
    bodyLimit: config.maxBodyBytes,
    // Types are checked, never coerced: `{"text": 5}` is a 400, not the comment "5".
    // validateSchema: our schemas are fixed and tested; checking them against ajv's meta-schema
    // at every start compiled that meta-schema first, about 50 ms of the cold start.
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, validateSchema: false } },
    schemaController: { compilersFactory: deps.schemaCompilers ?? schemaCompilers() },
    frameworkErrors: (error, request, reply) => sendError(request, reply, error.statusCode ?? 400, error.message),
  });
  const routes = new RouteIndex();
  routes.watch(app);
  let closing = false;
  app.addHook('preClose', (done) => {
    closing = true;
    done();
  });

  app.decorateRequest('requestId', '');
  app.decorateRequest('outcome', null);
  app.decorateRequest('errorMessage', null);
  app.addHook('onRequest', (request, _reply, done) => {
    request.requestId = request.id;
    if (logger.isLevelEnabled('debug')) {
      request.log.debug({ http: { request: { method: request.method } }, url: { path: request.url } }, 'request received');
    }
    // A body without Content-Type (some HTTP clients) is read as JSON, like curl's default.
    const headers = request.raw.headers;
    if (headers['content-type'] === undefined && (headers['transfer-encoding'] !== undefined || (headers['content-length'] ?? '0') !== '0')) {
      headers['content-type'] = 'application/json';
    }
    done();
  });
  app.addHook('onResponse', (request, reply, done) => {
    logCompleted(logger, config.logText, request, reply);
    done();
  });

  // curl -d sends application/x-www-form-urlencoded: read it as the JSON it almost always is.
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: config.maxBodyBytes },
    app.getDefaultJsonParser('error', 'error'),
  );
  // A text/plain body is one comment.
  app.removeContentTypeParser('text/plain');
  app.addContentTypeParser('text/plain', { parseAs: 'string', bodyLimit: config.maxBodyBytes }, (_request, body, done) => {
    done(null, { text: body });
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const { statusCode, message, headers } = describeError(error, request.body);
    if (statusCode >= 500) request.log.error({ err: error }, 'request failed');
    if (headers) void reply.headers(headers);
    return sendError(request, reply, statusCode, message, statusCode >= 500 ? error.message : message);
  });
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?', 1)[0]!;
    const allowed = routes.allowedMethods(path);
    if (allowed.length === 0) return sendError(request, reply, 404, `no route for ${request.method} ${path}`);
    void reply.header('allow', allowed.join(', '));
    return sendError(request, reply, 405, `method ${request.method} not allowed on ${path}; use ${allowed.join(', ')}`);
  });

  app.get('/healthz', { schema: { response: { 200: statusSchema } } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { response: { 200: statusSchema, 503: errorSchema } } }, async (request, reply) => {
    const problem = closing ? 'shutting down' : store && !store.isReady() ? 'storage unreachable' : undefined;
    if (problem === undefined) return { status: 'ready' };
    request.errorMessage = problem;
    return reply.code(503).send({ error: problem });
  });

  app.post<{ Body: PostBody }>(
    '/',
    { schema: { body: postBodySchema(config), response: postResponseSchema } },
    async (request, reply) => {
      const body = request.body;
      const comments = 'items' in body ? body.items : [body];
      const headerId = headerRequestId(request.raw);
      if (!('items' in body) && body.request_id !== undefined) request.requestId = body.request_id;
      void reply.header('x-request-id', request.requestId);
      const ids = 'items' in body ? batchRequestIds(body.items, headerId) : [request.requestId];
      if (typeof ids === 'string') return sendError(request, reply, 400, ids);

      const results: EnrichedText[] = comments.map((comment, index) => ({
        requestId: ids[index]!,
        entities: recognizer.recognize(comment.text),
        modelVersion: recognizer.modelVersion,
        textLength: comment.text.length,
      }));
      request.outcome = {
        itemCount: results.length,
        textLength: results.reduce((sum, result) => sum + result.textLength, 0),
        entities: results.map((result) => result.entities),
        texts: config.logText ? comments.map((comment) => comment.text) : [],
      };
      const consistencyToken = store ? (await store.save(results)).consistencyToken : undefined;
      const answers = results.map((result) => ({
        request_id: result.requestId,
        entities: result.entities,
        model_version: result.modelVersion,
      }));
      return 'items' in body ? { results: answers, consistency_token: consistencyToken } : { ...answers[0], consistency_token: consistencyToken };
    },
  );
  return app;
}

const statusSchema = { type: 'object', properties: { status: { type: 'string' } } } as const;

/**
 * Every batch item gets an id: its own, else `<X-Request-Id>-<index>` so a retried batch
 * upserts the same rows, else a fresh UUID. Returns an error message on duplicates.
 */
function batchRequestIds(items: readonly Comment[], headerId: string | undefined): string[] | string {
  const ids = items.map((item, index) => item.request_id ?? (headerId === undefined ? randomUUID() : `${headerId}-${index}`));
  const seen = new Map<string, number>();
  for (const [index, id] of ids.entries()) {
    const first = seen.get(id);
    if (first !== undefined) return `items[${index}].request_id duplicates items[${first}].request_id`;
    seen.set(id, index);
  }
  return ids;
}

function sendError(request: FastifyRequest, reply: FastifyReply, statusCode: number, message: string, logMessage = message) {
  // Framework errors (a malformed URL) come before the onRequest hook has set requestId.
  request.requestId ||= request.id;
  request.errorMessage = logMessage;
  return reply.code(statusCode).header('x-request-id', request.requestId).send({ error: message, request_id: request.requestId });
}

function logCompleted(logger: Logger, logText: boolean, request: FastifyRequest, reply: FastifyReply): void {
  const status = reply.statusCode;
  const outcome = request.outcome;
  const fields: Record<string, unknown> = {
    request_id: request.requestId,
    duration_ms: reply.elapsedTime,
    http: { request: { method: request.method }, response: { status_code: status } },
    url: { path: request.url.split('?', 1)[0] },
  };
  if (outcome !== null) {
    const labels: Record<string, number> = {};
    let entityCount = 0;
    for (const entities of outcome.entities) {
      entityCount += entities.length;
      for (const entity of entities) labels[entity.label] = (labels[entity.label] ?? 0) + 1;
    }
    fields.item_count = outcome.itemCount;
    fields.text_length = outcome.textLength;
    fields.entity_count = entityCount;
    fields.entity_labels = labels;
    if (logText) fields.comment_texts = outcome.texts;
  }
  if (request.errorMessage !== null) fields.error = { message: request.errorMessage };
  const level = status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info';
  logger[level](fields, 'request completed');
}
