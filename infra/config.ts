// Stack configuration of the platform core (`nlp-pipeline:<key>` in Pulumi.<stack>.yaml), read once,
// validated completely, and handed to the components as plain typed values. Every problem is reported
// at once, each naming its key and how to fix it. Secrets are read only as Pulumi secrets.
import * as pulumi from "@pulumi/pulumi";

export const PROJECT = "nlp-pipeline";

export type Edition = "ce" | "standard";
export type ExposureType = "ClusterIP" | "NodePort" | "LoadBalancer" | "Ingress";
export type ScaleType = "rps" | "capacity" | "cpu" | "queue";

export interface ComputeResources {
  requests: { cpu: string; memory: string };
  limits: { cpu: string; memory: string };
}

export interface Namespaces {
  openfaas: string;
  functions: string;
  database: string;
}

export interface GatewayExposure {
  type: ExposureType;
  /** DNS name or address users reach the gateway at (required unless ClusterIP). */
  host?: string;
  /** Fixed node port for NodePort exposure. */
  nodePort: number;
  ingressClassName?: string;
  /** TLS Secret for the Ingress (https URLs when set). */
  tlsSecretName?: string;
}

export interface OpenFaasConfig {
  edition: Edition;
  exposure: GatewayExposure;
  /**
   * Gateway URL the CE deploy path (REST API) uses from the machine running `pulumi up`; defaults to the
   * exposed URL. Needed with ClusterIP exposure, e.g. http://127.0.0.1:8080 behind a port-forward.
   */
  deployGatewayUrl?: string;
  /** Async path: how long the queue-worker waits for a function to finish before redelivering. */
  queueAckWait: string;
  /** Concurrent async invocations per queue-worker. */
  queueMaxInflight: number;
  queueWorkers: number;
  operatorResources: ComputeResources;
  gatewayResources: ComputeResources;
}

export interface DatabaseConfig {
  clusterName: string;
  database: string;
  instances: number;
  storage: { size: string; storageClass?: string };
  walStorage?: { size: string; storageClass?: string };
  resources: ComputeResources;
  parameters: Record<string, string>;
  /** Spread instances over this node label (zone anti-affinity); required anti-affinity when > 1 instance. */
  topologyKey: string;
  /** required: never two instances in one topology domain (prod); preferred: best effort (dev). */
  antiAffinity: "required" | "preferred";
  /** Schema whose tables and views analysts may read (used with adminEndpoint). */
  analyticsSchema: string;
  pooler: { instances: number; defaultPoolSize: number; maxClientConn: number; resources: ComputeResources };
  /** Read-only login roles for analysts. */
  analysts: string[];
  /**
   * Where @pulumi/postgresql can reach the primary from the machine running `pulumi up`. Absent (the
   * default), analyst roles are CNPG managed roles created inside the cluster and nothing connects
   * from outside; see docs/deploy.md "Analyst roles".
   */
  adminEndpoint?: { host: string; port: number; sslmode: string };
}

export interface ImageConfig {
  /** Pinned image reference (tag or digest) to deploy as-is; skips the build. */
  pinned?: string;
  /** Repository the build pushes to, e.g. ghcr.io/acme/ner-processor. */
  repository: string;
  registry?: { server: string; username: string };
  /** Name of an existing imagePullSecret in the function namespace (Standard only). */
  pullSecret?: string;
}

export interface FunctionConfig {
  name: string;
  scaling: { min: number; max: number; factor: number; type: ScaleType; target: number };
  resources: ComputeResources;
  /** of-watchdog exec/read/write timeout, e.g. "60s". */
  timeout: string;
  maxInflight: number;
  logLevel: string;
  dbPoolMax: number;
  /** Days raw texts and mentions are kept in PostgreSQL (0: for good); hourly rollups stay. */
  rawRetentionDays: number;
}

export interface PlatformConfig {
  stack: string;
  /** Argo CD owns the Function (Standard edition with argocd.enabled): Pulumi must not create it. */
  argocdOwnsFunction: boolean;
  namespaces: Namespaces;
  openfaas: OpenFaasConfig;
  database: DatabaseConfig;
  image: ImageConfig;
  function: FunctionConfig;
}

