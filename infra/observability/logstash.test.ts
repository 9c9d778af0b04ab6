/** The Logstash pipeline checked as data against the pieces it must agree with. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { FUNCTION_TAG, PLATFORM_TAG } from './filebeat';
import { BEATS_PORT, ES_CLUSTER_ALIAS, PIPELINE_FILE, logstashJavaOpts } from './logstash';
import { DATA_STREAMS } from './provisioningFiles';

const pipeline = readFileSync(PIPELINE_FILE, 'utf8');
const code = pipeline.split('\n').filter((line) => !line.trim().startsWith('#')).join('\n');

describe('logstash/pipeline.conf', () => {
  it('has balanced braces and the three sections', () => {
    let depth = 0;
    for (const char of code.replace(/"[^"]*"/g, '')) {
      if (char === '{') depth++;
      if (char === '}') depth--;
      assert.ok(depth >= 0, 'closing brace without opening');
    }
    assert.equal(depth, 0);
    for (const section of ['input', 'filter', 'output']) assert.match(code, new RegExp(`^${section} \\{`, 'm'));
  });

  it('listens where Filebeat ships and parses JSON only for the function tag', () => {
    assert.match(code, new RegExp(`beats \\{\\s*port => ${BEATS_PORT}`));
    assert.match(code, new RegExp(`if "${FUNCTION_TAG}" in \\[tags\\] \\{\\s*json \\{\\s*source => "message"`));
    assert.ok(!code.includes(`"${PLATFORM_TAG}" in`), 'OpenFaaS lines are plain text: no JSON parsing');
  });

  it('routes to exactly the data streams the template and rollover cover', () => {
    const datasets = [...code.matchAll(/"\[data_stream\]\[dataset\]" => "([^"]+)"/g)].map((m) => m[1]);
    const namespaces = [...code.matchAll(/"\[data_stream\]\[namespace\]" => "([^"]+)"/g)].map((m) => m[1]);
    assert.deepEqual(datasets.map((dataset, i) => `logs-${dataset}-${namespaces[i]}`), DATA_STREAMS);
    assert.match(code, /data_stream => true/);
  });

  it('uses the variables ECK injects for the elasticsearchRefs alias', () => {
    const prefix = ES_CLUSTER_ALIAS.toUpperCase();
    const used = new Set([...code.matchAll(/\$\{(\w+)\}/g)].map((m) => m[1]));
    assert.deepEqual([...used].sort(), ['HOSTS', 'PASSWORD', 'SSL_CERTIFICATE_AUTHORITY', 'USER'].map((s) => `${prefix}_ES_${s}`));
  });
});

describe('logstashJavaOpts', () => {
  it('gives the JVM half the memory limit', () => {
    assert.equal(logstashJavaOpts({ requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '1', memory: '768Mi' } }), '-Xms384m -Xmx384m');
  });
});
