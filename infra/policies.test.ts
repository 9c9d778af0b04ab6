import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkPolicies, isPinnedImage, UNKNOWN, noPlaintextSecrets, nonRoot, pinnedVersions, probesOnOwnWorkloads, requestsAndLimits, type PolicyResource } from "./policies";

const RESOURCES = { requests: { cpu: "100m", memory: "64Mi" }, limits: { cpu: "1", memory: "128Mi" } };
const SAFE = { allowPrivilegeEscalation: false };

function deployment(container: Record<string, unknown>, podSecurity: Record<string, unknown> = { runAsNonRoot: true }): PolicyResource {
  return {
    type: "kubernetes:apps/v1:Deployment",
    name: "web",
    secretPaths: [],
    inputs: { apiVersion: "apps/v1", kind: "Deployment", spec: { template: { spec: { securityContext: podSecurity, containers: [{ name: "web", ...container }] } } } },
  };
}

const GOOD_CONTAINER = {
  image: "ghcr.io/acme/web:1.2.3",
  resources: RESOURCES,
  securityContext: SAFE,
  livenessProbe: { httpGet: { path: "/healthz", port: 8080 } },
  readinessProbe: { httpGet: { path: "/readyz", port: 8080 } },
};

describe("policies", () => {
  it("accept a well-formed workload", () => {
    assert.deepEqual(checkPolicies([deployment(GOOD_CONTAINER)]), []);
  });

  it("pinned-versions: images need a tag or digest other than latest; charts a version and a repository", () => {
    assert.equal(isPinnedImage("ghcr.io/acme/web:1.2.3"), true);
    assert.equal(isPinnedImage(`ghcr.io/acme/web@sha256:${"a".repeat(64)}`), true);
    assert.equal(isPinnedImage("localhost:5000/web"), false, "a registry port is not a tag");
    assert.equal(isPinnedImage("web:latest"), false);
    assert.equal(isPinnedImage(UNKNOWN), true, "an image still to be built is judged on update, not in preview");
    assert.deepEqual(pinnedVersions.check(deployment({ ...GOOD_CONTAINER, image: "web:latest" })), ['container web uses unpinned image "web:latest"']);
    const release = { type: "kubernetes:helm.sh/v3:Release", name: "x", secretPaths: [], inputs: { chart: "openfaas", version: "" } };
    assert.deepEqual(pinnedVersions.check(release), ['chart openfaas has no pinned version (got "")', "chart openfaas has no pinned repository"]);
    const fn = { type: "kubernetes:openfaas.com/v1:Function", name: "f", secretPaths: [], inputs: { spec: { image: "acme/fn" } } };
    assert.deepEqual(pinnedVersions.check(fn), ['image "acme/fn" is not pinned']);
    const pooler = (spec: Record<string, unknown>) => ({ type: "kubernetes:postgresql.cnpg.io/v1:Pooler", name: "p", secretPaths: [], inputs: { spec } });
    assert.deepEqual(pinnedVersions.check(pooler({})), ['Pooler container pgbouncer uses unpinned image undefined']);
    assert.deepEqual(pinnedVersions.check(pooler({ template: { spec: { containers: [{ name: "pgbouncer", resources: RESOURCES }] } } })), ['Pooler container pgbouncer uses unpinned image undefined']);
    assert.deepEqual(pinnedVersions.check(pooler({ template: { spec: { containers: [{ name: "pgbouncer", image: "ghcr.io/cloudnative-pg/pgbouncer:1.25.1" }] } } })), []);
  });

  it("requests-and-limits: containers, CNPG clusters and poolers, functions", () => {
    assert.deepEqual(requestsAndLimits.check(deployment({ ...GOOD_CONTAINER, resources: { limits: RESOURCES.limits } })), ["container web lacks cpu/memory requests or limits"]);
    const cluster = { type: "kubernetes:postgresql.cnpg.io/v1:Cluster", name: "c", secretPaths: [], inputs: { spec: {} } };
    assert.deepEqual(requestsAndLimits.check(cluster), ["Cluster lacks cpu/memory requests or limits"]);
    const pooler = { type: "kubernetes:postgresql.cnpg.io/v1:Pooler", name: "p", secretPaths: [], inputs: { spec: {} } };
    assert.deepEqual(requestsAndLimits.check(pooler), ["Pooler's pgbouncer container lacks requests or limits"]);
    const ce = { type: "pulumi-nodejs:dynamic:Resource", name: "f", secretPaths: [], inputs: { openfaasFunction: { service: "fn", requests: RESOURCES.requests } } };
    assert.deepEqual(requestsAndLimits.check(ce), ["function fn lacks requests or limits"]);
  });

  it("non-root: runAsNonRoot at pod or container level, no privilege escalation", () => {
    assert.deepEqual(nonRoot.check(deployment(GOOD_CONTAINER, {})), ["container web may run as root (set runAsNonRoot)"]);
    assert.deepEqual(nonRoot.check(deployment({ ...GOOD_CONTAINER, securityContext: { runAsNonRoot: true, allowPrivilegeEscalation: false } }, {})), []);
    assert.deepEqual(nonRoot.check(deployment({ ...GOOD_CONTAINER, securityContext: { ...SAFE, runAsUser: 0 } })), ["container web may run as root (set runAsNonRoot)"]);
    assert.deepEqual(nonRoot.check(deployment({ ...GOOD_CONTAINER, securityContext: {} })), ["container web allows privilege escalation"]);
  });

  it("no-plaintext-secrets: Secret data and credential-like inputs must be Pulumi secrets", () => {
    const secret = (secretPaths: string[]) => ({ type: "kubernetes:core/v1:Secret", name: "s", secretPaths, inputs: { stringData: { password: "x", username: "u" } } });
    assert.deepEqual(noPlaintextSecrets.check(secret([])), ["stringData.password is not a Pulumi secret", "stringData.username is not a Pulumi secret"]);
    assert.deepEqual(noPlaintextSecrets.check(secret(["stringData"])), []);
    assert.deepEqual(noPlaintextSecrets.check(secret(["stringData.password"])), ["stringData.username is not a Pulumi secret"]);
    const provider = { type: "pulumi:providers:postgresql", name: "pg", secretPaths: [], inputs: { host: "db", password: "pw" } };
    assert.deepEqual(noPlaintextSecrets.check(provider), ["password is not a Pulumi secret"]);
    const values = { type: "kubernetes:helm.sh/v3:Release", name: "r", secretPaths: [], inputs: { values: { auth: { adminPassword: "pw", passwordFile: "/run/pw" } } } };
    assert.deepEqual(noPlaintextSecrets.check(values), ["values.auth.adminPassword is not a Pulumi secret"], "paths to files are not credentials");
  });

  it("probes: long-running workloads need liveness and readiness; Functions health paths", () => {
    assert.deepEqual(probesOnOwnWorkloads.check(deployment({ ...GOOD_CONTAINER, readinessProbe: undefined })), ["container web lacks a liveness or readiness probe"]);
    const job = { ...deployment(GOOD_CONTAINER), type: "kubernetes:batch/v1:Job" };
    job.inputs.spec.template.spec.containers[0].livenessProbe = undefined;
    assert.deepEqual(probesOnOwnWorkloads.check(job), [], "jobs run to completion: no probes needed");
    const fn = { type: "kubernetes:openfaas.com/v1:Function", name: "f", secretPaths: [], inputs: { spec: { annotations: {} } } };
    assert.deepEqual(probesOnOwnWorkloads.check(fn), ["Function lacks com.openfaas.health/ready.http.path annotations"]);
  });

  it("report each violation with its policy and resource", () => {
    const violations = checkPolicies([deployment({ ...GOOD_CONTAINER, image: "web" })]);
    assert.deepEqual(violations, [{ policy: "pinned-versions", resource: "kubernetes:apps/v1:Deployment web", message: 'container web uses unpinned image "web"' }]);
  });
});
