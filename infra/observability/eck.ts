/**
 * Typed subsets of the ECK custom resources this project creates (the fields we set, named as
 * in the ECK 3.x API reference: elasticsearch.k8s.elastic.co/v1, kibana.k8s.elastic.co/v1,
 * logstash.k8s.elastic.co/v1alpha1, beat.k8s.elastic.co/v1beta1). Building every CR through
 * these types makes a misspelt or misplaced field a compile error; `validateEckResource`
 * re-checks the shape at test time on what Pulumi actually receives.
 */
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';

type PodTemplate = k8s.types.input.core.v1.PodTemplateSpec;
type PersistentVolumeClaim = k8s.types.input.core.v1.PersistentVolumeClaim;

export interface ObjectRef {
  name: string;
  namespace?: string;
}

export interface ElasticsearchSpec {
  version: string;
  nodeSets: Array<{
    name: string;
    count: number;
    config?: Record<string, unknown>;
    podTemplate?: PodTemplate;
    volumeClaimTemplates?: PersistentVolumeClaim[];
  }>;
}

export interface KibanaSpec {
  version: string;
  count: number;
  elasticsearchRef: ObjectRef;
  config?: Record<string, unknown>;
  podTemplate?: PodTemplate;
}

export interface LogstashSpec {
  version: string;
  count: number;
  elasticsearchRefs: Array<ObjectRef & { clusterName: string }>;
  config?: Record<string, unknown>;
  pipelines: Array<{ 'pipeline.id': string; 'config.string': string }>;
  services?: Array<{ name: string; service: { spec: k8s.types.input.core.v1.ServiceSpec } }>;
  podTemplate?: PodTemplate;
  volumeClaimTemplates?: PersistentVolumeClaim[];
}

export interface BeatSpec {
  type: 'filebeat';
  version: string;
  config: Record<string, unknown>;
  daemonSet: { podTemplate: PodTemplate };
}

/** apiVersion and kind per spec type: one place that ties each spec to its CRD. */
export const ECK_KINDS = {
  Elasticsearch: 'elasticsearch.k8s.elastic.co/v1',
  Kibana: 'kibana.k8s.elastic.co/v1',
  Logstash: 'logstash.k8s.elastic.co/v1alpha1',
  Beat: 'beat.k8s.elastic.co/v1beta1',
} as const;

interface SpecOf {
  Elasticsearch: ElasticsearchSpec;
  Kibana: KibanaSpec;
  Logstash: LogstashSpec;
  Beat: BeatSpec;
}

/** Creates an ECK custom resource with a fixed name (ECK derives Service and Secret names from it). */
export function eckResource<K extends keyof SpecOf>(
  kind: K,
  name: string,
  namespace: pulumi.Input<string>,
  spec: SpecOf[K],
  opts: pulumi.CustomResourceOptions,
): k8s.apiextensions.CustomResource {
  return new k8s.apiextensions.CustomResource(name, {
    apiVersion: ECK_KINDS[kind],
    kind,
    metadata: { name, namespace },
    spec,
  }, opts);
}

const ALLOWED_SPEC_KEYS: Record<keyof SpecOf, string[]> = {
  Elasticsearch: ['version', 'nodeSets'],
  Kibana: ['version', 'count', 'elasticsearchRef', 'config', 'podTemplate'],
  Logstash: ['version', 'count', 'elasticsearchRefs', 'config', 'pipelines', 'services', 'podTemplate', 'volumeClaimTemplates'],
  Beat: ['type', 'version', 'config', 'daemonSet'],
};
const NODE_SET_KEYS = ['name', 'count', 'config', 'podTemplate', 'volumeClaimTemplates'];

/**
 * Structural check of a rendered ECK object (as Pulumi's mocks see it): known apiVersion for
 * the kind, only spec keys from the CRD subset above, a pinned version, and the required refs.
 * Returns the problems found (empty = valid).
 */
export function validateEckResource(object: { apiVersion?: unknown; kind?: unknown; spec?: unknown }): string[] {
  const problems: string[] = [];
  const kind = object.kind as keyof SpecOf;
  if (!(kind in ECK_KINDS)) return [`unknown ECK kind ${String(object.kind)}`];
  if (object.apiVersion !== ECK_KINDS[kind]) problems.push(`${kind}: apiVersion must be ${ECK_KINDS[kind]}`);
  const spec = object.spec as Record<string, unknown> | undefined;
  if (!spec) return [...problems, `${kind}: missing spec`];
  for (const key of Object.keys(spec)) {
    if (!ALLOWED_SPEC_KEYS[kind].includes(key)) problems.push(`${kind}: unexpected spec.${key}`);
  }
  if (typeof spec.version !== 'string' || !/^\d+\.\d+\.\d+$/.test(spec.version)) {
    problems.push(`${kind}: spec.version must be a pinned x.y.z version`);
  }
  if (kind === 'Elasticsearch') {
    const nodeSets = spec.nodeSets as Array<Record<string, unknown>> | undefined;
    if (!Array.isArray(nodeSets) || nodeSets.length === 0) problems.push('Elasticsearch: spec.nodeSets must be non-empty');
    for (const nodeSet of nodeSets ?? []) {
      for (const key of Object.keys(nodeSet)) {
        if (!NODE_SET_KEYS.includes(key)) problems.push(`Elasticsearch: unexpected nodeSets[].${key}`);
      }
      if (!Number.isInteger(nodeSet.count) || (nodeSet.count as number) < 1) problems.push('Elasticsearch: nodeSets[].count must be >= 1');
      const claims = nodeSet.volumeClaimTemplates as Array<{ metadata?: { name?: string } }> | undefined;
      if (claims && !claims.some((claim) => claim.metadata?.name === 'elasticsearch-data')) {
        problems.push('Elasticsearch: the data claim must be named elasticsearch-data');
      }
    }
  }
  if (kind === 'Kibana' && typeof (spec.elasticsearchRef as ObjectRef | undefined)?.name !== 'string') {
    problems.push('Kibana: spec.elasticsearchRef.name is required');
  }
  if (kind === 'Logstash') {
    const refs = spec.elasticsearchRefs as Array<Record<string, unknown>> | undefined;
    if (!refs?.every((ref) => typeof ref.name === 'string' && typeof ref.clusterName === 'string')) {
      problems.push('Logstash: every elasticsearchRefs[] needs name and clusterName');
    }
    const pipelines = spec.pipelines as Array<Record<string, unknown>> | undefined;
    if (!pipelines?.every((p) => typeof p['pipeline.id'] === 'string' && typeof p['config.string'] === 'string')) {
      problems.push('Logstash: every pipelines[] needs pipeline.id and config.string');
    }
  }
  if (kind === 'Beat') {
    if (spec.type !== 'filebeat') problems.push('Beat: spec.type must be filebeat');
    if (!(spec.daemonSet as { podTemplate?: unknown } | undefined)?.podTemplate) problems.push('Beat: spec.daemonSet.podTemplate is required');
  }
  return problems;
}
