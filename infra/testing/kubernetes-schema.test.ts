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

  it("ignores errors at or below values unknown during preview, and only those", () => {
    const secret = { apiVersion: "v1", kind: "Secret", metadata: { name: "x" }, stringData: "<unknown during preview>" };
    assert.throws(() => validateKubernetesObject(secret), /stringData must be object/);
    validateKubernetesObject(secret, ["stringData"]);
    const job = { apiVersion: "batch/v1", kind: "Job", metadata: { name: 7 }, spec: { template: { spec: { containers: [{ name: "m", image: 1 }] } } } };
    assert.throws(() => validateKubernetesObject(job, ["spec.template.spec.containers[0].image"]), /data\/metadata\/name must be string$/);
  });

  it("refuses kinds it has no schema for", () => {
    assert.throws(() => validateKubernetesObject({ apiVersion: "openfaas.com/v1", kind: "Function" }), /no kubernetes-models schema/);
  });
});
