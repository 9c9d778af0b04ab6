import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { gatewayUrl, openfaasValues, type OpenFaasArgs } from "./openfaas";

const RESOURCES = { requests: { cpu: "50m", memory: "64Mi" }, limits: { cpu: "500m", memory: "256Mi" } };
const ARGS: OpenFaasArgs = {
  namespace: "openfaas",
  functionNamespace: "openfaas-fn",
  edition: "ce",
  exposure: { type: "NodePort", host: "127.0.0.1", nodePort: 31112 },
  functionTimeout: "60s",
  queue: { ackWait: "90s", maxInflight: 1, workers: 1 },
  gatewayResources: RESOURCES,
  operatorResources: RESOURCES,
};

describe("OpenFaaS chart values and URLs", () => {
  it("derives the gateway URL from the exposure", () => {
    assert.equal(gatewayUrl("openfaas", ARGS.exposure), "http://127.0.0.1:31112");
    assert.equal(gatewayUrl("openfaas", { type: "LoadBalancer", host: "10.1.2.3", nodePort: 31112 }), "http://10.1.2.3:8080");
    assert.equal(gatewayUrl("openfaas", { type: "Ingress", host: "gw.example.com", nodePort: 31112, tlsSecretName: "tls" }), "https://gw.example.com");
    assert.equal(gatewayUrl("of", { type: "ClusterIP", nodePort: 31112 }), "http://gateway.of.svc.cluster.local:8080");
  });

  it("lets the gateway outlast the function and exposes it as configured", () => {
    const values = openfaasValues(ARGS) as Record<string, any>;
    assert.deepEqual([values.gateway.upstreamTimeout, values.gateway.readTimeout, values.gateway.writeTimeout], ["60s", "65s", "65s"]);
    assert.deepEqual([values.exposeServices, values.serviceType, values.gateway.nodePort], [true, "NodePort", 31112]);
    assert.equal(values.ingress.enabled, false);
    assert.deepEqual(values.queueWorker, { replicas: 1, ackWait: "90s", maxInflight: 1 });
  });

  it("turns on the Pro operator, autoscaler and the per-function JetStream queue only for Standard", () => {
    const ce = openfaasValues(ARGS) as Record<string, any>;
    const standard = openfaasValues({ ...ARGS, edition: "standard", queue: { ackWait: "120s", maxInflight: 20, workers: 2 } }) as Record<string, any>;
    assert.deepEqual([ce.openfaasPro, ce.operator.create, ce.autoscaler.enabled, ce.jetstreamQueueWorker], [false, false, false, undefined]);
    assert.deepEqual([standard.openfaasPro, standard.operator.create, standard.autoscaler.enabled], [true, true, true]);
    assert.deepEqual(standard.jetstreamQueueWorker, { mode: "function" }, "a consumer per function: what queue-based scaling reads");
    assert.equal(standard.queueWorkerPro.maxInflight, 20);
  });

  it("configures an Ingress with TLS when asked", () => {
    const values = openfaasValues({ ...ARGS, exposure: { type: "Ingress", host: "gw.example.com", nodePort: 31112, ingressClassName: "nginx", tlsSecretName: "gw-tls" } }) as Record<string, any>;
    assert.equal(values.exposeServices, false);
    assert.equal(values.ingress.ingressClassName, "nginx");
    assert.deepEqual(values.ingress.tls, [{ secretName: "gw-tls", hosts: ["gw.example.com"] }]);
  });
});
