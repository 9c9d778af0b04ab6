import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { functionManifest } from "../function-spec";
import { hasCrdSchema, validateCustomResource } from "./crd-schemas";
import { SAMPLE_FUNCTION_ARGS } from "./fixtures";

const metadata = { name: "nlp-pg-pooler-rw", namespace: "nlp-db" };
const pooler = (pgbouncer: Record<string, unknown>) => ({
  apiVersion: "postgresql.cnpg.io/v1",
  kind: "Pooler",
  metadata,
  spec: { cluster: { name: "nlp-pg" }, instances: 1, type: "rw", pgbouncer },
});

describe("CRD schemas", () => {
  it("accepts a valid Pooler and rejects misspelt fields and bad enums", () => {
    validateCustomResource(pooler({ poolMode: "transaction", parameters: { max_client_conn: "100" } }));
    assert.throws(() => validateCustomResource(pooler({ poolmode: "transaction" })), /pgbouncer must NOT have additional properties/);
    assert.throws(() => validateCustomResource(pooler({ poolMode: "statement" })), /poolMode must be equal to one of the allowed values/);
    assert.throws(() => validateCustomResource(pooler({ parameters: { max_client_conn: 100 } })), /max_client_conn must be string/);
  });

  it("rejects a Cluster without storage or with a bad anti-affinity type", () => {
    const cluster = { apiVersion: "postgresql.cnpg.io/v1", kind: "Cluster", metadata, spec: { instances: 2, affinity: { podAntiAffinityType: "hard" } } };
    assert.throws(() => validateCustomResource(cluster), /must have required property 'storage'.*podAntiAffinityType must be equal to one of the allowed values/);
  });

  it("accepts the Function that functionManifest builds and rejects unknown spec fields", () => {
    const manifest = functionManifest({ ...SAMPLE_FUNCTION_ARGS, edition: "standard", namespace: "openfaas-fn" });
    validateCustomResource(manifest);
    assert.throws(() => validateCustomResource({ ...manifest, spec: { ...manifest.spec, envVars: {} } }), /spec must NOT have additional properties/);
    assert.equal(hasCrdSchema("openfaas.com/v1", "Profile"), false);
  });
});
