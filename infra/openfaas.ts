// OpenFaaS: namespaces, the gateway's basic-auth Secret (a Pulumi-generated password, so the chart need
// not generate one and GitOps tools see no drift), the license for Standard, and the pinned chart.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { durationSeconds, type ComputeResources, type Edition, type GatewayExposure } from "./config";

export const OPENFAAS_CHART = { chart: "openfaas", version: "15.0.6", repo: "https://openfaas.github.io/faas-netes/" } as const;
const GATEWAY_PORT = 8080;
const ADMIN_USER = "admin";

export interface OpenFaasArgs {
  namespace: string;
  functionNamespace: string;
  edition: Edition;
  exposure: GatewayExposure;
  /** Longest a function call may take; gateway and provider timeouts are derived from it. */
  functionTimeout: string;
  queue: { ackWait: string; maxInflight: number; workers: number };
  gatewayResources: ComputeResources;
  operatorResources: ComputeResources;
  /** Standard only: the license JWT. */
  licenseKey?: pulumi.Output<string>;
  /** Standard only: existing imagePullSecret for function images from a private registry. */
  imagePullSecret?: string;
}

function seconds(value: number): string {
  return `${value}s`;
}

/** Chart values (chart openfaas 15.0.6). */
export function openfaasValues(args: OpenFaasArgs): Record<string, unknown> {
  const standard = args.edition === "standard";
  const timeout = durationSeconds(args.functionTimeout);
  const exposed = args.exposure.type === "NodePort" || args.exposure.type === "LoadBalancer";
  return {
    functionNamespace: args.functionNamespace,
    basic_auth: true,
    generateBasicAuth: false,
    openfaasPro: standard,
    // Standard: the Function CRD and operator (Argo CD can own functions), the Pro autoscaler.
    operator: { create: standard, resources: args.operatorResources },
    clusterRole: standard,
    autoscaler: { enabled: standard },
    exposeServices: exposed,
    serviceType: exposed ? args.exposure.type : "ClusterIP",
    gateway: {
      replicas: standard ? 2 : 1,
      nodePort: args.exposure.nodePort,
      // The gateway must outlast the function; the watchdog's own timeout is the function timeout.
      upstreamTimeout: seconds(timeout),
      readTimeout: seconds(timeout + 5),
      writeTimeout: seconds(timeout + 5),
      resources: args.gatewayResources,
    },
    faasnetes: { readTimeout: seconds(timeout + 5), writeTimeout: seconds(timeout + 5), resources: args.operatorResources },
    // Async path: POST /async-function/<name> queues; the queue-worker redelivers after ackWait, so
    // ackWait > function timeout (validated in config.ts).
    queueWorker: { replicas: args.queue.workers, ackWait: args.queue.ackWait, maxInflight: args.queue.maxInflight },
    // Standard: the JetStream queue-worker with one consumer per function, which is what queue-based
    // scaling (com.openfaas.scale.type: queue) reads; `queueMode` is deprecated in current charts.
    ...(standard
      ? {
          jetstreamQueueWorker: { mode: "function" },
          queueWorkerPro: { maxInflight: args.queue.maxInflight },
          nats: { streamReplication: 1 },
        }
      : {}),
    ingress:
      args.exposure.type === "Ingress"
        ? {
            enabled: true,
            ingressClassName: args.exposure.ingressClassName,
            pathType: "Prefix",
            annotations: {},
            hosts: [{ host: args.exposure.host, serviceName: "gateway", servicePort: GATEWAY_PORT, path: "/" }],
            tls: args.exposure.tlsSecretName ? [{ secretName: args.exposure.tlsSecretName, hosts: [args.exposure.host] }] : [],
          }
        : { enabled: false },
  };
}

/** The URL users (and curl) reach the gateway at. */
export function gatewayUrl(namespace: string, exposure: GatewayExposure): string {
  switch (exposure.type) {
    case "NodePort":
      return `http://${exposure.host}:${exposure.nodePort}`;
    case "LoadBalancer":
      return `http://${exposure.host}:${GATEWAY_PORT}`;
    case "Ingress":
      return `${exposure.tlsSecretName ? "https" : "http"}://${exposure.host}`;
    case "ClusterIP":
      return `http://gateway.${namespace}.svc.cluster.local:${GATEWAY_PORT}`;
  }
}

export class OpenFaas extends pulumi.ComponentResource {
  /** External gateway URL. */
  readonly gatewayUrl: string;
  readonly adminUser = ADMIN_USER;
  readonly adminPassword: pulumi.Output<string>;
  readonly functionNamespace: pulumi.Output<string>;
  readonly release: k8s.helm.v3.Release;
  /** Bumped by every Helm upgrade: lets patches of chart objects re-apply after one. */
  readonly releaseRevision: pulumi.Output<number>;

  constructor(name: string, args: OpenFaasArgs, opts?: pulumi.ComponentResourceOptions) {
    super("nlp-pipeline:platform:OpenFaas", name, {}, opts);
    const system = new k8s.core.v1.Namespace(`${name}-system`, { metadata: { name: args.namespace, labels: { role: "openfaas-system" } } }, { parent: this });
    const functions = new k8s.core.v1.Namespace(`${name}-functions`, { metadata: { name: args.functionNamespace, labels: { role: "openfaas-fn" } } }, { parent: this });

    const password = new random.RandomPassword(`${name}-admin-password`, { length: 32, special: false }, { parent: this });
    const basicAuth = new k8s.core.v1.Secret(
      `${name}-basic-auth`,
      {
        metadata: { name: "basic-auth", namespace: system.metadata.name },
        stringData: { "basic-auth-user": ADMIN_USER, "basic-auth-password": password.result },
      },
      { parent: this },
    );
    const chartInputs: pulumi.Resource[] = [basicAuth, functions];
    if (args.imagePullSecret) {
      // Function pods run as the namespace's default ServiceAccount (OpenFaaS docs, private registries).
      new k8s.core.v1.ServiceAccountPatch(
        `${name}-function-pull-secret`,
        { metadata: { name: "default", namespace: functions.metadata.name }, imagePullSecrets: [{ name: args.imagePullSecret }] },
        { parent: this },
      );
    }
    if (args.edition === "standard") {
      if (!args.licenseKey) throw new Error("OpenFaaS Standard needs args.licenseKey");
      chartInputs.push(
        new k8s.core.v1.Secret(
          `${name}-license`,
          { metadata: { name: "openfaas-license", namespace: system.metadata.name }, stringData: { license: args.licenseKey } },
          { parent: this },
        ),
      );
    }

    this.release = new k8s.helm.v3.Release(
      name,
      {
        name: "openfaas",
        chart: OPENFAAS_CHART.chart,
        version: OPENFAAS_CHART.version,
        repositoryOpts: { repo: OPENFAAS_CHART.repo },
        namespace: system.metadata.name,
        values: openfaasValues(args),
        // Wait for the gateway: the CE deploy path calls its REST API right after.
        skipAwait: false,
        timeout: 600,
      },
      { parent: this, dependsOn: chartInputs },
    );

    this.releaseRevision = this.release.status.revision;
    this.gatewayUrl = gatewayUrl(args.namespace, args.exposure);
    // Explicitly secret: it also travels through the CE deploy provider's inputs.
    this.adminPassword = pulumi.secret(password.result);
    this.functionNamespace = functions.metadata.name;
    this.registerOutputs({ gatewayUrl: this.gatewayUrl, functionNamespace: this.functionNamespace });
  }
}
