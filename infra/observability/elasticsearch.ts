import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import type { ComputeResources } from '../config';
import { eckResource } from './eck';
import { ELASTIC_STACK_VERSION } from './versions';

export interface ElasticsearchArgs {
  namespace: string;
  /** 1 = single node (dev), 3+ = one master/data node set (prod). */
  nodes: number;
  storageSize: string;
  storageClass?: string;
  resources: ComputeResources;
}

/** Uid of the `elasticsearch` user in Elastic's images. */
export const ELASTIC_UID = 1000;

/**
 * One Elasticsearch cluster (ECK). Names derived by ECK from `clusterName`:
 * Service `<name>-es-http`, Secret `<name>-es-elastic-user` (key `elastic`),
 * CA Secret `<name>-es-http-certs-public` (key `ca.crt`).
 */
export class Elasticsearch extends pulumi.ComponentResource {
  readonly clusterName: string;
  readonly resource: k8s.apiextensions.CustomResource;

  constructor(name: string, args: ElasticsearchArgs, opts?: pulumi.ComponentResourceOptions) {
    super('nlp-pipeline:observability:Elasticsearch', name, {}, opts);
    this.clusterName = name;

    this.resource = eckResource('Elasticsearch', name, args.namespace, {
      version: ELASTIC_STACK_VERSION,
      nodeSets: [{
        name: 'default',
        count: args.nodes,
        config: {
          // Without mmap Elasticsearch needs no vm.max_map_count sysctl, so no privileged init
          // container: the pod runs fully non-root. Costs some search speed; fine for logs.
          'node.store.allow_mmap': false,
        },
        podTemplate: {
          spec: {
            securityContext: { runAsNonRoot: true, runAsUser: ELASTIC_UID, fsGroup: ELASTIC_UID },
            containers: [{
              name: 'elasticsearch',
              securityContext: { allowPrivilegeEscalation: false },
              // The JVM heap is sized automatically to half the memory limit.
              resources: args.resources,
            }],
          },
        },
        volumeClaimTemplates: [{
          metadata: { name: 'elasticsearch-data' },
          spec: {
            accessModes: ['ReadWriteOnce'],
            resources: { requests: { storage: args.storageSize } },
            ...(args.storageClass ? { storageClassName: args.storageClass } : {}),
          },
        }],
      }],
    }, { parent: this });

    this.registerOutputs({ clusterName: this.clusterName });
  }
}
