import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { createLogger, ecsTimestamp } from './log';

/** What ecs-pino-format's own timestamp option writes. */
const ecsOwn = (time: number) => `,"@timestamp":"${new Date(time).toISOString()}"`;

test('ecsTimestamp writes what ecs-pino-format writes, at any time and in any order', () => {
  const anyTime = fc.integer({ min: -8.64e15, max: 8.64e15 });
  fc.assert(
    fc.property(fc.array(fc.oneof(anyTime, fc.integer({ min: 1_764_000_000_000, max: 1_764_000_003_000 })), { minLength: 1 }), (times) => {
      let index = 0;
      const timestamp = ecsTimestamp(() => times[index]!);
      for (; index < times.length; index += 1) assert.equal(timestamp(), ecsOwn(times[index]!));
    }),
    { numRuns: 1000 },
  );
});

test('a log line carries the ECS fields and the current @timestamp', () => {
  const lines: string[] = [];
  const before = Date.now();
  createLogger({ logLevel: 'info' }, { write: (line: string) => lines.push(line) }).info({ request_id: 'r-1' }, 'request completed');
  const line = JSON.parse(lines[0]!);
  assert.equal(line['log.level'], 'info');
  assert.equal(line['service.name'], 'ner-processor');
  assert.equal(line.message, 'request completed');
  assert.equal(line.request_id, 'r-1');
  assert.match(line['@timestamp'], /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  const time = Date.parse(line['@timestamp']);
  assert.ok(time >= before && time <= Date.now());
});
