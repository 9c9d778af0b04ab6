import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { deepMerge, projectNodeArgs, readProject, readStackConfig } from "./stack-config";
import { REPO_ROOT, runStack, stackNames, TEST_SECRETS } from "./harness";

describe("offline stack harness", () => {
  it("finds the real stack files", () => {
    assert.deepEqual(stackNames(), ["dev", "prod"]);
  });

  it("feeds the stack file, patches and secrets to setAllConfig", () => {
    const { project, main, config, secretKeys } = readStackConfig({
      repoRoot: REPO_ROOT,
      stack: "dev",
      config: { "nlp-pipeline:function": { scaling: { max: 3 }, logLevel: null } },
      secrets: { "nlp-pipeline:registryPassword": "s3cret" },
    });
    assert.equal(project, "nlp-pipeline");
    assert.equal(main, "infra/");
    const fn = JSON.parse(config["nlp-pipeline:function"]);
    assert.equal(fn.scaling.max, 3);
    assert.equal(fn.scaling.min, 1, "untouched keys survive the merge");
    assert.equal("logLevel" in fn, false, "null removes a key");
    assert.equal(config["nlp-pipeline:registryPassword"], "s3cret");
    assert.deepEqual(secretKeys, ["nlp-pipeline:registryPassword"]);
  });

  it("runs TypeScript the way the project file tells Pulumi to: tsx, installed at the repository root", () => {
    assert.deepEqual(readProject(REPO_ROOT).runtime, { name: "nodejs", options: { typescript: false, nodeargs: "--import tsx", packagemanager: "npm" } });
    assert.deepEqual(projectNodeArgs(REPO_ROOT), ["--import", "tsx"]);
    assert.ok(require.resolve("tsx", { paths: [REPO_ROOT] }));
  });

  it("deep-merges objects and replaces arrays and scalars", () => {
    assert.deepEqual(deepMerge({ a: { b: 1, c: [1, 2] }, d: 1 }, { a: { c: [3] }, d: null, e: "x" }), { a: { b: 1, c: [3] }, e: "x" });
  });

  it("isolates runs: parallel runs with different config see only their own config", async () => {
    const [dev, prod, broken] = await Promise.all([
      runStack({ stack: "dev", preview: true, secrets: TEST_SECRETS }),
      runStack({ stack: "prod", preview: false, secrets: TEST_SECRETS }),
      runStack({ stack: "dev", preview: true, secrets: TEST_SECRETS, config: { "nlp-pipeline:openfaas": { edition: "enterprise" } } }),
    ]);
    assert.equal(dev.error, undefined);
    assert.equal(dev.outputs.openfaasEdition, "ce");
    assert.equal(prod.error, undefined);
    assert.equal(prod.outputs.openfaasEdition, "standard");
    assert.equal(prod.preview, false);
    assert.ok(dev.resources.some((r) => r.type === "pulumi:pulumi:Stack" && r.name === "nlp-pipeline-dev"));
    assert.match(broken.error ?? "", /nlp-pipeline:openfaas\.edition: got "enterprise", expected one of ce, standard/);
  });
});
