import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateEckResource } from './eck';

const es = (spec: Record<string, unknown>) => ({ apiVersion: 'elasticsearch.k8s.elastic.co/v1', kind: 'Elasticsearch', spec });

describe('validateEckResource', () => {
  it('accepts a minimal valid object of each kind', () => {
    assert.deepEqual(validateEckResource(es({ version: '9.4.3', nodeSets: [{ name: 'default', count: 1 }] })), []);
    assert.deepEqual(validateEckResource({ apiVersion: 'kibana.k8s.elastic.co/v1', kind: 'Kibana', spec: { version: '9.4.3', count: 1, elasticsearchRef: { name: 'es' } } }), []);
    assert.deepEqual(validateEckResource({
      apiVersion: 'logstash.k8s.elastic.co/v1alpha1', kind: 'Logstash',
      spec: { version: '9.4.3', count: 1, elasticsearchRefs: [{ name: 'es', clusterName: 'main' }], pipelines: [{ 'pipeline.id': 'main', 'config.string': 'input {}' }] },
    }), []);
    assert.deepEqual(validateEckResource({ apiVersion: 'beat.k8s.elastic.co/v1beta1', kind: 'Beat', spec: { type: 'filebeat', version: '9.4.3', config: {}, daemonSet: { podTemplate: {} } } }), []);
  });

  it('reports wrong apiVersion, misplaced or misspelt fields, unpinned versions and missing refs', () => {
    assert.match(validateEckResource({ ...es({ version: '9.4.3', nodeSets: [{ name: 'a', count: 1 }] }), apiVersion: 'elasticsearch.k8s.elastic.co/v1beta1' }).join(), /apiVersion must be/);
    assert.match(validateEckResource(es({ version: '9.4.3', nodeSet: [] })).join(), /unexpected spec\.nodeSet/);
    assert.match(validateEckResource(es({ version: 'latest', nodeSets: [{ name: 'a', count: 1 }] })).join(), /pinned/);
    assert.match(validateEckResource(es({ version: '9.4.3', nodeSets: [{ name: 'a', count: 1, resources: {} }] })).join(), /unexpected nodeSets\[\]\.resources/);
    assert.match(validateEckResource(es({ version: '9.4.3', nodeSets: [{ name: 'a', count: 1, volumeClaimTemplates: [{ metadata: { name: 'data' } }] }] })).join(), /elasticsearch-data/);
    assert.match(validateEckResource({ apiVersion: 'kibana.k8s.elastic.co/v1', kind: 'Kibana', spec: { version: '9.4.3', count: 1 } }).join(), /elasticsearchRef/);
    assert.match(validateEckResource({ apiVersion: 'logstash.k8s.elastic.co/v1alpha1', kind: 'Logstash', spec: { version: '9.4.3', elasticsearchRefs: [{ name: 'es' }], pipelines: [] } }).join(), /clusterName/);
    assert.match(validateEckResource({ kind: 'Agent' }).join(), /unknown ECK kind/);
  });
});
