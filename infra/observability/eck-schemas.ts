/**
 * JSON schemas for the ECK custom resources this project creates, transcribed from the ECK 3.x
 * CRDs' openAPIV3Schema for the fields we use (`additionalProperties: false`, so a misspelt or
 * misplaced field fails instead of being pruned by the API server): elasticsearch.k8s.elastic.co/v1
 * Elasticsearch, kibana.k8s.elastic.co/v1 Kibana, logstash.k8s.elastic.co/v1alpha1 Logstash,
 * beat.k8s.elastic.co/v1beta1 Beat. Registered in infra/testing/crd-schemas.ts. Pod templates are
 * validated against the Kubernetes schema separately (observability.test.ts).
 */
import { ECK_KINDS } from './eck';

/** An object schema that rejects unknown keys. */
const strict = (properties: Record<string, object>, required: string[] = []) => ({ type: 'object', additionalProperties: false, required, properties });

const VERSION = { type: 'string', pattern: '^\\d+\\.\\d+\\.\\d+$' };
const COUNT = { type: 'integer', minimum: 0 };
const NAME = { type: 'string', pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$' };
const OBJECT = { type: 'object' };
const POD_TEMPLATE = strict({ metadata: OBJECT, spec: OBJECT });
const CLAIM_TEMPLATES = {
  type: 'array',
  items: {
    type: 'object',
    required: ['metadata', 'spec'],
    properties: { metadata: { type: 'object', required: ['name'], properties: { name: NAME } }, spec: OBJECT },
  },
};
const REF = strict({ name: NAME, namespace: NAME }, ['name']);

const NODE_SET = strict({
  name: NAME,
  count: COUNT,
  config: OBJECT,
  podTemplate: POD_TEMPLATE,
  // ECK mounts the claim named elasticsearch-data as the data directory.
  volumeClaimTemplates: { ...CLAIM_TEMPLATES, contains: { properties: { metadata: { properties: { name: { const: 'elasticsearch-data' } } } } } },
}, ['name', 'count']);

const ELASTICSEARCH = strict({
  version: VERSION,
  nodeSets: { type: 'array', minItems: 1, items: NODE_SET },
}, ['version', 'nodeSets']);

const KIBANA = strict(
  { version: VERSION, count: COUNT, elasticsearchRef: REF, config: OBJECT, podTemplate: POD_TEMPLATE },
  ['version', 'elasticsearchRef'],
);

const LOGSTASH = strict({
  version: VERSION,
  count: COUNT,
  // clusterName becomes the <CLUSTERNAME>_ES_* environment variable prefix.
  elasticsearchRefs: { type: 'array', items: strict({ name: NAME, namespace: NAME, clusterName: { type: 'string', pattern: '^[A-Za-z0-9_]+$' } }, ['name', 'clusterName']) },
  config: OBJECT,
  // pipelines.yml entries (free-form settings; these two are what ECK needs).
  pipelines: {
    type: 'array',
    items: { type: 'object', required: ['pipeline.id', 'config.string'], properties: { 'pipeline.id': { type: 'string' }, 'config.string': { type: 'string' } } },
  },
  services: { type: 'array', items: strict({ name: NAME, service: { type: 'object', properties: { spec: OBJECT } }, tls: OBJECT }, ['name']) },
  podTemplate: POD_TEMPLATE,
  volumeClaimTemplates: CLAIM_TEMPLATES,
}, ['version']);

const BEAT = strict({
  type: { enum: ['filebeat', 'metricbeat', 'heartbeat', 'auditbeat', 'journalbeat', 'packetbeat'] },
  version: VERSION,
  config: OBJECT,
  daemonSet: strict({ podTemplate: POD_TEMPLATE, updateStrategy: OBJECT }, ['podTemplate']),
}, ['type', 'version']);

/** Spec schema per ECK kind; crd-schemas.ts wraps each with apiVersion, kind and metadata. */
export const ECK_SPEC_SCHEMAS: Array<{ apiVersion: string; kind: string; spec: object }> = [
  { apiVersion: ECK_KINDS.Elasticsearch, kind: 'Elasticsearch', spec: ELASTICSEARCH },
  { apiVersion: ECK_KINDS.Kibana, kind: 'Kibana', spec: KIBANA },
  { apiVersion: ECK_KINDS.Logstash, kind: 'Logstash', spec: LOGSTASH },
  { apiVersion: ECK_KINDS.Beat, kind: 'Beat', spec: BEAT },
];
