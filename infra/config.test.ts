import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ConfigError, durationSeconds, parseConfig, unwrapSecrets } from "./config";

const NO_SECRETS = { openfaasLicenseKey: false, registryPassword: false, databaseAdminPassword: false };
const BASE = { image: { repository: "ghcr.io/acme/ner-processor" } };

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
    const found = problems({ ...BASE, openfaas: { edition: "pro", exposure: { type: "LoadBalancer" } }, function: { logLevel: "loud" } });
    assert.equal(found.length, 3);
    assert.match(found.join("\n"), /openfaas\.edition/);
    assert.match(found.join("\n"), /openfaas\.exposure\.host: is required with exposure type LoadBalancer/);
    assert.match(found.join("\n"), /function\.logLevel/);
  });

  it("enforces the Community Edition limits and says why", () => {
    const found = problems({
      ...BASE,
      openfaas: { edition: "ce", queue: { maxInflight: 4 } },
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

  it("allows Standard's wider limits only with a license secret", () => {
    const raw = { ...BASE, openfaas: { edition: "standard" }, function: { scaling: { min: 0, max: 20, type: "queue" } } };
    assert.match(problems(raw).join("\n"), /openfaasLicenseKey: is required with openfaas\.edition standard.*pulumi config set --secret openfaasLicenseKey/);
    const config = parseConfig("prod", raw, { ...NO_SECRETS, openfaasLicenseKey: true });
    assert.equal(config.function.scaling.max, 20);
  });

  it("requires the queue's ack wait to outlast the function timeout", () => {
    assert.match(problems({ ...BASE, openfaas: { queue: { ackWait: "60s" } }, function: { timeout: "60s" } })[0], /openfaas\.queue\.ackWait: 60s must be longer than function\.timeout \(60s\).*ackWait' 90s/);
  });

  it("rejects a latest image pin and a missing repository", () => {
    assert.match(problems({ image: { pinned: "ghcr.io/acme/ner-processor:latest" } })[0], /image\.pinned: must not use the mutable tag latest/);
    assert.match(problems({})[0], /image\.repository: is required unless image\.pinned/);
    assert.deepEqual(problems({ image: { pinned: "ghcr.io/acme/ner-processor:1.2.3" } }), []);
  });

  it("requires the registry password and the database admin password as secrets when their features are on", () => {
    const text = problems({ ...BASE, image: { ...BASE.image, registry: { server: "ghcr.io", username: "acme" } }, database: { adminEndpoint: { host: "10.0.0.12" } } }).join("\n");
    assert.match(text, /registryPassword: is required when image\.registry is set.*--secret/);
    assert.match(text, /databaseAdminPassword: is required when database\.adminEndpoint is set.*--secret/);
  });

  it("rejects min above max and a pool too large for max_connections", () => {
    const text = problems({ ...BASE, function: { scaling: { min: 4, max: 3 } }, database: { pooler: { defaultPoolSize: 60 } } }).join("\n");
    assert.match(text, /function\.scaling\.min: 4 is above function\.scaling\.max \(3\)/);
    assert.match(text, /database\.pooler\.defaultPoolSize: 60 leaves no headroom under max_connections \(100\)/);
  });

  it("unwraps secrets wrapped by Pulumi's mock runtime before validating", () => {
    const wrapped = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: "standard" };
    assert.equal(unwrapSecrets(wrapped), "standard");
    const config = parseConfig("x", { ...BASE, openfaas: { edition: wrapped } }, { ...NO_SECRETS, openfaasLicenseKey: true });
    assert.equal(config.openfaas.edition, "standard");
  });

  it("reads durations", () => {
    assert.equal(durationSeconds("90s"), 90);
    assert.equal(durationSeconds("2m"), 120);
    assert.throws(() => durationSeconds("soon"), /not a duration/);
  });
});
