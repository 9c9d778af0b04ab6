// Platform policies as plain functions over a resource's type and inputs, so they are unit-tested directly
// and run by the offline tests over every resource of every stack. Each returns its violations as text.

/**
 * Stands for an input not known until `pulumi up` (during preview: a generated password, an image still
 * to be built). Policies judge known values only, as Pulumi's policy engine does in preview.
 */
export const UNKNOWN = "<unknown during preview>";

export interface PolicyResource {
  type: string;
  name: string;
  inputs: Record<string, any>;
  /** Dotted input paths that are Pulumi secrets (encrypted in state, masked in logs). */
  secretPaths: string[];
}

export interface Policy {
  name: string;
  description: string;
  check(resource: PolicyResource): string[];
}

export interface Violation {
  policy: string;
  resource: string;
  message: string;
}

const WORKLOAD_KINDS = new Set(["Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob", "Pod", "ReplicaSet"]);
const LONG_RUNNING_KINDS = new Set(["Deployment", "StatefulSet", "DaemonSet"]);
const HELM_RELEASE = "kubernetes:helm.sh/v3:Release";
const OPENFAAS_FUNCTION = "kubernetes:openfaas.com/v1:Function";
const CNPG_CLUSTER = "kubernetes:postgresql.cnpg.io/v1:Cluster";
const CNPG_POOLER = "kubernetes:postgresql.cnpg.io/v1:Pooler";
/** Our CE function deployment: a dynamic resource whose inputs carry an `openfaasFunction` body. */
const DYNAMIC = "pulumi-nodejs:dynamic:Resource";
/** Input keys whose values are credentials wherever they appear. */
const SECRET_KEY = /(password|passwd|token|license|secret[-_]?key|private[-_]?key|dsn|credentials)$/i;

function kindOf(r: PolicyResource): string {
  return r.type.split(":").pop() ?? "";
}

function podSpecOf(r: PolicyResource): Record<string, any> | undefined {
  if (!r.type.startsWith("kubernetes:") || !WORKLOAD_KINDS.has(kindOf(r))) return undefined;
  const spec = r.inputs.spec ?? {};
  switch (kindOf(r)) {
    case "Pod":
      return spec;
    case "CronJob":
      return spec.jobTemplate?.spec?.template?.spec;
    default:
      return spec.template?.spec;
  }
}

function containersOf(podSpec: Record<string, any>): Record<string, any>[] {
  return [...(podSpec.initContainers ?? []), ...(podSpec.containers ?? [])];
}

function hasRequestsAndLimits(resources: Record<string, any> | undefined): boolean {
  return Boolean(resources?.requests?.cpu && resources?.requests?.memory && resources?.limits?.cpu && resources?.limits?.memory);
}

/** `repo/image:tag` or `@sha256:` digest, never untagged or `latest`. */
export function isPinnedImage(image: unknown): boolean {
  if (image === UNKNOWN) return true;
  if (typeof image !== "string" || image.length === 0) return false;
  if (/@sha256:[a-f0-9]{64}$/.test(image)) return true;
  const lastSegment = image.split("/").pop() ?? "";
  const tag = lastSegment.includes(":") ? lastSegment.split(":").pop() : undefined;
  return Boolean(tag) && tag !== "latest";
}

function isPinnedVersion(version: unknown): boolean {
  return typeof version === "string" && /^v?\d+\.\d+\.\d+([-+][\w.-]+)?$/.test(version);
}

/** Every leaf path under `value` whose key looks like a credential. */
function credentialPaths(value: unknown, at: string): string[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => credentialPaths(item, `${at}[${i}]`));
  if (value === null || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([key, item]) => {
    const here = at ? `${at}.${key}` : key;
    if (typeof item === "string" && SECRET_KEY.test(key) && !item.startsWith("/")) return [here];
    return credentialPaths(item, here);
  });
}

function isSecretPath(r: PolicyResource, path: string): boolean {
  return r.secretPaths.some((secret) => path === secret || path.startsWith(`${secret}.`) || path.startsWith(`${secret}[`) || secret === "");
}

export const pinnedVersions: Policy = {
  name: "pinned-versions",
  description: "Charts, images and CRD-backed workloads use pinned versions, never latest or untagged.",
  check(r) {
    const problems: string[] = [];
    if (r.type === HELM_RELEASE) {
      if (!isPinnedVersion(r.inputs.version)) problems.push(`chart ${r.inputs.chart} has no pinned version (got ${JSON.stringify(r.inputs.version)})`);
      if (!r.inputs.repositoryOpts?.repo) problems.push(`chart ${r.inputs.chart} has no pinned repository`);
    }
    const podSpec = podSpecOf(r);
    for (const container of podSpec ? containersOf(podSpec) : []) {
      if (!isPinnedImage(container.image)) problems.push(`container ${container.name} uses unpinned image ${JSON.stringify(container.image)}`);
    }
    const crImage =
      r.type === OPENFAAS_FUNCTION ? r.inputs.spec?.image
      : r.type === CNPG_CLUSTER ? r.inputs.spec?.imageName
      : r.type === DYNAMIC && r.inputs.openfaasFunction ? r.inputs.openfaasFunction.image
      : undefined;
    if (crImage !== undefined && !isPinnedImage(crImage)) problems.push(`image ${JSON.stringify(crImage)} is not pinned`);
    // Without an image the operator picks its default PgBouncer, which changes with the operator.
    if (r.type === CNPG_POOLER) {
      for (const container of r.inputs.spec?.template?.spec?.containers ?? [{ name: "pgbouncer" }]) {
        if (!isPinnedImage(container.image)) problems.push(`Pooler container ${container.name} uses unpinned image ${JSON.stringify(container.image)}`);
      }
    }
    return problems;
  },
};