/** Secrets, only ever held as Pulumi secret outputs. */
export interface PlatformSecrets {
  openfaasLicenseKey?: pulumi.Output<string>;
  registryPassword?: pulumi.Output<string>;
  databaseAdminPassword?: pulumi.Output<string>;
}

/** The limits OpenFaaS Community Edition enforces in faas-netes (see docs/deploy.md). */
export const CE_MAX_REPLICAS = 5;
export const STANDARD_MAX_REPLICAS = 20;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid stack configuration:\n  - ${problems.join("\n  - ")}`);
    this.name = "ConfigError";
  }
}

// Pulumi's mock runtime (tests) hands secret config values over in its wire wrapper; unwrap them.
const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

export function unwrapSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(unwrapSecrets);
  if (value !== null && typeof value === "object") {
    const record = value as Record<string, unknown>;
    if (record[SECRET_SIG_KEY] === SECRET_SIG) return unwrapSecrets(record.value);
    return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, unwrapSecrets(v)]));
  }
  return value;
}

/** Server connections kept free of the poolers: superuser reserve, replication, migrations. */
const RESERVED_CONNECTIONS = 10;
/** registry[:port]/path with a tag, a digest or both: never an implicit latest. */
const PINNED_IMAGE = /^[a-z0-9.-]+(:\d+)?(\/[a-z0-9._-]+)+(:[\w][\w.-]{0,127}(@sha256:[a-f0-9]{64})?|@sha256:[a-f0-9]{64})$/;
const QUANTITY_CPU = /^(\d+m|\d+(\.\d+)?)$/;
const QUANTITY_MEMORY = /^\d+(Ki|Mi|Gi|Ti)$/;
const DURATION = /^\d+(ms|s|m|h)$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const PG_ROLE = /^[a-z_][a-z0-9_]{0,62}$/;

export function durationSeconds(text: string): number {
  const match = /^(\d+)(ms|s|m|h)$/.exec(text);
  if (!match) throw new Error(`not a duration: ${text}`);
  const factor = { ms: 0.001, s: 1, m: 60, h: 3600 }[match[2] as "ms" | "s" | "m" | "h"];
  return Number(match[1]) * factor;
}

/** Reads values under `nlp-pipeline:<key>` paths, recording a problem (with the fix) for each bad one. */
class Reader {
  readonly problems: string[] = [];
  /** Every path read, so that keys nobody reads (typos) can be reported. */
  private readonly read = new Set<string>();
  constructor(private readonly raw: Record<string, unknown>) {}

  private lookup(path: string): unknown {
    this.read.add(path);
    let value: unknown = this.raw;
    for (const part of path.split(".")) {
      if (value === null || typeof value !== "object") return undefined;
      value = (value as Record<string, unknown>)[part];
    }
    return value;
  }

  /** Reports set keys that no rule read: most often a misspelt name, which would otherwise be ignored. */
  reportUnknownKeys(value: unknown = this.raw, at = ""): void {
    if (at && this.isRead(at)) return;
    if (value !== null && typeof value === "object" && !Array.isArray(value)) {
      for (const [key, child] of Object.entries(value)) this.reportUnknownKeys(child, at ? `${at}.${key}` : key);
    } else {
      this.problem(at, "is not a known setting", "check the spelling against docs/deploy.md, or remove it with `pulumi config rm --path '" + at + "'`");
    }
  }

  private isRead(path: string): boolean {
    const parts = path.split(".");
    return parts.some((_, i) => this.read.has(parts.slice(0, i + 1).join(".")));
  }

  problem(path: string, message: string, fix: string): void {
    this.problems.push(`${PROJECT}:${path}: ${message}. Fix: ${fix}`);
  }

  private fixSet(path: string, example: string): string {
    return `pulumi config set --path '${path}' ${example}`;
  }

  optionalString(path: string, pattern?: RegExp, example = "<value>"): string | undefined {
    const value = this.lookup(path);
    if (value === undefined || value === null || value === "") return undefined;
    if (typeof value !== "string" || (pattern && !pattern.test(value))) {
      this.problem(path, `got ${JSON.stringify(value)}, expected ${pattern ? `a value matching ${pattern}` : "a string"}`, this.fixSet(path, example));
      return undefined;
    }
    return value;
  }

  string(path: string, fallback: string, pattern?: RegExp, example?: string): string {
    return this.optionalString(path, pattern, example ?? fallback) ?? fallback;
  }

  oneOf<T extends string>(path: string, choices: readonly T[], fallback: T): T {
    const value = this.lookup(path);
    if (value === undefined || value === null) return fallback;
    if (typeof value !== "string" || !choices.includes(value as T)) {
      this.problem(path, `got ${JSON.stringify(value)}, expected one of ${choices.join(", ")}`, this.fixSet(path, fallback));
      return fallback;
    }
    return value as T;
  }

  integer(path: string, fallback: number, min: number, max: number): number {
    const raw = this.lookup(path);
    if (raw === undefined || raw === null) return fallback;
    const value = typeof raw === "string" && /^-?\d+$/.test(raw) ? Number(raw) : raw;
    if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
      this.problem(path, `got ${JSON.stringify(raw)}, expected an integer from ${min} to ${max}`, this.fixSet(path, String(fallback)));
      return fallback;
    }
    return value;
  }

  stringList(path: string, pattern: RegExp): string[] {
    const value = this.lookup(path);
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value) || value.some((item) => typeof item !== "string" || !pattern.test(item))) {
      this.problem(path, `got ${JSON.stringify(value)}, expected a list of names matching ${pattern}`, `pulumi config set --path '${path}[0]' alice`);
      return [];
    }
    return value as string[];
  }

  stringMap(path: string): Record<string, string> {
    const value = this.lookup(path);
    if (value === undefined || value === null) return {};
    if (typeof value !== "object" || Array.isArray(value)) {
      this.problem(path, `got ${JSON.stringify(value)}, expected an object of settings`, `pulumi config set --path '${path}.max_connections' 200`);
      return {};
    }
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, String(v)]));
  }

  resources(path: string, fallback: ComputeResources): ComputeResources {
    const cpu = (sub: string, dflt: string) => this.string(`${path}.${sub}`, dflt, QUANTITY_CPU, dflt);
    const memory = (sub: string, dflt: string) => this.string(`${path}.${sub}`, dflt, QUANTITY_MEMORY, dflt);
    return {
      requests: { cpu: cpu("requests.cpu", fallback.requests.cpu), memory: memory("requests.memory", fallback.requests.memory) },
      limits: { cpu: cpu("limits.cpu", fallback.limits.cpu), memory: memory("limits.memory", fallback.limits.memory) },
    };
  }
}

const small = (cpu: string, memory: string, cpuLimit: string, memoryLimit: string): ComputeResources => ({
  requests: { cpu, memory },
  limits: { cpu: cpuLimit, memory: memoryLimit },
});

/**
 * Validates raw stack config (the `nlp-pipeline:*` keys, without the prefix) plus which secrets are set.
 * Pure, so every rule is unit-tested without a Pulumi runtime.
 */
export function parseConfig(
  stack: string,
  rawConfig: Record<string, unknown>,
  secretsPresent: { openfaasLicenseKey: boolean; registryPassword: boolean; databaseAdminPassword: boolean },
  argocdEnabled = false,
): PlatformConfig {
  const r = new Reader(unwrapSecrets(rawConfig) as Record<string, unknown>);

  const namespaces: Namespaces = {
    openfaas: r.string("namespaces.openfaas", "openfaas", DNS_LABEL),
    functions: r.string("namespaces.functions", "openfaas-fn", DNS_LABEL),
    database: r.string("namespaces.database", "nlp-db", DNS_LABEL),
  };

  const edition = r.oneOf<Edition>("openfaas.edition", ["ce", "standard"], "ce");
  const exposureType = r.oneOf<ExposureType>("openfaas.exposure.type", ["ClusterIP", "NodePort", "LoadBalancer", "Ingress"], "ClusterIP");
  const exposure: GatewayExposure = {
    type: exposureType,
    host: r.optionalString("openfaas.exposure.host", /^[A-Za-z0-9.-]+$/, "gateway.example.com"),
    nodePort: r.integer("openfaas.exposure.nodePort", 31112, 30000, 32767),
    ingressClassName: r.optionalString("openfaas.exposure.ingressClassName", DNS_LABEL, "nginx"),
    tlsSecretName: r.optionalString("openfaas.exposure.tlsSecretName", DNS_LABEL, "gateway-tls"),
  };
  if (exposure.type !== "ClusterIP" && !exposure.host) {
    r.problem("openfaas.exposure.host", `is required with exposure type ${exposure.type} (it builds the gateway and curl URLs)`, "pulumi config set --path 'openfaas.exposure.host' gateway.example.com");
  }
  const openfaas: OpenFaasConfig = {
    edition,
    exposure,
    deployGatewayUrl: r.optionalString("openfaas.deployGatewayUrl", /^https?:\/\/[^\s/]+\/?$/, "http://127.0.0.1:8080"),
    queueAckWait: r.string("openfaas.queue.ackWait", "90s", DURATION),
    queueMaxInflight: r.integer("openfaas.queue.maxInflight", 1, 1, 1000),
    queueWorkers: r.integer("openfaas.queue.workers", 1, 1, 50),
    operatorResources: r.resources("openfaas.operatorResources", small("50m", "64Mi", "500m", "256Mi")),
    gatewayResources: r.resources("openfaas.gatewayResources", small("100m", "128Mi", "1", "512Mi")),
  };

  const database: DatabaseConfig = {
    clusterName: r.string("database.clusterName", "nlp-pg", DNS_LABEL),
    database: r.string("database.name", "nlp", PG_ROLE),
    instances: r.integer("database.instances", 2, 1, 9),
    storage: {
      size: r.string("database.storage.size", "10Gi", QUANTITY_MEMORY),
      storageClass: r.optionalString("database.storage.storageClass", DNS_LABEL, "standard"),
    },
    walStorage: undefined,
    resources: r.resources("database.resources", small("250m", "512Mi", "1", "1Gi")),
    parameters: r.stringMap("database.parameters"),
    topologyKey: r.string("database.topologyKey", "topology.kubernetes.io/zone", /^[A-Za-z0-9./-]+$/),
    antiAffinity: r.oneOf("database.antiAffinity", ["required", "preferred"], "preferred"),
    analyticsSchema: r.string("database.analyticsSchema", "public", PG_ROLE),
    pooler: {
      instances: r.integer("database.pooler.instances", 1, 1, 10),
      defaultPoolSize: r.integer("database.pooler.defaultPoolSize", 20, 1, 500),
      maxClientConn: r.integer("database.pooler.maxClientConn", 500, 10, 10000),
      resources: r.resources("database.pooler.resources", small("50m", "32Mi", "500m", "128Mi")),
    },
    analysts: r.stringList("database.analysts", PG_ROLE),
    adminEndpoint: undefined,
  };
  const walSize = r.optionalString("database.walStorage.size", QUANTITY_MEMORY, "5Gi");
  const walStorageClass = r.optionalString("database.walStorage.storageClass", DNS_LABEL, "standard");
  if (walSize) database.walStorage = { size: walSize, storageClass: walStorageClass };
  const adminHost = r.optionalString("database.adminEndpoint.host", /^[A-Za-z0-9.-]+$/, "10.0.0.12");
  const adminEndpoint = {
    port: r.integer("database.adminEndpoint.port", 5432, 1, 65535),
    sslmode: r.oneOf("database.adminEndpoint.sslmode", ["require", "verify-ca", "verify-full"], "require"),
  };
  if (adminHost) {
    database.adminEndpoint = { host: adminHost, ...adminEndpoint };
    if (!secretsPresent.databaseAdminPassword) {
      r.problem("databaseAdminPassword", "is required when database.adminEndpoint is set (@pulumi/postgresql logs in as the superuser)", "pulumi config set --secret databaseAdminPassword <password of the postgres superuser>");
    }
  }

  const image: ImageConfig = {
    pinned: r.optionalString("image.pinned", PINNED_IMAGE, "ghcr.io/acme/ner-processor:1.2.3"),
    repository: r.string("image.repository", "", /^[a-z0-9.-]+(:\d+)?(\/[a-z0-9._-]+)+$/, "ghcr.io/acme/ner-processor"),
    pullSecret: r.optionalString("image.pullSecret", DNS_LABEL, "regcred"),
  };
  const registryServer = r.optionalString("image.registry.server", /^[a-z0-9.-]+(:\d+)?$/, "ghcr.io");
  const registryUser = r.optionalString("image.registry.username", undefined, "my-user");
  if (registryServer || registryUser) {
    if (!registryServer) r.problem("image.registry.server", "is required with image.registry.username", "pulumi config set --path 'image.registry.server' ghcr.io");
    if (!registryUser) r.problem("image.registry.username", "is required with image.registry.server", "pulumi config set --path 'image.registry.username' my-user");
    image.registry = { server: registryServer ?? "", username: registryUser ?? "" };
    if (!secretsPresent.registryPassword) {
      r.problem("registryPassword", "is required when image.registry is set (the build pushes with it)", "pulumi config set --secret registryPassword <token with push rights>");
    }
  }
  if (image.pinned && /:latest(@|$)/.test(image.pinned)) {
    r.problem("image.pinned", "must not use the mutable tag latest (rollouts and rollbacks need an immutable reference)", "pin a version tag or a digest");
  }
  if (!image.pinned && !image.repository) {
    r.problem("image.repository", "is required unless image.pinned names an existing image (the build needs a place to push)", "pulumi config set --path 'image.repository' ghcr.io/acme/ner-processor");
  }

  const fn: FunctionConfig = {
    name: "ner-processor",
    scaling: {
      min: r.integer("function.scaling.min", 1, 0, 100),
      max: r.integer("function.scaling.max", edition === "ce" ? CE_MAX_REPLICAS : STANDARD_MAX_REPLICAS, 1, 100),
      factor: r.integer("function.scaling.factor", 20, 0, 100),
      type: r.oneOf<ScaleType>("function.scaling.type", ["rps", "capacity", "cpu", "queue"], edition === "ce" ? "rps" : "capacity"),
      target: r.integer("function.scaling.target", 50, 1, 10000),
    },
    resources: r.resources("function.resources", small("100m", "192Mi", "1", "512Mi")),
    timeout: r.string("function.timeout", "60s", DURATION),
    maxInflight: r.integer("function.maxInflight", 50, 1, 10000),
    logLevel: r.oneOf("function.logLevel", ["trace", "debug", "info", "warn", "error"], "info"),
    dbPoolMax: r.integer("function.dbPoolMax", 5, 1, 100),
    rawRetentionDays: r.integer("function.rawRetentionDays", 30, 0, 36500),
  };

  // Rules that tie keys together.
  if (fn.scaling.min > fn.scaling.max) {
    r.problem("function.scaling.min", `${fn.scaling.min} is above function.scaling.max (${fn.scaling.max})`, "lower min or raise max");
  }
  if (edition === "ce" && exposure.type === "ClusterIP" && !openfaas.deployGatewayUrl) {
    r.problem("openfaas.deployGatewayUrl", "is required with edition ce and ClusterIP exposure: CE has no Function CRD, so `pulumi up` deploys the function through the gateway REST API and must reach the gateway", "expose the gateway (openfaas.exposure.type NodePort|LoadBalancer|Ingress) or run `kubectl port-forward -n openfaas svc/gateway 8080:8080` and set openfaas.deployGatewayUrl http://127.0.0.1:8080");
  }
  if (edition === "ce") {
    const why = "OpenFaaS Community Edition";
    if (fn.scaling.max > CE_MAX_REPLICAS) {
      r.problem("function.scaling.max", `is ${fn.scaling.max}, but ${why} caps every function at ${CE_MAX_REPLICAS} replicas`, `set it to ${CE_MAX_REPLICAS} or less, or use openfaas.edition standard (license)`);
    }
    if (fn.scaling.min < 1) {
      r.problem("function.scaling.min", `is 0, but ${why} has no scale to zero`, "set it to 1 or more, or use openfaas.edition standard");
    }
    if (fn.scaling.type !== "rps") {
      r.problem("function.scaling.type", `is ${fn.scaling.type}, but ${why} only scales on requests per second (one global alert rule)`, "set it to rps, or use openfaas.edition standard");
    }
    if (image.pullSecret) {
      r.problem("image.pullSecret", `is set, but ${why} pulls function images anonymously (public images only)`, "publish the image to a public repository and remove image.pullSecret, or use openfaas.edition standard");
    }
    if (openfaas.queueMaxInflight > 1) {
      r.problem("openfaas.queue.maxInflight", `is ${openfaas.queueMaxInflight}, but ${why}'s in-memory NATS Streaming queue-worker delivers one message at a time`, "set it to 1, or use openfaas.edition standard (JetStream)");
    }
  } else if (!secretsPresent.openfaasLicenseKey) {
    r.problem("openfaasLicenseKey", "is required with openfaas.edition standard (the chart refuses to start without a license)", "pulumi config set --secret openfaasLicenseKey <license JWT>");
  }
  if (durationSeconds(openfaas.queueAckWait) <= durationSeconds(fn.timeout)) {
    r.problem("openfaas.queue.ackWait", `${openfaas.queueAckWait} must be longer than function.timeout (${fn.timeout}), or the queue redelivers work that is still running`, `pulumi config set --path 'openfaas.queue.ackWait' ${durationSeconds(fn.timeout) + 30}s`);
  }
  // Each PgBouncer instance keeps its own pool: rw pools all land on the primary, ro pools on a replica.
  const serverConnections = database.pooler.defaultPoolSize * database.pooler.instances;
  const maxConnections = Number(database.parameters.max_connections ?? "100");
  if (serverConnections > maxConnections - RESERVED_CONNECTIONS) {
    r.problem(
      "database.pooler.defaultPoolSize",
      `${database.pooler.defaultPoolSize} x ${database.pooler.instances} pooler instances = ${serverConnections} server connections, which leaves fewer than ${RESERVED_CONNECTIONS} of max_connections (${maxConnections}) for migrations, replication and administration`,
      "lower database.pooler.defaultPoolSize or raise database.parameters.max_connections",
    );
  }

  // Every function pod opens up to dbPoolMax connections to each pooler.
  const clientConnections = fn.scaling.max * fn.dbPoolMax;
  const poolerCapacity = database.pooler.maxClientConn * database.pooler.instances;
  if (clientConnections > poolerCapacity) {
    r.problem(
      "function.dbPoolMax",
      `${fn.dbPoolMax} x ${fn.scaling.max} replicas = ${clientConnections} connections, above what the poolers accept (${database.pooler.maxClientConn} x ${database.pooler.instances} instances = ${poolerCapacity})`,
      "lower function.dbPoolMax or function.scaling.max, or raise database.pooler.maxClientConn",
    );
  }

  r.reportUnknownKeys();
  if (r.problems.length > 0) throw new ConfigError(r.problems);
  return { stack, argocdOwnsFunction: edition === "standard" && argocdEnabled, namespaces, openfaas, database, image, function: fn };
}

