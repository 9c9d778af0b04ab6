/**
 * The OpenFaaS `openfaas.com/v1 Function` custom resource: a typed interface and a JSON schema
 * transcribed from the CRD's openAPIV3Schema (faas-netes `artifacts/crds/openfaas.com_functions.yaml`).
 * The schema is stricter than the CRD in one way: unknown fields are errors, because the API server
 * silently prunes them from a structural CRD, so a misspelt setting would simply vanish.
 */

export interface FunctionResources {
  cpu?: string;
  memory?: string;
}

export interface OpenFaaSFunction {
  apiVersion: 'openfaas.com/v1';
  kind: 'Function';
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec: {
    name: string;
    image: string;
    handler?: string;
    annotations?: Record<string, string>;
    labels?: Record<string, string>;
    environment?: Record<string, string>;
    constraints?: string[];
    secrets?: string[];
    limits?: FunctionResources;
    requests?: FunctionResources;
    readOnlyRootFilesystem?: boolean;
  };
}

const stringMap = { type: 'object', additionalProperties: { type: 'string' } } as const;
const resources = {
  type: 'object',
  additionalProperties: false,
  properties: { cpu: { type: 'string' }, memory: { type: 'string' } },
} as const;

export const OPENFAAS_FUNCTION_SCHEMA = {
  type: 'object',
  required: ['apiVersion', 'kind', 'metadata', 'spec'],
  additionalProperties: false,
  properties: {
    apiVersion: { const: 'openfaas.com/v1' },
    kind: { const: 'Function' },
    metadata: {
      type: 'object',
      required: ['name'],
      properties: { name: { type: 'string', minLength: 1 }, namespace: { type: 'string' }, labels: stringMap, annotations: stringMap },
    },
    spec: {
      type: 'object',
      required: ['image', 'name'],
      additionalProperties: false,
      properties: {
        annotations: stringMap,
        constraints: { type: 'array', items: { type: 'string' } },
        environment: stringMap,
        handler: { type: 'string' },
        image: { type: 'string', minLength: 1 },
        labels: stringMap,
        limits: resources,
        name: { type: 'string', minLength: 1 },
        readOnlyRootFilesystem: { type: 'boolean' },
        requests: resources,
        secrets: { type: 'array', items: { type: 'string' } },
      },
    },
  },
} as const;
