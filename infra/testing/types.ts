/** A config patch: deep-merged over the stack file's `config`; `null` removes a key. */
export type ConfigPatch = Record<string, unknown>;

export interface StackRunOptions {
  /** Stack name: reads `Pulumi.<stack>.yaml` at the repository root. */
  stack: string;
  /** true = `pulumi preview`, false = `pulumi up`. */
  preview: boolean;
  /** Full config keys (`nlp-pipeline:openfaas`) deep-merged over the stack file. */
  config?: ConfigPatch;
  /** Secret config values (full keys), as `pulumi config set --secret` would hold them. */
  secrets?: Record<string, string>;
  /** Program to load instead of Pulumi.yaml's `main` (relative to the repository root). */
  program?: string;
}

export interface StackRunRequest extends StackRunOptions {
  repoRoot: string;
}

export interface CollectedResource {
  urn: string;
  /** Type token, e.g. `kubernetes:core/v1:Secret`. */
  type: string;
  /** Pulumi resource name (not necessarily metadata.name). */
  name: string;
  /** false for ComponentResources and the Stack. */
  custom: boolean;
  /** URN of the parent resource. */
  parent?: string;
  /** URNs this resource depends on (dependsOn and input dependencies). */
  dependsOn: string[];
  /** Inputs as plain values: secrets unwrapped (their paths are in `secretPaths`). */
  inputs: Record<string, any>;
  /** Dotted paths of inputs that were Pulumi secrets, e.g. `stringData.password`. */
  secretPaths: string[];
  /** Dotted paths of inputs not known yet (preview): their value is `UNKNOWN` (from policies.ts). */
  unknownPaths: string[];
}

export interface StackRunResult {
  stack: string;
  preview: boolean;
  resources: CollectedResource[];
  /** Stack outputs (the program's exports), resolved. */
  outputs: Record<string, unknown>;
  /** Set when the program failed (e.g. a config validation error), with the message. */
  error?: string;
}
