import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FUNCTION_TAG, PLATFORM_TAG, SERVICE_LABEL, dedottedLabelField, filebeatConfig } from './filebeat';

describe('filebeatConfig', () => {
  const config = filebeatConfig('openfaas', 'nlp-pipeline-ls-beats.observability.svc:5044') as any;
  const provider = config['filebeat.autodiscover'].providers[0];

  it('selects the function by its de-dotted pod label and tags its lines', () => {
    assert.equal(dedottedLabelField('com.my-app.service'), 'kubernetes.labels.com_my-app_service');
    const [functionTemplate, platformTemplate] = provider.templates;
    assert.deepEqual(functionTemplate.condition, { equals: { 'kubernetes.labels.com_my-app_service': SERVICE_LABEL.value } });
    assert.deepEqual(functionTemplate.config[0].tags, [FUNCTION_TAG]);
    assert.deepEqual(platformTemplate.condition, { equals: { 'kubernetes.namespace': 'openfaas' } });
    assert.deepEqual(platformTemplate.config[0].tags, [PLATFORM_TAG]);
  });

  it('reads container logs with filestream (the log input is gone in 9.x) and unique input ids', () => {
    for (const template of provider.templates) {
      const input = template.config[0];
      assert.equal(input.type, 'filestream');
      assert.match(input.id, /\$\{data\.kubernetes\.container\.id\}$/);
      assert.deepEqual(input.paths, ['/var/log/containers/*-${data.kubernetes.container.id}.log']);
      assert.ok(input.parsers.some((parser: Record<string, unknown>) => 'container' in parser));
    }
    assert.notEqual(provider.templates[0].config[0].id, provider.templates[1].config[0].id);
    assert.equal(provider.node, '${NODE_NAME}');
  });

  it('ships to Logstash only', () => {
    assert.deepEqual(config['output.logstash'], { hosts: ['nlp-pipeline-ls-beats.observability.svc:5044'] });
    assert.ok(!Object.keys(config).some((key) => key.startsWith('output.') && key !== 'output.logstash'));
  });
});
