import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isBuiltInKind, validateKubernetesObject } from "./kubernetes-schema";

describe("validateKubernetesObject", () => {
  it("maps apiVersion and kind to the kubernetes-models class", () => {
    assert.equal(isBuiltInKind("v1", "Secret"), true);
    assert.equal(isBuiltInKind("apps/v1", "Deployment"), true);
    assert.equal(isBuiltInKind("networking.k8s.io/v1", "Ingress"), true);
    assert.equal(isBuiltInKind("postgresql.cnpg.io/v1", "Cluster"), false);
  });

  it("accepts a valid object and rejects schema violations with the field path", () => {
    validateKubernetesObject({ apiVersion: "v1", kind: "Namespace", metadata: { name: "openfaas" } });
    assert.throws(
      () => validateKubernetesObject({ apiVersion: "v1", kind: "Secret", metadata: { name: "x" }, stringData: { port: 5432 } }),
      /stringData\/port must be string/,
    );
    assert.throws(
      () => validateKubernetesObject({ apiVersion: "batch/v1", kind: "Job", metadata: { name: "m" }, spec: { template: { spec: { containers: [{ image: "x:1" }] } } } }),
      /containers\/0 must have required property name/,
    );
  });

  it("refuses kinds it has no schema for", () => {
    assert.throws(() => validateKubernetesObject({ apiVersion: "openfaas.com/v1", kind: "Function" }), /no kubernetes-models schema/);
  });
});
