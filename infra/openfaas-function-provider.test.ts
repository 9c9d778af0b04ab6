import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { FunctionDeployment } from "./function-spec";
import { gatewayFunctionProvider as provider, type GatewayFunctionInputs } from "./openfaas-function-provider";
import { startFakeGateway, type FakeGateway } from "./testing/fake-gateway";

const CREDENTIALS = { username: "admin", password: "gateway-password" };

function fn(overrides: Partial<FunctionDeployment> = {}): FunctionDeployment {
  return {
    service: "ner-processor",
    image: "ghcr.io/acme/ner-processor:abc123",
    namespace: "openfaas-fn",
    envVars: { max_inflight: "50" },
    secrets: ["ner-processor-db"],
    labels: { "com.openfaas.scale.max": "5" },
    annotations: {},
    requests: { cpu: "100m", memory: "192Mi" },
    limits: { cpu: "1", memory: "512Mi" },
    readOnlyRootFilesystem: true,
    ...overrides,
  };
}

describe("CE gateway function provider against a local gateway", () => {
  let gateway: FakeGateway;
  let inputs: (f?: FunctionDeployment) => GatewayFunctionInputs;
  before(async () => {
    gateway = await startFakeGateway(CREDENTIALS);
    inputs = (f = fn()) => ({ gatewayUrl: `${gateway.url}/`, ...CREDENTIALS, openfaasFunction: f, retryDelayMs: 5 });
  });
  after(() => gateway.close());

  it("creates, updates, reads and deletes the function", async () => {
    const created = await provider.create!(inputs());
    assert.equal(created.id, "openfaas-fn/ner-processor");
    assert.equal(gateway.functions.get("openfaas-fn/ner-processor")?.image, "ghcr.io/acme/ner-processor:abc123");

    const next = inputs(fn({ image: "ghcr.io/acme/ner-processor:def456" }));
    await provider.update!(created.id, inputs(), next);
    assert.equal(gateway.functions.get("openfaas-fn/ner-processor")?.image, "ghcr.io/acme/ner-processor:def456");
    assert.deepEqual(await provider.read!(created.id, next), { id: created.id, props: next });

    await provider.delete!(created.id, next);
    assert.equal(gateway.functions.size, 0);
    assert.deepEqual(await provider.read!(created.id, next), { id: "", props: next }, "read reports a function removed out of band");
  });

  it("diffs: no change, update in place, replace on a new name", async () => {
    assert.deepEqual(await provider.diff!("id", inputs(), inputs()), { changes: false, replaces: [], deleteBeforeReplace: true });
    const scaled = await provider.diff!("id", inputs(), inputs(fn({ labels: { "com.openfaas.scale.max": "4" } })));
    assert.equal(scaled.changes, true);
    assert.deepEqual(scaled.replaces, []);
    const renamed = await provider.diff!("id", inputs(), inputs(fn({ service: "ner-processor-2" })));
    assert.deepEqual(renamed.replaces, ["openfaasFunction.service"]);
  });

  it("adopts a function that already exists on create, and redeploys one deleted out of band on update", async () => {
    gateway.functions.set("openfaas-fn/ner-processor", fn({ image: "old:1" }));
    await provider.create!(inputs());
    assert.equal(gateway.functions.get("openfaas-fn/ner-processor")?.image, "ghcr.io/acme/ner-processor:abc123");
    gateway.functions.clear();
    await provider.update!("openfaas-fn/ner-processor", inputs(), inputs());
    assert.equal(gateway.functions.size, 1);
    await provider.delete!("openfaas-fn/ner-processor", inputs());
    await provider.delete!("openfaas-fn/ner-processor", inputs()); // already gone: still fine
  });

  it("fails with a clear message on wrong credentials, without retrying", async () => {
    const before = gateway.calls.length;
    await assert.rejects(provider.create!({ ...inputs(), password: "wrong" }), /rejected the credentials \(401\).*basic-auth Secret/);
    assert.equal(gateway.calls.length - before, 1);
  });

  it("reports the gateway's error for a bad request", async () => {
    await assert.rejects(provider.create!(inputs(fn({ image: "" }))), (err: Error & { status?: number }) => {
      assert.match(err.message, /Deployment of function ner-processor failed: HTTP 400 service and image are required/);
      assert.equal(err.status, 400);
      return true;
    });
    gateway.failNext("DELETE", 500);
    gateway.functions.set("openfaas-fn/ner-processor", fn());
    await assert.rejects(provider.delete!("x", inputs()), /Removal of function ner-processor failed: HTTP 500 injected failure/);
    gateway.functions.clear();
  });

  it("retries while the gateway is starting (503) and then succeeds", async () => {
    gateway.failNext("POST", 503, 2);
    await provider.create!(inputs());
    assert.equal(gateway.functions.size, 1);
    await provider.delete!("x", inputs());
  });

  it("gives up on an unreachable gateway with a hint", async () => {
    const closed = await startFakeGateway(CREDENTIALS);
    await closed.close();
    await assert.rejects(
      provider.create!({ ...inputs(), gatewayUrl: closed.url }),
      /is not reachable from this machine after 5 attempts.*openfaas\.deployGatewayUrl/,
    );
  });
});
