import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { GatewayAlerting, gatewayAlerting } from './alerting';
import { ObservabilityConfig } from './config';
import { EckOperator } from './eckOperator';
import { Elasticsearch } from './elasticsearch';
import { Filebeat } from './filebeat';
import { Kibana } from './kibana';
import { Logstash } from './logstash';
import { Provisioning } from './provisioning';

export interface ObservabilityArgs {
  config: ObservabilityConfig;
  /** Namespace of OpenFaaS's own components (gateway, faas-netes), also shipped to Elasticsearch. */
  openfaasNamespace: string;
}

/** Namespace of the ECK operator (the chart's documented default). */
export const OPERATOR_NAMESPACE = 'elastic-system';
/** Name of the Elasticsearch, Kibana and Logstash resources. */
export const STACK_NAME = 'nlp-pipeline';

/**
 * The ELK pipeline for the function's logs: ECK operator, Elasticsearch, Kibana, Logstash,
 * Filebeat, and the in-cluster Job that installs templates, dashboards and the alert rule.
 */
export class Observability extends pulumi.ComponentResource {
  readonly kibanaService: string;
  /** Prometheus/Alertmanager config for the OpenFaaS release (the free PagerDuty path). */
  readonly gatewayAlerting: GatewayAlerting;

  constructor(name: string, args: ObservabilityArgs, opts?: pulumi.ComponentResourceOptions) {
    super('nlp-pipeline:observability:Observability', name, {}, opts);
    const { config } = args;
    const ns = config.namespace;

    const operator = new EckOperator(`${name}-eck-operator`, {
      namespace: OPERATOR_NAMESPACE,
      resources: config.operator.resources,
    }, { parent: this });

    const namespace = new k8s.core.v1.Namespace(`${name}-namespace`, { metadata: { name: ns } }, { parent: this });
    // Every custom resource waits for the operator's CRDs (installed by its release) and the namespace.
    const afterOperator = { parent: this, dependsOn: [operator.release, namespace] };

    const elasticsearch = new Elasticsearch(STACK_NAME, { namespace: ns, ...config.elasticsearch }, afterOperator);
    const kibana = new Kibana(STACK_NAME, {
      namespace: ns, elasticsearchName: elasticsearch.clusterName, resources: config.kibana.resources,
    }, afterOperator);

    const provisioning = new Provisioning(`${name}-provisioning`, {
      namespace: ns,
      elasticsearchName: elasticsearch.clusterName,
      kibanaName: STACK_NAME,
      settings: {
        retentionDays: config.retentionDays,
        replicas: config.elasticsearch.nodes > 1 ? 1 : 0,
        errorThreshold: config.alerts.errorThreshold,
      },
      pagerDutyRoutingKey: config.alerts.kibanaPagerDuty ? config.alerts.pagerDutyRoutingKey : undefined,
    }, { parent: this, dependsOn: [namespace, elasticsearch, kibana] });

    // Logstash starts after the Job installed the index template, so the first data stream
    // is created with our mappings rather than the built-in logs-*-* ones.
    const logstash = new Logstash(STACK_NAME, {
      namespace: ns, elasticsearchName: elasticsearch.clusterName, ...config.logstash,
    }, { parent: this, dependsOn: [operator.release, namespace, provisioning] });

    new Filebeat('filebeat', {
      namespace: ns,
      logstashHost: logstash.beatsHost,
      resources: config.filebeat.resources,
      platformNamespace: args.openfaasNamespace,
    }, { parent: this, dependsOn: [operator.release, namespace, logstash] });

    this.kibanaService = `${STACK_NAME}-kb-http.${ns}.svc:5601`;
    this.gatewayAlerting = gatewayAlerting(config.alerts.gateway5xxRatio);
    this.registerOutputs({ kibanaService: this.kibanaService });
  }
}
