/**
 * Typed subsets of the ECK custom resources this project creates (the fields we set, named as
 * in the ECK 3.x API reference: elasticsearch.k8s.elastic.co/v1, kibana.k8s.elastic.co/v1,
 * logstash.k8s.elastic.co/v1alpha1, beat.k8s.elastic.co/v1beta1). Building every CR through
 * these types makes a misspelt or misplaced field a compile error; eck-schemas.ts re-checks
 * what Pulumi actually receives at test time.
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