const BASE_KEYS = ["namespaces", "openfaas", "database", "image", "function"];
/** Secrets read here, and the keys infra/observability and infra/gitops validate themselves. */
const OTHER_KEYS = ["openfaasLicenseKey", "registryPassword", "databaseAdminPassword", "observability", "argocd"];

/** Reads and validates the stack's config through the Pulumi runtime. */
export function loadConfig(): { config: PlatformConfig; secrets: PlatformSecrets } {
  const cfg = new pulumi.Config(PROJECT);
  const raw: Record<string, unknown> = {};
  for (const key of BASE_KEYS) {
    const value = cfg.getObject<unknown>(key);
    if (value !== undefined) raw[key] = value;
  }
  // Keys of this project that no area reads are typos: hand their names over to be reported.
  for (const fullKey of Object.keys(pulumi.runtime.allConfig())) {
    const [namespace, key] = fullKey.split(":");
    if (namespace === PROJECT && !BASE_KEYS.includes(key) && !OTHER_KEYS.includes(key)) raw[key] = null;
  }
  const secrets: PlatformSecrets = {
    openfaasLicenseKey: cfg.getSecret("openfaasLicenseKey"),
    registryPassword: cfg.getSecret("registryPassword"),
    databaseAdminPassword: cfg.getSecret("databaseAdminPassword"),
  };
  // Only whether Argo CD is on matters here; infra/gitops/config.ts validates the rest of that key.
  const argocd = unwrapSecrets(cfg.getObject<unknown>("argocd")) as { enabled?: unknown } | undefined;
  const config = parseConfig(
    pulumi.getStack(),
    raw,
    {
      openfaasLicenseKey: secrets.openfaasLicenseKey !== undefined,
      registryPassword: secrets.registryPassword !== undefined,
      databaseAdminPassword: secrets.databaseAdminPassword !== undefined,
    },
    argocd?.enabled === true,
  );
  return { config, secrets };
}
