// The whole Pulumi program under mocks, for each real stack file, in preview and update modes.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { POSTGRES_IMAGE, CNPG_CHART } from "./postgres";
import { OPENFAAS_CHART } from "./openfaas";
import { checkPolicies } from "./policies";
import { hasCrdSchema, validateCustomResource } from "./testing/crd-schemas";
import {
  dependsOn,
  findResource,
  kubernetesObjects,
  resourcesOfType,
  runStack,
  runStackOk,
  stackNames,
  TEST_SECRETS,
  type StackRunResult,
} from "./testing/harness";
import { startFakeGateway } from "./testing/fake-gateway";
import { isBuiltInKind, validateKubernetesObject } from "./testing/kubernetes-schema";

const FUNCTION_CR = "kubernetes:openfaas.com/v1:Function";
const DYNAMIC = "pulumi-nodejs:dynamic:Resource";
const RELEASE = "kubernetes:helm.sh/v3:Release";
const CLUSTER = "kubernetes:postgresql.cnpg.io/v1:Cluster";

const runs = new Map<string, StackRunResult>();
const run = (stack: string, mode: "preview" | "update") => runs.get(`${stack}/${mode}`) as StackRunResult;

before(async () => {
  const all = stackNames().flatMap((stack) => (["preview", "update"] as const).map((mode) => ({ stack, mode })));
  const results = await Promise.all(all.map(({ stack, mode }) => runStackOk({ stack, preview: mode === "preview", secrets: TEST_SECRETS })));
  all.forEach(({ stack, mode }, i) => runs.set(`${stack}/${mode}`, results[i]));
});

for (const stack of ["dev", "prod"]) {
  for (const mode of ["preview", "update"] as const) {
    describe(`stack ${stack} (${mode})`, () => {
      it("validates every built-in Kubernetes object against the Kubernetes schema", () => {
        const objects = kubernetesObjects(run(stack, mode)).filter((r) => isBuiltInKind(r.inputs.apiVersion, r.inputs.kind));
        assert.ok(objects.length >= 10, `found only ${objects.length} objects`);
        for (const r of objects) assert.doesNotThrow(() => validateKubernetesObject(r.inputs, r.unknownPaths), `${r.type} ${r.name}`);
      });

      it("validates every custom resource against its CRD schema, and knows them all", () => {
        const custom = kubernetesObjects(run(stack, mode)).filter((r) => !isBuiltInKind(r.inputs.apiVersion, r.inputs.kind));
        assert.ok(custom.length >= 3);
        for (const r of custom) {
          assert.ok(hasCrdSchema(r.inputs.apiVersion, r.inputs.kind), `no schema for ${r.type}`);
          validateCustomResource(r.inputs, r.unknownPaths);
          const podSpec = r.inputs.spec?.template?.spec; // Pooler templates hold real containers
          if (podSpec) validateKubernetesObject({ apiVersion: "v1", kind: "Pod", metadata: { name: "template" }, spec: podSpec });
        }
      });

      it("passes every policy", () => {
        assert.deepEqual(checkPolicies(run(stack, mode).resources), []);
      });

      it("parents every resource under a component or the stack", () => {
        const result = run(stack, mode);
        const urns = new Set(result.resources.map((r) => r.urn));
        for (const r of result.resources.filter((r) => r.type !== "pulumi:pulumi:Stack")) {
          assert.ok(r.parent && urns.has(r.parent), `${r.type} ${r.name} has no known parent`);
        }
      });

      it("runs the migrations after the cluster is ready and deploys the function after them", () => {
        const result = run(stack, mode);
        const cluster = findResource(result, CLUSTER, "postgres-cluster");
        assert.equal(cluster.inputs.metadata.annotations["pulumi.com/waitFor"], "condition=Ready");
        const job = findResource(result, "kubernetes:batch/v1:Job", "postgres-migrations");
        assert.ok(dependsOn(result, job, cluster));
        assert.deepEqual(job.inputs.spec.template.spec.containers[0].command, ["node", "dist/migrate.js"]);
        // Where Argo CD owns the Function, the Application that delivers it is what must wait.
        const fn = result.resources.find((r) => r.type === FUNCTION_CR || r.type === DYNAMIC || r.type === "kubernetes:argoproj.io/v1alpha1:Application");
        assert.ok(fn && dependsOn(result, fn, job), "the function waits for the migrations");
      });

      it("gives the function its DSN Secret through the poolers (contracts.md)", () => {
        const secret = findResource(run(stack, mode), "kubernetes:core/v1:Secret", "postgres-function-db");
        assert.equal(secret.inputs.metadata.name, "ner-processor-db");
        assert.equal(secret.inputs.metadata.namespace, "openfaas-fn");
        assert.ok(secret.secretPaths.includes("stringData"));
        if (mode === "preview") {
          // The generated password is not known before `pulumi up`, so neither are the DSNs.
          assert.deepEqual(secret.unknownPaths, ["stringData"]);
          return;
        }
        assert.match(secret.inputs.stringData["db-primary-dsn"], /^postgresql:\/\/ner_writer:[^@]+@nlp-pg-pooler-rw\.nlp-db\.svc\.cluster\.local:5432\/nlp\?sslmode=require$/);
        assert.match(secret.inputs.stringData["db-replica-dsn"], /@nlp-pg-pooler-ro\./);
      });

      it("pins the charts and the database image", () => {
        const result = run(stack, mode);
        const openfaas = findResource(result, RELEASE, "openfaas");
        assert.deepEqual([openfaas.inputs.chart, openfaas.inputs.version, openfaas.inputs.repositoryOpts.repo], [OPENFAAS_CHART.chart, "15.0.6", OPENFAAS_CHART.repo]);
        assert.equal(findResource(result, RELEASE, "postgres-operator").inputs.version, CNPG_CHART.version);
        assert.equal(findResource(result, CLUSTER, "postgres-cluster").inputs.spec.imageName, POSTGRES_IMAGE);
        assert.equal(openfaas.inputs.values.generateBasicAuth, false);
      });

      it("exports the gateway URL and ready-to-paste curl commands", () => {
        const { outputs } = run(stack, mode);
        assert.match(String(outputs.functionUrl), /^https?:\/\/[^/]+\/function\/ner-processor$/);
        assert.equal(outputs.curlSync, `curl -sS -X POST ${outputs.functionUrl} -H 'Content-Type: application/json' -d '{"text":"Barack Obama visited Paris with @WHO on Monday"}'`);
        assert.match(String(outputs.curlAsync), /-X POST https?:\/\/[^/]+\/async-function\/ner-processor .*X-Callback-Url/);
      });
    });
  }
}

