import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ObservabilityConfigError, parseObservabilityConfig } from './config';

const resources = (memory = '1Gi') => ({ requests: { cpu: '100m', memory }, limits: { cpu: '1', memory } });
const valid = () => ({
  namespace: 'observability',
  elasticsearch: { nodes: 1, storageSize: '10Gi', resources: resources('2Gi') },
  kibana: { resources: resources() },
  logstash: { replicas: 1, storageSize: '1Gi', resources: resources() },
  filebeat: { resources: resources('200Mi') },
  operator: { resources: resources('256Mi') },
  retentionDays: 7,
  alerts: { errorThreshold: 10, gateway5xxRatio: 0.05 } as Record<string, unknown>,
});

function rejects(mutate: (config: ReturnType<typeof valid>) => void, message: RegExp) {
  const config = valid();
  mutate(config);
  assert.throws(() => parseObservabilityConfig(config), (error: Error) => {
    assert.ok(error instanceof ObservabilityConfigError);
    assert.match(error.message, message);
    return true;
  });
}

describe('parseObservabilityConfig', () => {
  it('accepts a complete config and keeps optional keys absent', () => {
    const parsed = parseObservabilityConfig(valid());
    assert.equal(parsed.elasticsearch.nodes, 1);
    assert.equal(parsed.elasticsearch.storageClass, undefined);
    assert.equal(parsed.alerts.pagerDutyRoutingKey, undefined);
    assert.equal(parsed.alerts.kibanaPagerDuty, true, 'a routing key makes the Kibana connector unless told otherwise');
  });

  it('names the full key and the fix for each kind of mistake', () => {
    rejects((c) => { delete (c as Partial<typeof c>).kibana; }, /nlp-pipeline:observability\.kibana: must be an object/);
    rejects((c) => { (c.elasticsearch as Record<string, unknown>).node = 3; }, /elasticsearch: unknown key node; expected nodes, storageSize/);
    rejects((c) => { c.elasticsearch.nodes = 2; }, /elasticsearch\.nodes: use 1 \(dev\) or 3\+/);
    rejects((c) => { c.elasticsearch.nodes = 1.5; }, /elasticsearch\.nodes: must be a whole number/);
    rejects((c) => { c.elasticsearch.resources = resources('512Mi'); }, /elasticsearch\.resources\.limits\.memory: Elasticsearch needs at least 1Gi/);
    rejects((c) => { c.logstash.resources.requests.memory = '2Gi'; }, /logstash\.resources: requests\.memory 2Gi exceeds limits\.memory 1Gi/);
    rejects((c) => { c.kibana.resources.limits.cpu = 'lots'; }, /kibana\.resources\.limits\.cpu: must be a CPU quantity/);
    rejects((c) => { c.namespace = 'Observability'; }, /namespace: must be a Kubernetes namespace name/);
    rejects((c) => { c.retentionDays = 0; }, /retentionDays: must be a whole number from 1/);
    rejects((c) => { c.alerts.gateway5xxRatio = 5; }, /alerts\.gateway5xxRatio: must be a fraction/);
    rejects((c) => { c.alerts.kibanaPagerDuty = 'no'; }, /alerts\.kibanaPagerDuty: must be true or false/);
    rejects((c) => { c.alerts.pagerDutyRoutingKey = 'not a key"; rm -rf'; }, /alerts\.pagerDutyRoutingKey: must be a PagerDuty .*pulumi config set --secret [^"]*$/);
  });

  it('accepts a routing key given plain or wrapped as a Pulumi secret', () => {
    const key = 'R0UT1NGKEY0123456789abcdefABCDEF';
    for (const given of [key, { '4dabf18193072939515e22adb298388d': '1b47061264138c4ac30d75fd1eb44270', value: key }]) {
      const config = valid();
      config.alerts.pagerDutyRoutingKey = given;
      assert.equal(parseObservabilityConfig(config).alerts.pagerDutyRoutingKey, key);
    }
  });
});
