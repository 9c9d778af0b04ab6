import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import type { ComputeResources } from '../config';
import { eckResource } from './eck';
import { ELASTIC_STACK_VERSION } from './versions';

export interface FilebeatArgs {
  namespace: string;
  /** host:port of Logstash's beats input. */
  logstashHost: string;
  resources: ComputeResources;
  /** Namespace whose containers are shipped besides the function's (OpenFaaS itself). */
  platformNamespace: string;
}

/** Pod label that marks the function's pods (contracts: infra sets it on the function). */
export const SERVICE_LABEL = { key: 'com.my-app.service', value: 'nlp-pipeline' } as const;
/** Tag Filebeat puts on the function's lines; pipeline.conf parses only these as JSON. */
export const FUNCTION_TAG = 'nlp-pipeline';
export const PLATFORM_TAG = 'openfaas';

/** Autodiscover de-dots label keys by default: `com.my-app.service` is matched as `com_my-app_service`. */
export function dedottedLabelField(key: string): string {
  return `kubernetes.labels.${key.replace(/\./g, '_')}`;
}

function containerInput(idPrefix: string, tag: string): Record<string, unknown> {
  return {
    type: 'filestream',
    // filestream needs a unique, stable id per input, or it re-reads files.
    id: `${idPrefix}-\${data.kubernetes.container.id}`,
    paths: ['/var/log/containers/*-${data.kubernetes.container.id}.log'],
    parsers: [{ container: { stream: 'all', format: 'auto' } }],
    'prospector.scanner.symlinks': true,
    tags: [tag],
  };
}

/** Filebeat's config: kubernetes autodiscover on this node's containers, shipped to Logstash. */
export function filebeatConfig(platformNamespace: string, logstashHost: string): Record<string, unknown> {
  return {
    'filebeat.autodiscover': {
      providers: [{
        type: 'kubernetes',
        node: '${NODE_NAME}',
        'hints.enabled': false,
        templates: [
          {
            condition: { equals: { [dedottedLabelField(SERVICE_LABEL.key)]: SERVICE_LABEL.value } },
            config: [containerInput('nlp-pipeline', FUNCTION_TAG)],
          },
          {
            condition: { equals: { 'kubernetes.namespace': platformNamespace } },
            config: [containerInput('openfaas', PLATFORM_TAG)],
          },
        ],
      }],
    },
    'output.logstash': { hosts: [logstashHost] },
  };
}

/**
 * Filebeat as a DaemonSet (ECK Beat) with the RBAC autodiscover needs to read pod metadata.
 * Runs as root: see docs/observability.md "Security exceptions" (it reads host log files).
 */
export class Filebeat extends pulumi.ComponentResource {
  constructor(name: string, args: FilebeatArgs, opts?: pulumi.ComponentResourceOptions) {
    super('nlp-pipeline:observability:Filebeat', name, {}, opts);

    const serviceAccount = new k8s.core.v1.ServiceAccount(name, {
      metadata: { name, namespace: args.namespace },
    }, { parent: this });

    const role = new k8s.rbac.v1.ClusterRole(name, {
      rules: [
        { apiGroups: [''], resources: ['namespaces', 'pods', 'nodes'], verbs: ['get', 'watch', 'list'] },
        { apiGroups: ['apps'], resources: ['replicasets'], verbs: ['get', 'watch', 'list'] },
        { apiGroups: ['batch'], resources: ['jobs'], verbs: ['get', 'watch', 'list'] },
      ],
    }, { parent: this });

    const binding = new k8s.rbac.v1.ClusterRoleBinding(name, {
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role.metadata.name },
      subjects: [{ kind: 'ServiceAccount', name: serviceAccount.metadata.name, namespace: args.namespace }],
    }, { parent: this });

    const hostPath = (volume: string, hostDir: string) => ({ name: volume, hostPath: { path: hostDir } });
    eckResource('Beat', name, args.namespace, {
      type: 'filebeat',
      version: ELASTIC_STACK_VERSION,
      config: filebeatConfig(args.platformNamespace, args.logstashHost),
      daemonSet: {
        podTemplate: {
          spec: {
            serviceAccountName: serviceAccount.metadata.name,
            automountServiceAccountToken: true,
            // Root is needed to read /var/log/containers on the host and keep the registry on hostPath.
            securityContext: { runAsUser: 0 },
            containers: [{
              name: 'filebeat',
              resources: args.resources,
              securityContext: { allowPrivilegeEscalation: false },
              env: [{ name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }],
              volumeMounts: [
                { name: 'varlogcontainers', mountPath: '/var/log/containers', readOnly: true },
                { name: 'varlogpods', mountPath: '/var/log/pods', readOnly: true },
              ],
            }],
            volumes: [hostPath('varlogcontainers', '/var/log/containers'), hostPath('varlogpods', '/var/log/pods')],
          },
        },
      },
    }, { parent: this, dependsOn: [binding] });

    this.registerOutputs({});
  }
}
