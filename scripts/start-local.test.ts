/** `npm start`'s script end to end: embedded PostgreSQL, migrations, the function, clean stop, data kept. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '../function/test/support/postgres-server';

const repoDir = path.resolve(__dirname, '..');

async function startLocal(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start-local.ts'], {
    cwd: repoDir,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${env.PORT}`;
  const deadline = Date.now() + 60_000;
  while ((await fetch(`${url}/readyz`).then((response) => response.status, () => 0)) !== 200) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGTERM');
      assert.fail(`start-local did not become ready:\n${output}`);
    }
    await sleep(100);
  }
  return {
    url,
    /** SIGTERM (once) and the exit code; safe to call again. */
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      return { code: await exited, output };
    },
  };
}

test('npm start: embedded PostgreSQL, migrated, data kept across restarts, SIGTERM stops both', { timeout: 180_000 }, async () => {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'nlp-start-local-'));
  try {
    const env = { PORT: String(await freePort()), HOST: '127.0.0.1', NLP_DATA_DIR: dataDir };
    const first = await startLocal(env);
    const saved = await fetch(`${first.url}/`, {
      method: 'POST',
      body: JSON.stringify({ text: 'Ivan visits Kyiv', request_id: 'local-1' }),
      headers: { 'content-type': 'application/json' },
    }).finally(() => first.stop());
    const stopped = await first.stop();
    assert.equal(saved.status, 200);
    assert.equal(stopped.code, 0, stopped.output);
    assert.match(stopped.output, /PostgreSQL stopped/);
    assert.equal(existsSync(path.join(dataDir, 'postgres', 'postmaster.pid')), false, 'PostgreSQL shut down cleanly');

    const second = await startLocal(env);
    const read = await fetch(`${second.url}/entities/local-1`);
    const body = (await read.json().finally(() => second.stop())) as { request_id: string };
    assert.equal((await second.stop()).code, 0);
    assert.deepEqual([read.status, body.request_id], [200, 'local-1'], 'the stored result survives the restart');
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});
