/**
 * No Docker engine runs here, so the Dockerfile is checked as text: pinned bases, a
 * non-root runtime, production dependencies only, and an fprocess that is exactly the
 * command the contract tests start.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { FUNCTION_DIR, SERVER_COMMAND, startServer } from './server';

interface Instruction {
  keyword: string;
  args: string;
}

/** Dockerfile instructions with line continuations joined and comments dropped. */
function parseDockerfile(text: string): Instruction[] {
  const logical = text
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('#'))
    .join('\n')
    .replace(/\\\n/g, ' ');
  return logical
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .map((line) => {
      const [keyword, ...rest] = line.split(/\s+/);
      return { keyword: keyword!.toUpperCase(), args: rest.join(' ') };
    });
}

/** `KEY=value KEY2="two words"` -> { KEY: 'value', KEY2: 'two words' }. */
function parseEnv(args: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const match of args.matchAll(/(\w+)=("([^"]*)"|\S+)/g)) env[match[1]!] = match[3] ?? match[2]!;
  return env;
}

const instructions = parseDockerfile(readFileSync(path.join(FUNCTION_DIR, 'Dockerfile'), 'utf8'));
const stages: Instruction[][] = [];
for (const instruction of instructions) {
  if (instruction.keyword === 'FROM') stages.push([]);
  stages.at(-1)?.push(instruction);
}
const runtime = stages.at(-1)!;
const runtimeEnv = Object.assign({}, ...runtime.filter((i) => i.keyword === 'ENV').map((i) => parseEnv(i.args))) as Record<string, string>;

test('base images are pinned to exact versions', () => {
  const images = instructions.filter((i) => i.keyword === 'FROM').map((i) => i.args.split(/\s+/)[0]!);
  assert.deepEqual(images, ['ghcr.io/openfaas/of-watchdog:0.11.6', 'node:22.23.4-alpine', 'node:22.23.4-alpine']);
  for (const image of images) assert.match(image, /:\d+\.\d+\.\d+(-[a-z0-9.]+)?$/, `${image} is not pinned`);
});

test("the watchdog's fprocess is the command the contract tests run, from the compiled entry", () => {
  assert.equal(runtimeEnv.fprocess, SERVER_COMMAND.join(' '));
  assert.ok(existsSync(path.join(FUNCTION_DIR, SERVER_COMMAND[1])), 'npm run build produces dist/main.js');
  assert.equal(runtime.find((i) => i.keyword === 'WORKDIR')?.args, '/home/app');
  // The compiled build folder as a whole: dist/ plus whatever data sits beside it (models/, migrations/).
  assert.ok(runtime.some((i) => i.keyword === 'COPY' && /--from=build .*\/build\/function \.\/$/.test(i.args)));
  assert.deepEqual(runtime.at(-1), { keyword: 'CMD', args: '["fwatchdog"]' });
});

test('of-watchdog runs in HTTP mode in front of the server, with timeouts and max_inflight', () => {
  assert.equal(runtimeEnv.mode, 'http');
  assert.equal(runtimeEnv.upstream_url, `http://127.0.0.1:${runtimeEnv.PORT}`);
  assert.equal(runtimeEnv.HOST, '127.0.0.1');
  for (const name of ['exec_timeout', 'read_timeout', 'write_timeout']) assert.match(runtimeEnv[name] ?? '', /^\d+s$/, name);
  assert.match(runtimeEnv.max_inflight ?? '', /^\d+$/);
  assert.equal(runtimeEnv.prefix_logs, 'false', 'ECS JSON lines must reach Filebeat unprefixed');
  // The server's drain must finish before the watchdog gives up on in-flight requests.
  assert.ok(Number(runtimeEnv.SHUTDOWN_TIMEOUT_MS) < Number.parseInt(runtimeEnv.write_timeout!, 10) * 1000);
});

test("the watchdog's readiness asks the server's readiness route", async () => {
  assert.equal(runtimeEnv.ready_path, '/readyz');
  const server = await startServer();
  try {
    const response = await fetch(`${server.url}${runtimeEnv.ready_path}`);
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { status: 'ready' });
  } finally {
    await server.stop();
  }
});

test('the runtime stage is non-root and carries production dependencies only', () => {
  assert.equal(runtime.find((i) => i.keyword === 'USER')?.args, '1000:1000');
  const build = stages[1]!;
  assert.ok(build.some((i) => i.keyword === 'RUN' && /npm prune --omit=dev/.test(i.args)));
  assert.ok(!runtime.some((i) => i.keyword === 'RUN' && /npm (ci|install)/.test(i.args)), 'no install in the runtime stage');
  const ignored = readFileSync(path.join(FUNCTION_DIR, '.dockerignore'), 'utf8').split('\n').filter((line) => line !== '' && !line.startsWith('#'));
  assert.deepEqual(ignored.sort(), ['**/*.test.ts', '.data', '.dockerignore', 'Dockerfile', 'dist', 'node_modules', 'test'],
    'only build-time and test files stay out: runtime data folders (models/, migrations/) must reach the image');
});