describe("preview versus update", () => {
  it("leaves unknown in preview only what cannot be known before `pulumi up`: image and passwords", () => {
    for (const stack of ["dev", "prod"]) {
      const unknown = run(stack, "preview").resources.flatMap((r) => r.unknownPaths.map((p) => `${r.type.split(":").pop()} ${r.name} ${p}`));
      // prod: Argo CD deploys the Function; the image reaches it through the Application's override.
      const fn = stack === "dev" ? "Resource ner-processor openfaasFunction.image" : "Application argocd-application spec.source.kustomize.images[0]";
      for (const expected of [fn, "Job postgres-migrations spec.template.spec.containers[0].image", "Job postgres-migrations metadata.name", "Secret postgres-function-db stringData"]) {
        assert.ok(unknown.includes(expected), `${stack}: ${expected} should be unknown in preview; unknown: ${unknown.join(", ")}`);
      }
      assert.deepEqual(run(stack, "update").resources.flatMap((r) => r.unknownPaths), [], "everything is known on update");
    }
  });
});

describe("per-stack differences", () => {
  it("dev: CE, 1 primary + 1 replica, function through the REST provider capped at 5 replicas", () => {
    const dev = run("dev", "update");
    const cluster = findResource(dev, CLUSTER, "postgres-cluster");
    assert.equal(cluster.inputs.spec.instances, 2);
    assert.equal(cluster.inputs.spec.affinity.podAntiAffinityType, "preferred");
    assert.equal(resourcesOfType(dev, FUNCTION_CR).length, 0, "CE has no Function CRD");
    const fn = findResource(dev, DYNAMIC, "ner-processor");
    assert.ok(typeof fn.inputs.__provider === "string" && fn.inputs.__provider.includes("system/functions"), "the provider serialized");
    assert.equal(fn.inputs.openfaasFunction.labels["com.openfaas.scale.max"], "5");
    assert.equal(fn.inputs.openfaasFunction.labels["com.my-app.service"], "nlp-pipeline");
    assert.equal(fn.inputs.gatewayUrl, "http://127.0.0.1:31112");
    assert.ok(fn.secretPaths.includes("password"));
    const values = findResource(dev, RELEASE, "openfaas").inputs.values;
    assert.equal(values.openfaasPro, false);
    assert.equal(values.operator.create, false, "operator.create fails the CE install");
    assert.equal(values.queueWorker.maxInflight, 1);
    assert.equal(values.jetstreamQueueWorker, undefined);
    assert.equal(resourcesOfType(dev, "kubernetes:core/v1:Secret").some((s) => s.inputs.metadata.name === "openfaas-license"), false);
  });

  it("prod: Standard with license, 1 primary + 2 replicas across zones, Function via Argo CD, JetStream queue scaling", () => {
    const prod = run("prod", "update");
    const spec = findResource(prod, CLUSTER, "postgres-cluster").inputs.spec;
    assert.equal(spec.instances, 3);
    assert.deepEqual(spec.affinity, { enablePodAntiAffinity: true, topologyKey: "topology.kubernetes.io/zone", podAntiAffinityType: "required" });
    assert.equal(spec.storage.size, "100Gi");
    assert.equal(spec.walStorage.size, "20Gi");
    // Argo CD owns prod's Function (nlp-pipeline:argocd): Pulumi hands out its manifest and creates none.
    assert.equal(prod.outputs.functionOwner, "argocd");
    assert.equal(resourcesOfType(prod, FUNCTION_CR).length, 0);
    const fn = (prod.outputs.functionManifest as { spec: Record<string, any> }).spec;
    assert.equal(fn.labels["com.openfaas.scale.max"], "20");
    assert.equal(fn.labels["com.openfaas.scale.type"], "queue");
    assert.equal(fn.readOnlyRootFilesystem, true);
    assert.equal(fn.environment.DB_PRIMARY_DSN_FILE, "/var/openfaas/secrets/db-primary-dsn");
    assert.equal(resourcesOfType(prod, DYNAMIC).length, 0);
    const values = findResource(prod, RELEASE, "openfaas").inputs.values;
    assert.equal(values.openfaasPro, true);
    assert.equal(values.jetstreamQueueWorker.mode, "function");
    assert.equal(values.queueWorker.ackWait, "120s");
    assert.equal(values.ingress.hosts[0].host, "gateway.nlp.example.com");
    const license = findResource(prod, "kubernetes:core/v1:Secret", "openfaas-license");
    assert.equal(license.inputs.stringData.license, TEST_SECRETS["nlp-pipeline:openfaasLicenseKey"]);
    assert.ok(license.secretPaths.includes("stringData"));
    assert.equal(resourcesOfType(prod, "kubernetes:postgresql.cnpg.io/v1:Pooler").every((p) => p.inputs.spec.instances === 2), true);
  });

  it("serializes the CE provider so that Pulumi's dynamic-provider host can load and run it", async () => {
    const fn = findResource(run("dev", "update"), DYNAMIC, "ner-processor");
    // The host (@pulumi/pulumi/cmd/dynamic-provider) loads `__provider` with require-from-string.
    const requireFromString = require(require.resolve("require-from-string", { paths: [require.resolve("@pulumi/pulumi")] }));
    const provider = requireFromString(fn.inputs.__provider).handler();
    const gateway = await startFakeGateway({ username: fn.inputs.username, password: fn.inputs.password });
    try {
      const { __provider, ...inputs } = fn.inputs;
      const created = await provider.create({ ...inputs, gatewayUrl: gateway.url });
      assert.equal(created.id, "openfaas-fn/ner-processor");
      assert.equal(gateway.functions.get("openfaas-fn/ner-processor")?.envVars.DB_PRIMARY_DSN_FILE, "/var/openfaas/secrets/db-primary-dsn");
    } finally {
      await gateway.close();
    }
  });

  it("builds the image under a content-hash tag and deploys it by digest", () => {
    const dev = run("dev", "update");
    const image = findResource(dev, "docker-build:index:Image", "ner-processor-image");
    assert.match(image.inputs.tags[0], /^ghcr\.io\/acme\/ner-processor:[0-9a-f]{16}$/);
    assert.ok(image.inputs.dockerfile.location.endsWith("function/Dockerfile"));
    assert.ok(image.secretPaths.some((p) => p.startsWith("registries")), "the registry password stays secret");
    assert.equal(String(dev.outputs.functionImage), `${image.inputs.tags[0]}@sha256:${"0".repeat(64)}`);
  });
});