export const requestsAndLimits: Policy = {
  name: "requests-and-limits",
  description: "Every container we define has CPU and memory requests and limits.",
  check(r) {
    const problems: string[] = [];
    const podSpec = podSpecOf(r);
    for (const container of podSpec ? containersOf(podSpec) : []) {
      if (!hasRequestsAndLimits(container.resources)) problems.push(`container ${container.name} lacks cpu/memory requests or limits`);
    }
    if (r.type === CNPG_CLUSTER && !hasRequestsAndLimits(r.inputs.spec?.resources)) problems.push("Cluster lacks cpu/memory requests or limits");
    if (r.type === CNPG_POOLER) {
      const containers = r.inputs.spec?.template?.spec?.containers ?? [];
      if (containers.length === 0 || containers.some((c: Record<string, any>) => !hasRequestsAndLimits(c.resources))) problems.push("Pooler's pgbouncer container lacks requests or limits");
    }
    const fn = r.type === OPENFAAS_FUNCTION ? r.inputs.spec : r.type === DYNAMIC ? r.inputs.openfaasFunction : undefined;
    if (fn && fn !== UNKNOWN && !(fn.requests?.cpu && fn.requests?.memory && fn.limits?.cpu && fn.limits?.memory)) problems.push(`function ${fn.name ?? fn.service} lacks requests or limits`);
    return problems;
  },
};

export const nonRoot: Policy = {
  name: "non-root",
  description: "Pods we define run as a non-root user without privilege escalation.",
  check(r) {
    const podSpec = podSpecOf(r);
    if (!podSpec) return [];
    const problems: string[] = [];
    const podRunsAsNonRoot = podSpec.securityContext?.runAsNonRoot === true;
    for (const container of containersOf(podSpec)) {
      const sc = container.securityContext ?? {};
      if (!(podRunsAsNonRoot || sc.runAsNonRoot === true) || sc.runAsUser === 0) problems.push(`container ${container.name} may run as root (set runAsNonRoot)`);
      if (sc.allowPrivilegeEscalation !== false) problems.push(`container ${container.name} allows privilege escalation`);
    }
    return problems;
  },
};

export const noPlaintextSecrets: Policy = {
  name: "no-plaintext-secrets",
  description: "Secret data and credential-like values are Pulumi secrets, never plain text in state.",
  check(r) {
    const candidates =
      r.type === "kubernetes:core/v1:Secret"
        ? [...Object.keys(r.inputs.stringData ?? {}).map((k) => `stringData.${k}`), ...Object.keys(r.inputs.data ?? {}).map((k) => `data.${k}`)]
        : credentialPaths(r.inputs, "");
    return candidates.filter((path) => !isSecretPath(r, path)).map((path) => `${path} is not a Pulumi secret`);
  },
};

export const probesOnOwnWorkloads: Policy = {
  name: "probes",
  description: "Long-running workloads we define have liveness and readiness probes; functions declare health paths.",
  check(r) {
    const problems: string[] = [];
    if (LONG_RUNNING_KINDS.has(kindOf(r))) {
      for (const container of (podSpecOf(r)?.containers ?? []) as Record<string, any>[]) {
        if (!container.livenessProbe || !container.readinessProbe) problems.push(`container ${container.name} lacks a liveness or readiness probe`);
      }
    }
    if (r.type === OPENFAAS_FUNCTION) {
      const annotations = r.inputs.spec?.annotations ?? {};
      if (!annotations["com.openfaas.health.http.path"] || !annotations["com.openfaas.ready.http.path"]) problems.push("Function lacks com.openfaas.health/ready.http.path annotations");
    }
    return problems;
  },
};

export const POLICIES: Policy[] = [pinnedVersions, requestsAndLimits, nonRoot, noPlaintextSecrets, probesOnOwnWorkloads];

export function checkPolicies(resources: PolicyResource[], policies: Policy[] = POLICIES): Violation[] {
  return resources.flatMap((r) =>
    policies.flatMap((policy) => policy.check(r).map((message) => ({ policy: policy.name, resource: `${r.type} ${r.name}`, message }))),
  );
}
