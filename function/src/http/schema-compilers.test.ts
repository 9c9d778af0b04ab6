import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { loadConfig } from '../config';
import { createLogger } from '../log';
import { FUNCTION_DIR } from '../paths';
import type { ResultReader } from '../storage/types';
import { buildApp } from './app';
import { compiledSchemasSource } from './compile-schemas';
import { readRoutes } from './read-routes';
import { COMPILED_SCHEMAS_FILE, loadCompiledSchemas, schemaCompilers, type CompiledSchemas } from './schema-compilers';

/** The generated module, evaluated as build.js bundles it: its requires resolve from the function folder. */
async function compileInProcess(): Promise<CompiledSchemas> {
  const module = { exports: {} as CompiledSchemas };
  new Function('require', 'module', 'exports', await compiledSchemasSource())(createRequire(path.join(FUNCTION_DIR, 'package.json')), module, module.exports);
  return module.exports;
}

/** Every schema look-up the app makes, and whether the compiled set held it. */
function recordingLookups(compiled: CompiledSchemas) {
  const lookups: { key: string; found: boolean }[] = [];
  const record = <T extends object>(functions: T) =>
    new Proxy(functions, {
      get(target, key) {
        lookups.push({ key: String(key), found: key in target });
        return target[key as keyof T];
      },
    });
  return { lookups, compiled: { validators: record(compiled.validators), serializers: record(compiled.serializers) } };
}

const NO_COMPILED_SCHEMAS: CompiledSchemas = { validators: {}, serializers: {} };

async function appWith(compiled: CompiledSchemas, env: Record<string, string> = {}) {
  const app = buildApp({
    config: loadConfig(env),
    recognizer: { modelVersion: 'test@1', recognize: (text) => (text.startsWith('Ann') ? [{ text: 'Ann', label: 'PERSON', start: 0, end: 3 }] : []) },
    logger: createLogger({ logLevel: 'silent' }),
    store: { isReady: () => true, save: async () => ({ consistencyToken: '0/16B3748' }) } as never,
    schemaCompilers: schemaCompilers(compiled),
  });
  await app.register(readRoutes, { reader: {} as ResultReader });
  await app.ready();
  return app;
}

/** Bodies that exercise every keyword of POST /'s schema, valid and not. */
const BODIES: unknown[] = [
  { text: 'Ann went home' },
  { text: 'x', request_id: 'r-1' },
  { items: [{ text: 'Ann a' }, { text: 'b', request_id: 'r-2' }] },
  { text: 5 },
  { text: 'x'.repeat(10_001) },
  { text: '😀'.repeat(10_000) },
  { items: [] },
  { items: [{ request_id: 'x' }] },
  { items: Array.from({ length: 1001 }, () => ({ text: 'a' })) },
  { text: 'a', items: [{ text: 'b' }] },
  {},
  { text: 'a', request_id: 'has space' },
  { text: 'a', request_id: 'x'.repeat(129) },
];

test('the compiled schemas cover every route schema of the function, as the app looks them up', async () => {
  const { lookups, compiled } = recordingLookups(await compileInProcess());
  const app = await appWith(compiled);
  await app.close();
  // POST /'s body and answers, the probes, the reads' parameters and answers.
  assert.ok(lookups.length >= 12, `${lookups.length} look-ups`);
  assert.deepEqual(lookups.filter((lookup) => !lookup.found), []);
});

test('compiled validators and serializers answer exactly as Fastify compiling the schemas at start', async () => {
  const compiled = await appWith(await compileInProcess());
  const compiling = await appWith(NO_COMPILED_SCHEMAS);
  const answer = async (app: typeof compiled, body: unknown) => {
    const response = await app.inject({ method: 'POST', url: '/', payload: body as object, headers: { 'x-request-id': 'fixed' } });
    return { status: response.statusCode, body: response.body };
  };
  const statuses = new Set<number>();
  for (const body of BODIES) {
    const expected = await answer(compiling, body);
    statuses.add(expected.status);
    assert.deepEqual(await answer(compiled, body), expected, JSON.stringify(body).slice(0, 80));
  }
  assert.deepEqual([...statuses].sort(), [200, 400, 413]);
  for (const url of ['/healthz', '/readyz', '/entities/has%20space', '/analytics/top-entities?limit=0', '/analytics/mentions?bucket=week']) {
    const headers = { 'x-request-id': 'fixed' };
    const [a, b] = await Promise.all([compiled.inject({ url, headers }), compiling.inject({ url, headers })]);
    assert.deepEqual([a.statusCode, a.body], [b.statusCode, b.body], url);
  }
  await Promise.all([compiled.close(), compiling.close()]);
});

test('a schema the compiled set lacks (other limits) is compiled at start, and its limits hold', async () => {
  const { lookups, compiled } = recordingLookups(await compileInProcess());
  const app = await appWith(compiled, { MAX_TEXT_CHARS: '5', MAX_BATCH_ITEMS: '2' });
  assert.ok(lookups.some((lookup) => !lookup.found), 'the body schema differs from the compiled one');
  const tooLong = await app.inject({ method: 'POST', url: '/', payload: { text: '123456' } });
  assert.equal(tooLong.statusCode, 413);
  assert.match(tooLong.body, /text must NOT have more than 5 characters/);
  const tooMany = await app.inject({ method: 'POST', url: '/', payload: { items: [{ text: 'a' }, { text: 'b' }, { text: 'c' }] } });
  assert.equal(tooMany.statusCode, 413);
  const fits = await app.inject({ method: 'POST', url: '/', payload: { text: '12345' } });
  assert.equal(fits.statusCode, 200, fits.body);
  await app.close();
});

test('npm run build writes the compiled schemas where the function reads them, covering every route', async () => {
  assert.ok(existsSync(COMPILED_SCHEMAS_FILE), `${COMPILED_SCHEMAS_FILE}: run npm run build`);
  const { lookups, compiled } = recordingLookups(loadCompiledSchemas()!);
  await (await appWith(compiled)).close();
  assert.deepEqual(lookups.filter((lookup) => !lookup.found), []);
});
