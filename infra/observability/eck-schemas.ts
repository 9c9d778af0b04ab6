/**
 * JSON schemas for the ECK custom resources this project creates, transcribed from the ECK 3.x
 * CRDs' openAPIV3Schema for the fields we use (`additionalProperties: false`, so a misspelt or
 * misplaced field fails instead of being pruned by the API server): elasticsearch.k8s.elastic.co/v1
 * Elasticsearch, kibana.k8s.elastic.co/v1 Kibana, logstash.k8s.elastic.co/v1alpha1 Logstash,
 * beat.k8s.elastic.co/v1beta1 Beat. Registered in infra/testing/crd-schemas.ts. Pod templates are
 * validated against the Kubernetes schema separately (observability.test.ts).
 */
import { ECK_KINDS } from './eck';

const VERSION = { type: 'string', pattern: '^\\d+\\.\\d+\\.\\d+$' };
const NAME = { type: 'string', pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$' };
const OBJECT = { type: 'object' };
const POD_TEMPLATE = { type: 'object', additionalProperties: false, properties: { metadata: OBJECT, spec: OBJECT } };
const CLAIM_TEMPLATES = {
  type: 'array',
  items: {
    type: 'object',
    required: ['metadata', 'spec'],
    properties: { metadata: { type: 'object', required: ['name'], properties: { name: NAME } }, spec: OBJECT },
  },
};
const REF = { type: 'object', additionalProperties: false, required: ['name'], properties: { name: NAME, namespace: NAME } };
const METADATA = { type: 'object', required: ['name', 'namespace'], properties: { name: NAME, namespace: NAME } };

function resource(apiVersion: string, kind: string, spec: object): object {
  return {
    type: 'object',
    required: ['apiVersion', 'kind', 'metadata', 'spec'],
    properties: { apiVersion: { const: apiVersion }, kind: { const: kind }, metadata: METADATA, spec },
  };
}

const ELASTICSEARCH = resource(ECK_KINDS.Elasticsearch, 'Elasticsearch', {
  type: 'object',
  additionalProperties: false,
  required: ['version', 'nodeSets'],
  properties: {
    version: VERSION,
    nodeSets: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'count'],
        properties: {
          name: NAME,
          count: { type: 'integer', minimum: 0 },
          config: OBJECT,
          podTemplate: POD_TEMPLATE,
          // ECK mounts the claim named elasticsearch-data as the data directory.
          volumeClaimTemplates: { ...CLAIM_TEMPLATES, contains: { properties: { metadata: { properties: { name: { const: 'elasticsearch-data' } } } } } },
        },
      },
    },
  },
});

const KIBANA = resource(ECK_KINDS.Kibana, 'Kibana', {
  type: 'object',
  additionalProperties: false,
  required: ['version', 'elasticsearchRef'],
  properties: { version: VERSION, count: { type: 'integer', minimum: 0 }, elasticsearchRef: REF, config: OBJECT, podTemplate: POD_TEMPLATE },
});

const LOGSTASH = resource(ECK_KINDS.Logstash, 'Logstash', {
  type: 'object',
  additionalProperties: false,
  required: ['version'],
  properties: {
    version: VERSION,
    count: { type: 'integer', minimum: 0 },
    elasticsearchRefs: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'clusterName'],
        // clusterName becomes the <CLUSTERNAME>_ES_* environment variable prefix.
        properties: { name: NAME, namespace: NAME, clusterName: { type: 'string', pattern: '^[A-Za-z0-9_]+$' } },
      },
    },
    config: OBJECT,
    // pipelines.yml entries (free-form settings; these two are what ECK needs).
    pipelines: {
      type: 'array',
      items: { type: 'object', required: ['pipeline.id', 'config.string'], properties: { 'pipeline.id': { type: 'string' }, 'config.string': { type: 'string' } } },
    },
    services: {
      type: 'array',
      items: { type: 'object', additionalProperties: false, required: ['name'], properties: { name: NAME, service: { type: 'object', properties: { spec: OBJECT } }, tls: OBJECT } },
    },
    podTemplate: POD_TEMPLATE,
    volumeClaimTemplates: CLAIM_TEMPLATES,
  },
});

const BEAT = resource(ECK_KINDS.Beat, 'Beat', {
  type: 'object',
  additionalProperties: false,
  required: ['type', 'version'],
  properties: {
    type: { enum: ['filebeat', 'metricbeat', 'heartbeat', 'auditbeat', 'journalbeat', 'packetbeat'] },
    version: VERSION,
    config: OBJECT,
    daemonSet: { type: 'object', additionalProperties: false, required: ['podTemplate'], properties: { podTemplate: POD_TEMPLATE, updateStrategy: OBJECT } },
  },
});

/** `<apiVersion>/<kind>` -> schema. */
export const ECK_SCHEMAS: Record<string, object> = {
  [`${ECK_KINDS.Elasticsearch}/Elasticsearch`]: ELASTICSEARCH,
  [`${ECK_KINDS.Kibana}/Kibana`]: KIBANA,
  [`${ECK_KINDS.Logstash}/Logstash`]: LOGSTASH,
  [`${ECK_KINDS.Beat}/Beat`]: BEAT,
};
