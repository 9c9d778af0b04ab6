/**
 * NER_MODEL_PATH: the compiled server loads the configured model file instead of the bundled
 * one, binary or JSON, and every response's model_version names it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readModelFile } from '../src/recognizer/sequence/model';
import { encodeJsonModelFile, encodeModelFile } from '../src/recognizer/sequence/model-file';
import { BUNDLED_NER_MODEL_PATH } from '../src/paths';
import { startServer } from './server';

const TEXT = 'Barack Obama flew to Paris with Microsoft executives at 5pm';
const bundled = readModelFile(BUNDLED_NER_MODEL_PATH);
const dir = mkdtempSync(path.join(tmpdir(), 'ner-model-path-'));

async function recognizeWith(env: Record<string, string>): Promise<{ ready: string; model_version: string; entities: unknown[] }> {
  const server = await startServer(env);
  try {
    const response = await fetch(server.url, { method: 'POST', body: JSON.stringify({ text: TEXT }) });
    assert.equal(response.status, 200);
    const body = (await response.json()) as { model_version: string; entities: unknown[] };
    const ready = server.logs.find((line) => line.message === 'ner-processor ready')!;
    return { ready: String(ready.model_version), ...body };
  } finally {
    await server.stop();
  }
}

test('a configured model file is loaded instead of the bundled one, and named in model_version', async () => {
  const binary = path.join(dir, 'next.bin');
  writeFileSync(binary, encodeModelFile({ ...bundled, header: { ...bundled.header, version: '9.9.9' } }));
  const json = path.join(dir, 'next.json');
  writeFileSync(json, encodeJsonModelFile({ ...bundled, header: { ...bundled.header, version: '9.9.8' } }));

  const byDefault = await recognizeWith({});
  assert.ok(byDefault.model_version.endsWith(` + ${bundled.header.name}@${bundled.header.version}`), byDefault.model_version);
  assert.ok(byDefault.entities.length >= 3, JSON.stringify(byDefault.entities));
  for (const [file, version] of [[binary, '9.9.9'], [json, '9.9.8']] as const) {
    const configured = await recognizeWith({ NER_MODEL_PATH: file });
    assert.ok(configured.model_version.endsWith(` + ${bundled.header.name}@${version}`), configured.model_version);
    assert.equal(configured.ready, configured.model_version);
    // Same weights under another version: the same entities.
    assert.deepEqual(configured.entities, byDefault.entities);
  }
});
