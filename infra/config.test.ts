import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ConfigError, durationSeconds, parseConfig, unwrapSecrets } from "./config";

const NO_SECRETS = { openfaasLicenseKey: false, registryPassword: false, databaseAdminPassword: false };
// CE deploys through the gateway REST API, so the gateway must be reachable from `pulumi up`.
const GW = { deployGatewayUrl: "http://127.0.0.1:8080" };
const BASE = { image: { repository: "ghcr.io/acme/ner-processor" }, openfaas: GW };

function problems(raw: Record<string, unknown>, secrets = NO_SECRETS): string[] {
  try {
    parseConfig("test", raw, secrets);
  } catch (err) {
    assert.ok(err instanceof ConfigError);
    return err.problems;
  }
  return [];
}

describe("parseConfig", () => {
  it("fills defaults: CE, 1 primary + 1 replica, CE scaling ceiling", () => {
    const config = parseConfig("dev", BASE, NO_SECRETS);
    assert.equal(config.openfaas.edition, "ce");
    assert.equal(config.database.instances, 2);
    assert.deepEqual(config.function.scaling, { min: 1, max: 5, factor: 20, type: "rps", target: 50 });
    assert.equal(config.namespaces.functions, "openfaas-fn");
  });

  it("names the key and the fix for a bad value", () => {
    const [problem] = problems({ ...BASE, database: { instances: "three" } });
    assert.equal(problem, `nlp-pipeline:database.instances: got "three", expected an integer from 1 to 9. Fix: pulumi config set --path 'database.instances' 2`);
  });

  it("reports every problem at once", () => {
    const found = problems({ ...BASE, openfaas: { ...GW, edition: "pro", exposure: { type: "LoadBalancer" } }, function: { logLevel: "loud" } });
    assert.equal(found.length, 3);
    assert.match(found.join("\n"), /openfaas\.edition/);
    assert.match(found.join("\n"), /openfaas\.exposure\.host: is required with exposure type LoadBalancer/);
    assert.match(found.join("\n"), /function\.logLevel/);
  });

  it("enforces the Community Edition limits and says why", () => {
    const found = problems({
      ...BASE,
      openfaas: { ...GW, edition: "ce", queue: { maxInflight: 4 } },
      function: { scaling: { min: 0, max: 6, type: "queue" } },
      image: { repository: "ghcr.io/acme/ner-processor", pullSecret: "regcred" },
    });
    const text = found.join("\n");
    assert.match(text, /function\.scaling\.max: is 6, but OpenFaaS Community Edition caps every function at 5 replicas/);
    assert.match(text, /function\.scaling\.min: is 0, but OpenFaaS Community Edition has no scale to zero/);
    assert.match(text, /function\.scaling\.type: is queue, but OpenFaaS Community Edition only scales on requests per second/);
    assert.match(text, /image\.pullSecret: is set, but OpenFaaS Community Edition pulls function images anonymously/);
    assert.match(text, /openfaas\.queue\.maxInflight: is 4, but .* one message at a time/);
  });

  it("requires a gateway reachable from `pulumi up` for the CE deploy path", () => {
    assert.match(problems({ image: BASE.image })[0], /openfaas\.deployGatewayUrl: is required with edition ce and ClusterIP exposure.*kubectl port-forward/);
    assert.deepEqual(problems({ image: BASE.image, openfaas: { exposure: { type: "NodePort", host: "127.0.0.1" } } }), []);
  });

  it("allows Standard's wider limits only with a license secret", () => {
    const raw = { ...BASE, openfaas: { ...GW, edition: "standard" }, function: { scaling: { min: 0, max: 20, type: "queue" } } };
    assert.match(problems(raw).join("\n"), /openfaasLicenseKey: is required with openfaas\.edition standard.*pulumi config set --secret openfaasLicenseKey/);
    const config = parseConfig("prod", raw, { ...NO_SECRETS, openfaasLicenseKey: true });
    assert.equal(config.function.scaling.max, 20);
  });

  it("requires the queue's ack wait to outlast the function timeout", () => {
    assert.match(problems({ ...BASE, openfaas: { ...GW, queue: { ackWait: "60s" } }, function: { timeout: "60s" } })[0], /openfaas\.queue\.ackWait: 60s must be longer than function\.timeout \(60s\).*ackWait' 90s/);
  });

  it("rejects a latest image pin and a missing repository", () => {
    assert.match(problems({ image: { pinned: "ghcr.io/acme/ner-processor:latest" } })[0], /image\.pinned: must not use the mutable tag latest/);
    assert.match(problems({ openfaas: GW, image: { pinned: "ghcr.io/acme/ner-processor" } })[0], /image\.pinned: got "ghcr\.io\/acme\/ner-processor", expected a value matching/, "untagged means latest");
    assert.deepEqual(problems({ openfaas: GW, image: { pinned: `localhost:5000/ner-processor@sha256:${"a".repeat(64)}` } }), []);
    assert.match(problems({ openfaas: GW })[0], /image\.repository: is required unless image\.pinned/);
    assert.deepEqual(problems({ openfaas: GW, image: { pinned: "ghcr.io/acme/ner-processor:1.2.3" } }), []);
  });

  it("requires the registry password and the database admin password as secrets when their features are on", () => {
    const text = problems({ ...BASE, image: { ...BASE.image, registry: { server: "ghcr.io", username: "acme" } }, database: { adminEndpoint: { host: "10.0.0.12" } } }).join("\n");
    assert.match(text, /registryPassword: is required when image\.registry is set.*--secret/);
    assert.match(text, /databaseAdminPassword: is required when database\.adminEndpoint is set.*--secret/);
  });

  it("rejects min above max and a pool too large for max_connections", () => {
    const text = problems({ ...BASE, function: { scaling: { min: 4, max: 3 } }, database: { pooler: { defaultPoolSize: 50, instances: 2 } } }).join("\n");
    assert.match(text, /function\.scaling\.min: 4 is above function\.scaling\.max \(3\)/);
    assert.match(text, /database\.pooler\.defaultPoolSize: 50 x 2 pooler instances = 100 server connections, which leaves fewer than 10 of max_connections \(100\)/);
  });

  it("unwraps secrets wrapped by Pulumi's mock runtime before validating", () => {
    const wrapped = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: "standard" };
    assert.equal(unwrapSecrets(wrapped), "standard");
    const config = parseConfig("x", { ...BASE, openfaas: { ...GW, edition: wrapped } }, { ...NO_SECRETS, openfaasLicenseKey: true });
    assert.equal(config.openfaas.edition, "standard");
  });

  it("reports misspelt keys instead of ignoring them", () => {
    assert.deepEqual(problems({ ...BASE, function: { scaling: { mx: 3 } }, databse: { instances: 3 } }), [
      "nlp-pipeline:function.scaling.mx: is not a known setting. Fix: check the spelling against docs/deploy.md, or remove it with `pulumi config rm --path 'function.scaling.mx'`",
      "nlp-pipeline:databse.instances: is not a known setting. Fix: check the spelling against docs/deploy.md, or remove it with `pulumi config rm --path 'databse.instances'`",
    ]);
    assert.deepEqual(problems({ ...BASE, database: { parameters: { work_mem: "16MB" }, analysts: ["a"] } }), [], "free-form maps and lists are read whole");
  });

  it("needs both registry server and username", () => {
    assert.match(problems({ ...BASE, image: { ...BASE.image, registry: { username: "acme" } } }, { ...NO_SECRETS, registryPassword: true })[0], /image\.registry\.server: is required with image\.registry\.username/);
  });

  it("keeps the function's connections within what the poolers accept", () => {
    const text = problems({ ...BASE, function: { dbPoolMax: 50 }, database: { pooler: { maxClientConn: 200 } } }).join("\n");
    assert.match(text, /function\.dbPoolMax: 50 x 5 replicas = 250 connections, above what the poolers accept \(200 x 1 instances = 200\)/);
  });

  it("reads durations", () => {
    assert.equal(durationSeconds("90s"), 90);
    assert.equal(durationSeconds("2m"), 120);
    assert.throws(() => durationSeconds("soon"), /not a duration/);
  });
});
