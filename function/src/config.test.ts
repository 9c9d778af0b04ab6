import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from './config';

test('defaults match the contract', () => {
  assert.deepEqual(loadConfig({}), {
    port: 8080,
    host: '0.0.0.0',
    logLevel: 'info',
    logText: false,
    maxBatchItems: 1000,
    maxTextChars: 10_000,
    maxBodyBytes: 1_048_576,
    shutdownTimeoutMs: 10_000,
    nerModelPath: undefined,
    workers: 1,
  });
});

test('values are read, trimmed and typed; blank means default', () => {
  const config = loadConfig({ PORT: ' 3000 ', LOG_LEVEL: 'DEBUG', LOG_TEXT: 'yes', MAX_BATCH_ITEMS: '', NER_MODEL_PATH: '/m.json' });
  assert.equal(config.port, 3000);
  assert.equal(config.logLevel, 'debug');
  assert.equal(config.logText, true);
  assert.equal(config.maxBatchItems, 1000);
  assert.equal(config.nerModelPath, '/m.json');
});

test('a malformed value names the variable', () => {
  const cases: [Record<string, string>, RegExp][] = [
    [{ PORT: '80a' }, /^PORT: expected a whole number, got "80a"$/],
    [{ PORT: '70000' }, /^PORT: expected a number from 0 to 65535, got 70000$/],
    [{ MAX_TEXT_CHARS: '0' }, /^MAX_TEXT_CHARS: /],
    [{ MAX_BODY_BYTES: '-5' }, /^MAX_BODY_BYTES: /],
    [{ SHUTDOWN_TIMEOUT_MS: '1.5' }, /^SHUTDOWN_TIMEOUT_MS: /],
    [{ LOG_TEXT: 'maybe' }, /^LOG_TEXT: expected true or false, got "maybe"$/],
    [{ LOG_LEVEL: 'loud' }, /^LOG_LEVEL: expected one of fatal, error, warn, info, debug, trace, silent, got "loud"$/],
  ];
  for (const [env, message] of cases) {
    assert.throws(() => loadConfig(env), (error: unknown) => error instanceof ConfigError && message.test(error.message));
  }
});
