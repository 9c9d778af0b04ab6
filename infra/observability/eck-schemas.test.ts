import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hasCrdSchema, validateCustomResource } from '../testing/crd-schemas';
import { ECK_KINDS } from './eck';

const metadata = { name: 'nlp-pipeline', namespace: 'observability' };
const es = (spec: Record<string, unknown>) => ({ apiVersion: ECK_KINDS.Elasticsearch, kind: 'Elasticsearch', metadata, spec });
const claim = (name: string) => ({ metadata: { name }, spec: { resources: { requests: { storage: '1Gi' } } } });

describe('ECK CRD schemas', () => {
  it('are registered for every ECK kind the program creates', () => {
    for (const [kind, apiVersion] of Object.entries(ECK_KINDS)) assert.ok(hasCrdSchema(apiVersion, kind), kind);
  });

  it('accept a minimal valid object of each kind', () => {
    validateCustomResource(es({ version: '9.4.3', nodeSets: [{ name: 'default', count: 1, volumeClaimTemplates: [claim('elasticsearch-data')] }] }));
    validateCustomResource({ apiVersion: ECK_KINDS.Kibana, kind: 'Kibana', metadata, spec: { version: '9.4.3', count: 1, elasticsearchRef: { name: 'nlp-pipeline' } } });
    validateCustomResource({
      apiVersion: ECK_KINDS.Logstash, kind: 'Logstash', metadata,
      spec: { version: '9.4.3', count: 1, elasticsearchRefs: [{ name: 'nlp-pipeline', clusterName: 'main' }], pipelines: [{ 'pipeline.id': 'main', 'config.string': 'input {}' }] },
    });
    validateCustomResource({ apiVersion: ECK_KINDS.Beat, kind: 'Beat', metadata, spec: { type: 'filebeat', version: '9.4.3', config: {}, daemonSet: { podTemplate: { spec: {} } } } });
  });

  it('reject misplaced or misspelt fields, unpinned versions, a wrong data claim and missing refs', () => {
    assert.throws(() => validateCustomResource(es({ version: '9.4.3', nodeSet: [] })), /must NOT have additional properties/);
    assert.throws(() => validateCustomResource(es({ version: 'latest', nodeSets: [{ name: 'a', count: 1 }] })), /version must match pattern/);
    assert.throws(() => validateCustomResource(es({ version: '9.4.3', nodeSets: [{ name: 'a', count: 1, resources: {} }] })), /must NOT have additional properties/);
    assert.throws(() => validateCustomResource(es({ version: '9.4.3', nodeSets: [{ name: 'a', count: 1, volumeClaimTemplates: [claim('data')] }] })), /must contain at least 1 valid item/);
    assert.throws(() => validateCustomResource({ ...es({ version: '9.4.3', nodeSets: [{ name: 'a', count: 1 }] }), apiVersion: 'elasticsearch.k8s.elastic.co/v1beta1' }), /no CRD schema/);
    assert.throws(() => validateCustomResource({ apiVersion: ECK_KINDS.Kibana, kind: 'Kibana', metadata, spec: { version: '9.4.3', count: 1 } }), /required property 'elasticsearchRef'/);
    assert.throws(() => validateCustomResource({
      apiVersion: ECK_KINDS.Logstash, kind: 'Logstash', metadata, spec: { version: '9.4.3', elasticsearchRefs: [{ name: 'es', clusterName: 'my-es' }] },
    }), /clusterName must match pattern/);
    assert.throws(() => validateCustomResource({ apiVersion: ECK_KINDS.Beat, kind: 'Beat', metadata, spec: { type: 'filebeat', version: '9.4.3', daemonSet: {} } }), /required property 'podTemplate'/);
  });
});
