import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { functionDeployment, functionSpec, SERVICE_LABEL, type FunctionSpecArgs } from "./function-spec";

const ARGS: FunctionSpecArgs = {
  name: "ner-processor",
  image: "ghcr.io/acme/ner-processor:1.0.0",
  edition: "ce",
  scaling: { min: 1, max: 5, factor: 20, type: "rps", target: 50 },
  resources: { requests: { cpu: "100m", memory: "192Mi" }, limits: { cpu: "1", memory: "512Mi" } },
  timeout: "60s",
  maxInflight: 50,
  logLevel: "info",
  dbPoolMax: 5,
  dbSecretName: "ner-processor-db",
};

describe("functionSpec", () => {
  it("carries the service label, scaling labels, watchdog env and the DSN files (contracts.md)", () => {
    const spec = functionSpec(ARGS);
    assert.equal(spec.labels["com.my-app.service"], SERVICE_LABEL["com.my-app.service"]);
    assert.deepEqual(
      [spec.labels["com.openfaas.scale.min"], spec.labels["com.openfaas.scale.max"], spec.labels["com.openfaas.scale.factor"]],
      ["1", "5", "20"],
    );
    assert.equal(spec.environment.exec_timeout, "60s");
    assert.equal(spec.environment.max_inflight, "50");
    assert.equal(spec.environment.DB_REPLICA_DSN_FILE, "/var/openfaas/secrets/db-replica-dsn");
    assert.deepEqual(spec.secrets, ["ner-processor-db"]);
    assert.equal(spec.readOnlyRootFilesystem, true);
  });

  it("adds Standard-only scaling type and health annotations, and leaves them out on CE", () => {
    const ce = functionSpec(ARGS);
    assert.equal(ce.labels["com.openfaas.scale.type"], undefined);
    assert.deepEqual(ce.annotations, {});
    const standard = functionSpec({ ...ARGS, edition: "standard", scaling: { ...ARGS.scaling, type: "queue", max: 20 } });
    assert.equal(standard.labels["com.openfaas.scale.type"], "queue");
    assert.equal(standard.labels["com.openfaas.scale.zero"], "false");
    assert.equal(standard.annotations["com.openfaas.ready.http.path"], "/_/ready");
  });

  it("maps onto the REST deployment body", () => {
    const body = functionDeployment(functionSpec(ARGS), "openfaas-fn");
    assert.equal(body.service, "ner-processor");
    assert.equal(body.namespace, "openfaas-fn");
    assert.equal(body.envVars.LOG_LEVEL, "info");
    assert.deepEqual(body.limits, ARGS.resources.limits);
  });
});
