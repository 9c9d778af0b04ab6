import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { footprintRows, footprintTable, stackObservabilityConfig } from './footprint';
import { cpuMillicores, memoryMebibytes } from './resources';

const root = path.resolve(__dirname, '..', '..');
const doc = readFileSync(path.join(root, 'docs', 'observability.md'), 'utf8');

describe('resource footprint', () => {
  for (const stack of ['dev', 'prod']) {
    it(`docs/observability.md shows the ${stack} table computed from Pulumi.${stack}.yaml`, () => {
      const block = new RegExp(`<!-- footprint:${stack} -->\\n([\\s\\S]*?)\\n<!-- /footprint:${stack} -->`).exec(doc);
      assert.ok(block, `no footprint:${stack} block`);
      assert.equal(block[1], footprintTable(stackObservabilityConfig(root, stack)), 'regenerate with `npx tsx infra/observability/footprint.ts`');
    });
  }

  it('dev stays small: one pod each, at most 4Gi of memory limits and 2 CPU of requests without Filebeat', () => {
    const rows = footprintRows(stackObservabilityConfig(root, 'dev'));
    assert.ok(rows.every((row) => row.pods === 1 || row.pods === 'per node'));
    const pods = rows.filter((row) => row.pods === 1);
    assert.ok(pods.reduce((sum, row) => sum + memoryMebibytes(row.resources.limits.memory), 0) <= 4096);
    assert.ok(pods.reduce((sum, row) => sum + cpuMillicores(row.resources.requests.cpu), 0) <= 2000);
  });
});
