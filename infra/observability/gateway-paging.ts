/**
 * The free paging path, wired: patches the Prometheus rules and Alertmanager config of the
 * OpenFaaS CE release (chart openfaas 15.0.6 has no values for extra rules or receivers), gives
 * Alertmanager the PagerDuty routing key as a mounted Secret file, and rolls both Deployments when
 * their config changes (they mount the keys with subPath, so they never see ConfigMap updates).
 */
import { createHash } from 'node:crypto';
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { GatewayAlerting, ROUTING_KEY_FILE } from './alerting';

/** Objects the chart renders in the release namespace (templates prometheus-*.yaml, alertmanager-*.yaml). */
export const CHART_OBJECTS = {
  prometheus: { deployment: 'prometheus', configMap: 'prometheus-config', key: 'alert.rules.yml' },
  alertmanager: { deployment: 'alertmanager', container: 'alertmanager', configMap: 'alertmanager-config', key: 'alertmanager.yml' },
} as const;

/** Pod-template annotation holding the checksum of the patched config: a new value rolls the pods. */
export const CONFIG_CHECKSUM_ANNOTATION = 'nlp-pipeline.io/paging-config-checksum';
/** Annotation carrying the release revision: every Helm upgrade changes the patches' inputs. */
export const RELEASE_REVISION_ANNOTATION = 'nlp-pipeline.io/openfaas-release-revision';
export const ROUTING_KEY_SECRET = 'alertmanager-pagerduty';
const ROUTING_KEY_VOLUME = 'pagerduty-routing-key';

export interface GatewayPagingArgs {
  /** Namespace of the OpenFaaS release. */
  namespace: string;
  /** Rules and Alertmanager config rendered by alerting.ts. */
  alerting: GatewayAlerting;
  /** PagerDuty Events v2 routing key; kept secret here whatever the caller passes. */
  routingKey: pulumi.Input<string>;
  /**
   * The OpenFaaS release's revision. Helm's three-way merge reverts the patched keys on every
   * upgrade; with the revision in their inputs, the same `pulumi up` re-applies them and rolls the pods.
   */
  releaseRevision: pulumi.Input<number>;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export class GatewayPaging extends pulumi.ComponentResource {
  readonly routingKeySecretName: pulumi.Output<string>;

  constructor(name: string, args: GatewayPagingArgs, opts?: pulumi.ComponentResourceOptions) {
    super('nlp-pipeline:observability:GatewayPaging', name, {}, opts);
    const { namespace, alerting } = args;
    const revision = pulumi.output(args.releaseRevision).apply((r) => String(r));
    // Server-side apply takes these fields over from Helm's field manager.
    const patchMetadata = (objectName: string) => ({
      name: objectName,
      namespace,
      annotations: { 'pulumi.com/patchForce': 'true', [RELEASE_REVISION_ANNOTATION]: revision },
    });
    const { prometheus, alertmanager } = CHART_OBJECTS;

    const rules = new k8s.core.v1.ConfigMapPatch(`${name}-prometheus-rules`, {
      metadata: patchMetadata(prometheus.configMap),
      data: { [prometheus.key]: alerting.prometheusRules },
    }, { parent: this });
    const alertmanagerConfig = new k8s.core.v1.ConfigMapPatch(`${name}-alertmanager-config`, {
      metadata: patchMetadata(alertmanager.configMap),
      data: { [alertmanager.key]: alerting.alertmanagerConfig },
    }, { parent: this });

    const routingKey = new k8s.core.v1.Secret(`${name}-routing-key`, {
      metadata: { name: ROUTING_KEY_SECRET, namespace },
      stringData: { [ROUTING_KEY_FILE.key]: pulumi.secret(args.routingKey) },
    }, { parent: this });

    // The pod template changes when the config or the release revision does, so the pods restart
    // after the ConfigMaps hold our content.
    const podAnnotations = (config: string) => ({ [CONFIG_CHECKSUM_ANNOTATION]: sha256(config), [RELEASE_REVISION_ANNOTATION]: revision });
    new k8s.apps.v1.DeploymentPatch(`${name}-prometheus-rollout`, {
      metadata: patchMetadata(prometheus.deployment),
      spec: { template: { metadata: { annotations: podAnnotations(alerting.prometheusRules) } } },
    }, { parent: this, dependsOn: [rules] });
    new k8s.apps.v1.DeploymentPatch(`${name}-alertmanager-rollout`, {
      metadata: patchMetadata(alertmanager.deployment),
      spec: {
        template: {
          metadata: { annotations: podAnnotations(alerting.alertmanagerConfig) },
          spec: {
            // Merged by name into the chart's lists (server-side apply, listType map).
            containers: [{
              name: alertmanager.container,
              volumeMounts: [{ name: ROUTING_KEY_VOLUME, mountPath: ROUTING_KEY_FILE.directory, readOnly: true }],
            }],
            volumes: [{ name: ROUTING_KEY_VOLUME, secret: { secretName: routingKey.metadata.name } }],
          },
        },
      },
    }, { parent: this, dependsOn: [alertmanagerConfig, routingKey] });

    this.routingKeySecretName = routingKey.metadata.name;
    this.registerOutputs({ routingKeySecretName: this.routingKeySecretName });
  }
}
