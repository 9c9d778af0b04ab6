import { createHash } from 'node:crypto';
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { DATA_STREAMS, ProvisioningSettings, provisioningFiles } from './provisioningFiles';
import { CURL_IMAGE, CURL_IMAGE_UID } from './versions';

export interface ProvisioningArgs {
  namespace: string;
  /** ECK resource names; Service and Secret names derive from them. */
  elasticsearchName: string;
  kibanaName: string;
  settings: Omit<ProvisioningSettings, 'pagerDuty'>;
  /** PagerDuty routing key (a Pulumi secret); absent = no PagerDuty connector. */
  pagerDutyRoutingKey?: pulumi.Input<string>;
}

export const PROVISIONING_RESOURCES = {
  requests: { cpu: '10m', memory: '32Mi' },
  limits: { cpu: '200m', memory: '64Mi' },
};
/** The Job's script waits up to WAIT_ATTEMPTS x WAIT_SECONDS per attempt for ES/Kibana. */
const WAIT_ATTEMPTS = 120;
const WAIT_SECONDS = 5;

/**
 * Installs the ILM policy, index template, Kibana saved objects, connectors and the alert rule
 * from inside the cluster (nothing outside can reach Kibana on a fresh `pulumi up`).
 * The Job's pod template carries a checksum of the files, so any change replaces the Job
 * and re-runs the (idempotent) script.
 */
export class Provisioning extends pulumi.ComponentResource {
  readonly job: k8s.batch.v1.Job;

  constructor(name: string, args: ProvisioningArgs, opts?: pulumi.ComponentResourceOptions) {
    super('nlp-pipeline:observability:Provisioning', name, {}, opts);
    const pagerDuty = args.pagerDutyRoutingKey !== undefined;
    const files = provisioningFiles({ ...args.settings, pagerDuty });
    const checksum = createHash('sha256').update(JSON.stringify(files)).digest('hex');

    const configMap = new k8s.core.v1.ConfigMap(name, {
      metadata: { namespace: args.namespace },
      data: files,
    }, { parent: this });

    const routingKeySecret = pagerDuty
      ? new k8s.core.v1.Secret(`${name}-pagerduty`, {
        metadata: { namespace: args.namespace },
        type: 'Opaque',
        stringData: { 'routing-key': pulumi.secret(args.pagerDutyRoutingKey as pulumi.Input<string>) },
      }, { parent: this })
      : undefined;

    const ns = args.namespace;
    const env: k8s.types.input.core.v1.EnvVar[] = [
      { name: 'ES_URL', value: `https://${args.elasticsearchName}-es-http.${ns}.svc:9200` },
      { name: 'KIBANA_URL', value: `https://${args.kibanaName}-kb-http.${ns}.svc:5601` },
      { name: 'ES_CA_FILE', value: '/certs/elasticsearch/ca.crt' },
      { name: 'KIBANA_CA_FILE', value: '/certs/kibana/ca.crt' },
      { name: 'CONFIG_DIR', value: '/provisioning' },
      { name: 'DATA_STREAMS', value: DATA_STREAMS.join(' ') },
      { name: 'WAIT_ATTEMPTS', value: String(WAIT_ATTEMPTS) },
      { name: 'WAIT_SECONDS', value: String(WAIT_SECONDS) },
      {
        name: 'ELASTIC_PASSWORD',
        valueFrom: { secretKeyRef: { name: `${args.elasticsearchName}-es-elastic-user`, key: 'elastic' } },
      },
    ];
    if (routingKeySecret) {
      env.push({
        name: 'PAGERDUTY_ROUTING_KEY',
        valueFrom: { secretKeyRef: { name: routingKeySecret.metadata.name, key: 'routing-key' } },
      });
    }

    this.job = new k8s.batch.v1.Job(name, {
      metadata: { namespace: ns },
      spec: {
        backoffLimit: 4,
        activeDeadlineSeconds: 3600,
        template: {
          metadata: { annotations: { 'nlp-pipeline/provisioning-checksum': checksum } },
          spec: {
            restartPolicy: 'Never',
            automountServiceAccountToken: false,
            securityContext: {
              runAsNonRoot: true,
              runAsUser: CURL_IMAGE_UID,
              runAsGroup: CURL_IMAGE_UID,
              seccompProfile: { type: 'RuntimeDefault' },
            },
            containers: [{
              name: 'provision',
              image: CURL_IMAGE,
              command: ['sh', '/provisioning/provision.sh'],
              env,
              resources: PROVISIONING_RESOURCES,
              securityContext: {
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                capabilities: { drop: ['ALL'] },
              },
              volumeMounts: [
                { name: 'files', mountPath: '/provisioning', readOnly: true },
                { name: 'es-ca', mountPath: '/certs/elasticsearch', readOnly: true },
                { name: 'kibana-ca', mountPath: '/certs/kibana', readOnly: true },
                { name: 'tmp', mountPath: '/tmp' },
              ],
            }],
            volumes: [
              { name: 'files', configMap: { name: configMap.metadata.name } },
              { name: 'es-ca', secret: { secretName: `${args.elasticsearchName}-es-http-certs-public` } },
              { name: 'kibana-ca', secret: { secretName: `${args.kibanaName}-kb-http-certs-public` } },
              { name: 'tmp', emptyDir: { sizeLimit: '16Mi' } },
            ],
          },
        },
      },
    }, { parent: this, customTimeouts: { create: '60m', update: '60m' } });

    this.registerOutputs({ job: this.job.metadata.name });
  }
}
