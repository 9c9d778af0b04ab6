import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import type { ComputeResources } from '../config';
import { eckResource } from './eck';
import { memoryMebibytes } from './resources';
import { ELASTIC_STACK_VERSION } from './versions';

export interface LogstashArgs {
  namespace: string;
  elasticsearchName: string;
  replicas: number;
  storageSize: string;
  resources: ComputeResources;
}

/** The pipeline Logstash runs (a data file, so it is reviewed and tested as data). */
export const PIPELINE_FILE = path.join(__dirname, 'logstash', 'pipeline.conf');
export const BEATS_PORT = 5044;
/** Must match the `${MAIN_ES_*}` variables in pipeline.conf. */
export const ES_CLUSTER_ALIAS = 'main';

/** JVM heap: half the memory limit, as Elastic recommends; the rest is for off-heap and the OS. */
export function logstashJavaOpts(resources: ComputeResources): string {
  const heap = Math.floor(memoryMebibytes(resources.limits.memory) / 2);
  return `-Xms${heap}m -Xmx${heap}m`;
}

/**
 * Logstash (ECK) receiving Filebeat on `<name>-ls-beats:5044` and writing data streams to
 * Elasticsearch with the ECK-managed user (role eck_logstash_user_role: write to logs-*).
 */
export class Logstash extends pulumi.ComponentResource {
  /** In-cluster address Filebeat ships to (Service `<name>-ls-beats`, named by ECK). */
  readonly beatsHost: string;

  constructor(name: string, args: LogstashArgs, opts?: pulumi.ComponentResourceOptions) {
    super('nlp-pipeline:observability:Logstash', name, {}, opts);

    eckResource('Logstash', name, args.namespace, {
      version: ELASTIC_STACK_VERSION,
      count: args.replicas,
      elasticsearchRefs: [{ name: args.elasticsearchName, clusterName: ES_CLUSTER_ALIAS }],
      pipelines: [{ 'pipeline.id': 'main', 'config.string': readFileSync(PIPELINE_FILE, 'utf8') }],
      services: [{
        name: 'beats',
        service: { spec: { type: 'ClusterIP', ports: [{ name: 'beats', port: BEATS_PORT, targetPort: BEATS_PORT, protocol: 'TCP' }] } },
      }],
      podTemplate: {
        spec: {
          securityContext: { runAsNonRoot: true, runAsUser: 1000, fsGroup: 1000 },
          containers: [{
            name: 'logstash',
            securityContext: { allowPrivilegeEscalation: false },
            resources: args.resources,
            env: [{ name: 'LS_JAVA_OPTS', value: logstashJavaOpts(args.resources) }],
          }],
        },
      },
      // ECK's default claim is 1.5Gi; sized per stack (persistent queue / dead letters are off).
      volumeClaimTemplates: [{
        metadata: { name: 'logstash-data' },
        spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: args.storageSize } } },
      }],
    }, { parent: this });

    this.beatsHost = `${name}-ls-beats.${args.namespace}.svc:${BEATS_PORT}`;
    this.registerOutputs({ beatsHost: this.beatsHost });
  }
}
