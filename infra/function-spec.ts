// The ner-processor function as OpenFaaS sees it, as plain data: one source for the Standard `Function`
// custom resource, the CE REST deployment body, and the Argo CD manifests in stacks/<env>/ (the gitops
// area checks its Function against `functionManifest`).
import type { ComputeResources, Edition, FunctionConfig } from "./config";

/** Pods carry this label; Filebeat selects the function's logs by it (contracts.md). */
export const SERVICE_LABEL = { "com.my-app.service": "nlp-pipeline" } as const;
/** Where OpenFaaS mounts each key of the function's secrets. */
export const SECRETS_DIR = "/var/openfaas/secrets";
/** of-watchdog answers these itself (platform-facts.md). */
const HEALTH_PATH = "/_/health";
const READY_PATH = "/_/ready";

/** `Image` and `Namespace` are strings, or Pulumi inputs inside the program (an image still to be built). */
export interface FunctionSpecArgs<Image = string> {
  name: string;
  image: Image;
  edition: Edition;
  scaling: FunctionConfig["scaling"];
  resources: ComputeResources;
  timeout: string;
  maxInflight: number;
  logLevel: string;
  dbPoolMax: number;
  rawRetentionDays: number;
  /** Secret in the function namespace with keys db-primary-dsn and db-replica-dsn. */
  dbSecretName: string;
}

/** `spec` of an `openfaas.com/v1 Function` (fields of the CRD in chart openfaas 15.0.6). */
export interface OpenFaasFunctionSpec<Image = string> {
  name: string;
  image: Image;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  environment: Record<string, string>;
  secrets: string[];
  requests: { cpu: string; memory: string };
  limits: { cpu: string; memory: string };
  readOnlyRootFilesystem: boolean;
}

export interface OpenFaasFunctionManifest<Image = string, Namespace = string> {
  apiVersion: "openfaas.com/v1";
  kind: "Function";
  metadata: { name: string; namespace: Namespace };
  spec: OpenFaasFunctionSpec<Image>;
}

/** Body of `POST|PUT /system/functions` (openfaas/faas api-docs, FunctionDeployment). */
export interface FunctionDeployment<Image = string, Namespace = string> {
  service: string;
  image: Image;
  namespace: Namespace;
  envVars: Record<string, string>;
  secrets: string[];
  labels: Record<string, string>;
  annotations: Record<string, string>;
  requests: { cpu: string; memory: string };
  limits: { cpu: string; memory: string };
  readOnlyRootFilesystem: boolean;
}

function scalingLabels(args: FunctionSpecArgs<unknown>): Record<string, string> {
  const labels: Record<string, string> = {
    "com.openfaas.scale.min": String(args.scaling.min),
    "com.openfaas.scale.max": String(args.scaling.max),
    "com.openfaas.scale.factor": String(args.scaling.factor),
  };
  // CE scales on RPS only, from one global alert rule; type and target are Standard features.
  if (args.edition === "standard") {
    labels["com.openfaas.scale.type"] = args.scaling.type;
    labels["com.openfaas.scale.target"] = String(args.scaling.target);
    labels["com.openfaas.scale.zero"] = String(args.scaling.min === 0);
  }
  return labels;
}

export function functionSpec<Image = string>(args: FunctionSpecArgs<Image>): OpenFaasFunctionSpec<Image> {
  return {
    name: args.name,
    image: args.image,
    labels: { ...SERVICE_LABEL, ...scalingLabels(args) },
    // CE has no per-function readiness probes; Standard takes the paths as annotations.
    annotations: args.edition === "standard" ? { "com.openfaas.health.http.path": HEALTH_PATH, "com.openfaas.ready.http.path": READY_PATH } : {},
    environment: {
      // of-watchdog: a request gets the function timeout; beyond max_inflight the watchdog answers 429.
      exec_timeout: args.timeout,
      read_timeout: args.timeout,
      write_timeout: args.timeout,
      max_inflight: String(args.maxInflight),
      LOG_LEVEL: args.logLevel,
      PERSISTENCE: "postgres",
      DB_PRIMARY_DSN_FILE: `${SECRETS_DIR}/db-primary-dsn`,
      DB_REPLICA_DSN_FILE: `${SECRETS_DIR}/db-replica-dsn`,
      DB_POOL_MAX: String(args.dbPoolMax),
      RAW_RETENTION_DAYS: String(args.rawRetentionDays),
    },
    secrets: [args.dbSecretName],
    requests: { ...args.resources.requests },
    limits: { ...args.resources.limits },
    readOnlyRootFilesystem: true,
  };
}

export function functionManifest<Image = string, Namespace = string>(
  args: FunctionSpecArgs<Image> & { namespace: Namespace },
): OpenFaasFunctionManifest<Image, Namespace> {
  return {
    apiVersion: "openfaas.com/v1",
    kind: "Function",
    metadata: { name: args.name, namespace: args.namespace },
    spec: functionSpec(args),
  };
}

/** The same function as the CE gateway REST API takes it. */
export function functionDeployment<Image = string, Namespace = string>(
  spec: OpenFaasFunctionSpec<Image>,
  namespace: Namespace,
): FunctionDeployment<Image, Namespace> {
  return {
    service: spec.name,
    image: spec.image,
    namespace,
    envVars: spec.environment,
    secrets: spec.secrets,
    labels: spec.labels,
    annotations: spec.annotations,
    requests: spec.requests,
    limits: spec.limits,
    readOnlyRootFilesystem: spec.readOnlyRootFilesystem,
  };
}
