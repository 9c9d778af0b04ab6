import type { FunctionSpecArgs } from "../function-spec";

/** Function settings as the dev stack would produce them (CE). */
export const SAMPLE_FUNCTION_ARGS: FunctionSpecArgs = {
  name: "ner-processor",
  image: "ghcr.io/acme/ner-processor:1.0.0",
  edition: "ce",
  scaling: { min: 1, max: 5, factor: 20, type: "rps", target: 50 },
  resources: { requests: { cpu: "100m", memory: "192Mi" }, limits: { cpu: "1", memory: "512Mi" } },
  timeout: "60s",
  maxInflight: 50,
  logLevel: "info",
  dbPoolMax: 5,
  rawRetentionDays: 30,
  dbSecretName: "ner-processor-db",
};
