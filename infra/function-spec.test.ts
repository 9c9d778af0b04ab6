import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { functionDeployment, functionSpec, SERVICE_LABEL } from "./function-spec";
import { SAMPLE_FUNCTION_ARGS } from "./testing/fixtures";

const ARGS = SAMPLE_FUNCTION_ARGS;

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
