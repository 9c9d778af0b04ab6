/**
 * Helm values for the `argo-cd` chart, as a plain function of the stack's Argo CD config so
 * they can be asserted without a cluster. Keys checked against the argo-helm chart's
 * values.yaml (chart 10.x line): every container the chart can start gets requests and
 * limits, including the Redis secret-init hook Job and components left off here, so
 * turning one on never brings an unbounded pod. Non-root, read-only root filesystem and
 * dropped capabilities are the chart's defaults for every component: kept as they are.
 */
import type { ArgoCdConfig } from './config';

export const ARGO_CD_CHART = {
  chart: 'argo-cd',
  version: '10.1.1', // Argo CD v3.4.4
  repo: 'https://argoproj.github.io/argo-helm',
} as const;

export interface ContainerResources {
  requests: { cpu: string; memory: string };
  limits: { cpu: string; memory: string };
}

function resources(requestCpu: string, requestMemory: string, limitCpu: string, limitMemory: string): ContainerResources {
  return { requests: { cpu: requestCpu, memory: requestMemory }, limits: { cpu: limitCpu, memory: limitMemory } };
}

/** Sized for one cluster and a handful of Applications; the controller and repo server do the work. */
export const ARGO_CD_RESOURCES = {
  controller: resources('100m', '256Mi', '1', '1Gi'),
  repoServer: resources('50m', '128Mi', '500m', '512Mi'),
  repoServerCopyutil: resources('10m', '32Mi', '100m', '256Mi'),
  server: resources('50m', '64Mi', '500m', '256Mi'),
  serverExtensions: resources('10m', '32Mi', '50m', '128Mi'),
  applicationSet: resources('10m', '32Mi', '100m', '128Mi'),
  notifications: resources('10m', '32Mi', '100m', '128Mi'),
  commitServer: resources('10m', '32Mi', '100m', '128Mi'),
  redis: resources('10m', '32Mi', '200m', '128Mi'),
  redisExporter: resources('10m', '32Mi', '50m', '64Mi'),
  redisSecretInit: resources('10m', '32Mi', '100m', '64Mi'),
  dex: resources('10m', '32Mi', '100m', '128Mi'),
  dexInit: resources('10m', '32Mi', '100m', '256Mi'),
} as const;

export type ArgoCdValues = Record<string, unknown>;

export function argoCdValues(config: ArgoCdConfig): ArgoCdValues {
  const r = ARGO_CD_RESOURCES;
  const ingress = config.exposure.type === 'ingress' ? config.exposure : undefined;
  return {
    // JSON logs, so Filebeat/Logstash parse Argo CD's lines like the function's.
    global: { ...(ingress ? { domain: ingress.host } : {}), logging: { format: 'json' } },
    configs: {
      params: {
        // TLS ends at the ingress, so the server behind it speaks HTTP; without an ingress it keeps its own TLS.
        'server.insecure': ingress !== undefined,
      },
    },
    controller: { resources: r.controller },
    repoServer: { resources: r.repoServer, copyutil: { resources: r.repoServerCopyutil } },
    server: {
      resources: r.server,
      extensions: { resources: r.serverExtensions },
      service: { type: 'ClusterIP' },
      ingress: ingress
        ? {
            enabled: true,
            ingressClassName: ingress.className,
            hostname: ingress.host,
            tls: true,
            ...(ingress.clusterIssuer ? { annotations: { 'cert-manager.io/cluster-issuer': ingress.clusterIssuer } } : {}),
          }
        : { enabled: false },
    },
    applicationSet: { resources: r.applicationSet },
    // Nothing here sends notifications; the controller stays off until someone configures a notifier.
    notifications: { enabled: false, resources: r.notifications },
    commitServer: { enabled: false, resources: r.commitServer },
    redis: { resources: r.redis, exporter: { resources: r.redisExporter } },
    redisSecretInit: { resources: r.redisSecretInit },
    dex: { enabled: config.dex, resources: r.dex, initImage: { resources: r.dexInit } },
  };
}
