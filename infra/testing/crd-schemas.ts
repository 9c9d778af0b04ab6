// JSON schemas for the custom resources the program creates, transcribed from their CRDs' openAPIV3Schema
// (the fields this project uses; `additionalProperties: false` so a misspelt field fails instead of being
// silently dropped by the API server's pruning):
//   CNPG 1.30 (chart cloudnative-pg 0.29.0): config/crd/bases/postgresql.cnpg.io_{clusters,poolers}.yaml
//   OpenFaaS (chart openfaas 15.0.6): chart/openfaas/templates/openfaas.com_functions-crd.yaml
//   ECK 3.x (chart eck-operator 3.5.0): infra/observability/eck-schemas.ts
// Argo CD's Application is checked with the model @kubernetes-models/argo-cd generates from its CRD.
import { Application } from "@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application";
import Ajv, { type ValidateFunction } from "ajv";
import { isUnderUnknown } from "./unknowns";
import { ECK_SCHEMAS } from "../observability/eck-schemas";

const QUANTITY = { anyOf: [{ type: "string", pattern: "^[0-9.]+(m|Ki|Mi|Gi|Ti|k|M|G|T)?$" }, { type: "integer" }] };
const RESOURCE_LIST = { type: "object", additionalProperties: false, properties: { cpu: QUANTITY, memory: QUANTITY } };
const REQUIREMENTS = { type: "object", additionalProperties: false, properties: { requests: RESOURCE_LIST, limits: RESOURCE_LIST } };
const LOCAL_REF = { type: "object", additionalProperties: false, required: ["name"], properties: { name: { type: "string", minLength: 1 } } };
const STORAGE = {
  type: "object",
  additionalProperties: false,
  properties: { size: { type: "string" }, storageClass: { type: "string" }, resizeInUseVolumes: { type: "boolean" } },
};
const METADATA = {
  type: "object",
  required: ["name", "namespace"],
  properties: { name: { type: "string", pattern: "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$" }, namespace: { type: "string" } },
};
const STRING_MAP = { type: "object", additionalProperties: { type: "string" } };

function resource(apiVersion: string, kind: string, spec: object): object {
  return {
    type: "object",
    required: ["apiVersion", "kind", "metadata", "spec"],
    properties: { apiVersion: { const: apiVersion }, kind: { const: kind }, metadata: METADATA, spec },
  };
}

const CLUSTER = resource("postgresql.cnpg.io/v1", "Cluster", {
  type: "object",
  additionalProperties: false,
  required: ["instances", "storage"],
  properties: {
    instances: { type: "integer", minimum: 1 },
    imageName: { type: "string" },
    primaryUpdateStrategy: { enum: ["unsupervised", "supervised"] },
    storage: STORAGE,
    walStorage: STORAGE,
    resources: REQUIREMENTS,
    postgresql: { type: "object", additionalProperties: false, properties: { parameters: STRING_MAP } },
    affinity: {
      type: "object",
      additionalProperties: false,
      properties: {
        enablePodAntiAffinity: { type: "boolean" },
        topologyKey: { type: "string" },
        podAntiAffinityType: { enum: ["required", "preferred"] },
      },
    },
    bootstrap: {
      type: "object",
      additionalProperties: false,
      properties: {
        initdb: {
          type: "object",
          additionalProperties: false,
          properties: { database: { type: "string" }, owner: { type: "string" }, secret: LOCAL_REF },
        },
      },
    },
    managed: {
      type: "object",
      additionalProperties: false,
      properties: {
        roles: {
          type: "array",
          items: {
            type: "object",
            additionalProperties: false,
            required: ["name"],
            properties: {
              name: { type: "string" },
              ensure: { enum: ["present", "absent"] },
              login: { type: "boolean" },
              inRoles: { type: "array", items: { type: "string" } },
              passwordSecret: LOCAL_REF,
              connectionLimit: { type: "integer" },
              comment: { type: "string" },
            },
          },
        },
      },
    },
    enableSuperuserAccess: { type: "boolean" },
    superuserSecret: LOCAL_REF,
  },
});

const POOLER = resource("postgresql.cnpg.io/v1", "Pooler", {
  type: "object",
  additionalProperties: false,
  required: ["cluster", "pgbouncer"],
  properties: {
    cluster: LOCAL_REF,
    instances: { type: "integer", minimum: 0 },
    type: { enum: ["rw", "ro", "r"] },
    pgbouncer: {
      type: "object",
      additionalProperties: false,
      properties: { poolMode: { enum: ["session", "transaction"] }, parameters: STRING_MAP },
    },
    // A PodTemplateSpec: its containers are validated against the Kubernetes schema separately.
    template: { type: "object", properties: { metadata: { type: "object" }, spec: { type: "object" } } },
  },
});

const FUNCTION = resource("openfaas.com/v1", "Function", {
  type: "object",
  additionalProperties: false,
  required: ["image", "name"],
  properties: {
    name: { type: "string" },
    image: { type: "string" },
    handler: { type: "string" },
    labels: STRING_MAP,
    annotations: STRING_MAP,
    environment: STRING_MAP,
    constraints: { type: "array", items: { type: "string" } },
    secrets: { type: "array", items: { type: "string" } },
    limits: { type: "object", additionalProperties: false, properties: { cpu: { type: "string" }, memory: { type: "string" } } },
    requests: { type: "object", additionalProperties: false, properties: { cpu: { type: "string" }, memory: { type: "string" } } },
    readOnlyRootFilesystem: { type: "boolean" },
  },
});

const ajv = new Ajv({ allErrors: true, strict: false });
const validators: Record<string, ValidateFunction> = {
  "postgresql.cnpg.io/v1/Cluster": ajv.compile(CLUSTER),
  "postgresql.cnpg.io/v1/Pooler": ajv.compile(POOLER),
  "openfaas.com/v1/Function": ajv.compile(FUNCTION),
  ...Object.fromEntries(Object.entries(ECK_SCHEMAS).map(([key, schema]) => [key, ajv.compile(schema)])),
};

/** Custom resources whose schema comes as a kubernetes-models class instead of a transcription here. */
const models: Record<string, (object: Record<string, any>) => void> = {
  "argoproj.io/v1alpha1/Application": (object) => new Application(object as never).validate(),
};

export function hasCrdSchema(apiVersion: string, kind: string): boolean {
  return `${apiVersion}/${kind}` in validators || `${apiVersion}/${kind}` in models;
}

/** Throws with every schema error when the custom resource does not validate against its CRD. */
export function validateCustomResource(object: Record<string, any>, unknownPaths: string[] = []): void {
  const model = models[`${object.apiVersion}/${object.kind}`];
  if (model) return model(object);
  const validate = validators[`${object.apiVersion}/${object.kind}`];
  if (!validate) throw new Error(`no CRD schema for ${object.apiVersion} ${object.kind}`);
  const label = `${object.kind} ${object.metadata?.name}`;
  if (validate(object)) return;
  const errors = (validate.errors ?? []).filter((e) => !isUnderUnknown(e.instancePath, unknownPaths));
  if (errors.length > 0) throw new Error(`${label}: ${ajv.errorsText(errors, { separator: "; " })}`);
}