describe("stack variants", () => {
  it("leaves the Function to Argo CD on Standard with argocd enabled, and still hands out its manifest", async () => {
    const result = await runStackOk({
      stack: "prod",
      preview: false,
      secrets: TEST_SECRETS,
      config: { "nlp-pipeline:argocd": { enabled: true }, "nlp-pipeline:image": { pullSecret: "regcred" } },
    });
    const pullSecret = findResource(result, "kubernetes:core/v1:ServiceAccountPatch", "openfaas-function-pull-secret");
    assert.deepEqual(pullSecret.inputs.imagePullSecrets, [{ name: "regcred" }], "private images on Standard: the function namespace's default ServiceAccount");
    validateKubernetesObject(pullSecret.inputs);
    assert.equal(resourcesOfType(result, FUNCTION_CR).length, 0);
    assert.equal(resourcesOfType(result, DYNAMIC).length, 0);
    assert.equal(result.outputs.functionOwner, "argocd");
    assert.equal((result.outputs.functionManifest as { kind: string }).kind, "Function");
  });

  it("deploys a pinned image without building, and manages analyst grants only with a reachable endpoint", async () => {
    const result = await runStackOk({
      stack: "dev",
      preview: false,
      secrets: { ...TEST_SECRETS, "nlp-pipeline:databaseAdminPassword": "admin-pw" },
      config: {
        "nlp-pipeline:image": { pinned: "ghcr.io/acme/ner-processor:1.4.2", registry: null },
        "nlp-pipeline:database": { adminEndpoint: { host: "10.0.0.12", port: 5432 } },
      },
    });
    assert.equal(resourcesOfType(result, "docker-build:index:Image").length, 0);
    assert.equal(result.outputs.functionImage, "ghcr.io/acme/ner-processor:1.4.2");
    const provider = findResource(result, "pulumi:providers:postgresql", "analyst-access-provider");
    assert.equal(provider.inputs.host, "10.0.0.12");
    assert.ok(provider.secretPaths.includes("password"));
    assert.equal(findResource(result, "postgresql:index/role:Role", "analyst-access-reader").inputs.login, false);
    const grant = findResource(result, "postgresql:index/grant:Grant", "analyst-access-select");
    assert.deepEqual([grant.inputs.objectType, grant.inputs.schema, grant.inputs.privileges], ["table", "public", ["SELECT"]]);
    const spec = findResource(result, CLUSTER, "postgres-cluster").inputs.spec;
    assert.deepEqual(spec.managed.roles.find((r: { name: string }) => r.name === "analyst_dev").inRoles, ["analytics_reader"]);
    assert.equal(spec.enableSuperuserAccess, true);
    assert.deepEqual(checkPolicies(result.resources), []);
  });

  it("by default connects to no database from outside: analysts read through pg_read_all_data", () => {
    const dev = run("dev", "update");
    assert.equal(dev.resources.some((r) => r.type.startsWith("postgresql:") || r.type === "pulumi:providers:postgresql"), false);
    const roles = findResource(dev, CLUSTER, "postgres-cluster").inputs.spec.managed.roles;
    assert.deepEqual(roles.find((r: { name: string }) => r.name === "analyst_dev").inRoles, ["pg_read_all_data"]);
    assert.equal(findResource(dev, CLUSTER, "postgres-cluster").inputs.spec.enableSuperuserAccess, false);
  });

  it("rejects invalid config through the real runtime, naming the key and the fix", async () => {
    const ce = await runStack({ stack: "dev", preview: true, secrets: TEST_SECRETS, config: { "nlp-pipeline:function": { scaling: { max: 20 } } } });
    assert.match(ce.error ?? "", /nlp-pipeline:function\.scaling\.max: is 20, but OpenFaaS Community Edition caps every function at 5 replicas\. Fix: /);
    assert.equal(ce.resources.filter((r) => r.custom).length, 0, "nothing is created from an invalid config");
    const noLicense = await runStack({ stack: "prod", preview: true, secrets: { "nlp-pipeline:registryPassword": "x" }, config: { "nlp-pipeline:functon": { timeout: "30s" } } });
    assert.match(noLicense.error ?? "", /nlp-pipeline:functon: is not a known setting/);
    assert.match(noLicense.error ?? "", /nlp-pipeline:openfaasLicenseKey: is required .* pulumi config set --secret openfaasLicenseKey/);
  });
});
