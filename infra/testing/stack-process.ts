// Child-process entry of the offline harness: runs the Pulumi program once under mocks for one stack and
// writes every registered resource as JSON. One process per run keeps Pulumi's global runtime state and
// the module cache of one run from leaking into the next. Started by harness.ts; not for direct use.
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import type { CollectedResource, StackRunRequest, StackRunResult } from "./types";
import { UNKNOWN } from "../policies";
import { readStackConfig } from "./stack-config";

// Internal modules of @pulumi/pulumi: the mock monitor does not pass a resource's parent or dependencies
// on to `Mocks.newResource`, so the harness reads them from the registration request itself.
const { MockMonitor } = require("@pulumi/pulumi/runtime/mocks");
const rpc = require("@pulumi/pulumi/runtime/rpc");
const { isUnknown } = require("@pulumi/pulumi/output");

const request = JSON.parse(fs.readFileSync(process.env.NLP_STACK_RUN_REQUEST as string, "utf8")) as StackRunRequest;
const resources: CollectedResource[] = [];
const asyncErrors: string[] = [];

/** Splits deserialized inputs into plain values and the paths that were secret or unknown. */
function unwrap(value: unknown, at: string, paths: { secret: string[]; unknown: string[] }): unknown {
  if (isUnknown(value)) {
    paths.unknown.push(at);
    return UNKNOWN;
  }
  if (rpc.isRpcSecret(value)) {
    paths.secret.push(at);
    return unwrap(rpc.unwrapRpcSecret(value), at, paths);
  }
  if (Array.isArray(value)) return value.map((item, i) => unwrap(item, `${at}[${i}]`, paths));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, unwrap(item, at ? `${at}.${key}` : key, paths)]));
  }
  return value;
}

const originalRegister = MockMonitor.prototype.registerResource;
MockMonitor.prototype.registerResource = function (req: any, callback: (err: unknown, res: any) => void) {
  const paths = { secret: [] as string[], unknown: [] as string[] };
  const inputs = unwrap(rpc.deserializeProperties(req.getObject(), true), "", paths) as Record<string, unknown>;
  return originalRegister.call(this, req, (err: unknown, res: any) => {
    if (!err) {
      resources.push({
        urn: res.getUrn(),
        type: req.getType(),
        name: req.getName(),
        custom: req.getCustom(),
        parent: req.getParent() || undefined,
        dependsOn: req.getDependenciesList(),
        inputs,
        secretPaths: paths.secret,
        unknownPaths: paths.unknown,
      });
    }
    callback(err, res);
  });
};

/**
 * Computed outputs as a real provider returns them: plausible values on update; on preview, what a
 * provider cannot know before creating (a generated password, an image not built during preview) stays
 * unknown, as `pulumi preview` shows it.
 */
function mockState(type: string, name: string, inputs: Record<string, any>): Record<string, unknown> {
  const computed = (value: unknown) => (request.preview ? rpc.unknownValue : value);
  // The real provider marks the generated password secret; so does the mock.
  if (type === "random:index/randomPassword:RandomPassword") {
    return { ...inputs, result: pulumi.secret(computed(`mock-${name}-${"x".repeat(inputs.length ?? 16)}`)) };
  }
  if (type === "docker-build:index:Image") {
    const digest = `sha256:${"0".repeat(64)}`;
    return { ...inputs, digest: computed(digest), ref: computed(`${inputs.tags?.[0] ?? name}@${digest}`) };
  }
  if (type.startsWith("kubernetes:")) {
    return { ...inputs, metadata: { ...inputs.metadata, name: inputs.metadata?.name ?? `${name}-mock` } };
  }
  return inputs;
}

/** Each stack output on its own, so one unknown output (in preview) does not hide the known ones. */
async function resolveOutputs(exported: Record<string, unknown>): Promise<Record<string, unknown>> {
  const outputs: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(exported)) {
    // isKnown and promise() are internal to Output but stable; the mock runtime offers nothing else.
    const output = pulumi.output(value) as unknown as { isKnown: Promise<boolean>; promise(): Promise<unknown> };
    outputs[key] = (await output.isKnown) ? await output.promise() : UNKNOWN;
  }
  return outputs;
}

async function main(): Promise<StackRunResult> {
  const { config, secretKeys, project, main: mainPath } = readStackConfig(request);
  pulumi.runtime.setAllConfig(config, secretKeys);
  await pulumi.runtime.setMocks(
    {
      newResource: ({ type, name, inputs }) => ({ id: `${name}-id`, state: mockState(type, name, inputs) }),
      call: ({ inputs }) => inputs,
    },
    project,
    request.stack,
    request.preview,
  );
  process.on("unhandledRejection", (reason) => asyncErrors.push(String((reason as Error)?.stack ?? reason)));

  const program = path.resolve(request.repoRoot, request.program ?? mainPath);
  let outputs: Record<string, unknown> = {};
  let error: string | undefined;
  try {
    let exported: Record<string, unknown> = {};
    await pulumi.runtime.runInPulumiStack(async () => (exported = require(program)));
    outputs = await resolveOutputs(exported);
  } catch (err) {
    error = err instanceof Error ? err.message : String(err);
  }
  await pulumi.runtime.disconnect();
  if (asyncErrors.length > 0) error = [error, ...asyncErrors].filter(Boolean).join("\n");
  return { stack: request.stack, preview: request.preview, resources, outputs, error };
}

main()
  .catch((err: unknown): StackRunResult => ({ stack: request.stack, preview: request.preview, resources, outputs: {}, error: String((err as Error)?.stack ?? err) }))
  .then((result) => {
    fs.writeFileSync(process.env.NLP_STACK_RUN_RESULT as string, JSON.stringify(result));
    process.exit(0);
  });
