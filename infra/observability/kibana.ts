import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import type { ComputeResources } from '../config';
import { eckResource } from './eck';
import { ELASTIC_STACK_VERSION } from './versions';

export interface KibanaArgs {
  namespace: string;
  /** Name of the Elasticsearch resource in the same namespace. */
  elasticsearchName: string;
  resources: ComputeResources;
}

/**
 * One Kibana instance (ECK) wired to the cluster. ECK generates the saved-objects encryption
 * key alerting needs. Service `<name>-kb-http`, CA Secret `<name>-kb-http-certs-public`.
 */
export class Kibana extends pulumi.ComponentResource {
  readonly resource: k8s.apiextensions.CustomResource;

  constructor(name: string, args: KibanaArgs, opts?: pulumi.ComponentResourceOptions) {
    super('nlp-pipeline:observability:Kibana', name, {}, opts);

    this.resource = eckResource('Kibana', name, args.namespace, {
      version: ELASTIC_STACK_VERSION,
      count: 1,
      elasticsearchRef: { name: args.elasticsearchName },
      podTemplate: {
        spec: {
          securityContext: { runAsNonRoot: true },
          containers: [{ name: 'kibana', resources: args.resources, securityContext: { allowPrivilegeEscalation: false } }],
        },
      },
    }, { parent: this });

    this.registerOutputs({});
  }
}
