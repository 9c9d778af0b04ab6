// Offline harness: runs the real Pulumi program under mocks, one child process per run (Pulumi's runtime
// keeps global state and the program registers resources at import time, so runs cannot share a process).
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { projectNodeArgs } from "./stack-config";
import type { CollectedResource, StackRunOptions, StackRunResult } from "./types";

export type { CollectedResource, StackRunOptions, StackRunResult } from "./types";

export const REPO_ROOT = path.resolve(__dirname, "..", "..");
const RUNNER = path.join(__dirname, "stack-process.ts");
const RUN_TIMEOUT_MS = 120_000;

/** Runs the program for one stack (preview or update) and returns every registered resource. */
export async function runStack(options: StackRunOptions): Promise<StackRunResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "nlp-stack-run-"));
  const requestFile = path.join(dir, "request.json");
  const resultFile = path.join(dir, "result.json");
  fs.writeFileSync(requestFile, JSON.stringify({ ...options, repoRoot: REPO_ROOT }));
  try {
    await new Promise<void>((resolve, reject) => {
      execFile(
        process.execPath,
        // The program loads exactly as `pulumi up` loads it: with the project's node flags (tsx).
        [...projectNodeArgs(REPO_ROOT), RUNNER],
        {
          cwd: REPO_ROOT,
          timeout: RUN_TIMEOUT_MS,
          maxBuffer: 64 * 1024 * 1024,
          env: { ...process.env, NLP_STACK_RUN_REQUEST: requestFile, NLP_STACK_RUN_RESULT: resultFile },
        },
        (err, _stdout, stderr) => {
          if (err || !fs.existsSync(resultFile)) reject(new Error(`stack run ${options.stack} failed: ${err?.message ?? "no result"}\n${stderr}`));
          else resolve();
        },
      );
    });
    return JSON.parse(fs.readFileSync(resultFile, "utf8")) as StackRunResult;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Like runStack, but throws when the program failed. */
export async function runStackOk(options: StackRunOptions): Promise<StackRunResult> {
  const result = await runStack(options);
  if (result.error) throw new Error(`stack ${options.stack} (${options.preview ? "preview" : "update"}) failed:\n${result.error}`);
  return result;
}

/** The real stack files at the repository root (`Pulumi.<stack>.yaml`). */
export function stackNames(): string[] {
  return fs
    .readdirSync(REPO_ROOT)
    .map((file) => /^Pulumi\.([\w-]+)\.yaml$/.exec(file)?.[1])
    .filter((name): name is string => name !== undefined)
    .sort();
}

export function resourcesOfType(run: StackRunResult, type: string): CollectedResource[] {
  return run.resources.filter((r) => r.type === type);
}

/**
 * Kubernetes objects (optionally of one kind): resources of the kubernetes provider with an apiVersion
 * and kind. Helm releases are Pulumi resources, not objects: find them by type.
 */
export function kubernetesObjects(run: StackRunResult, kind?: string): CollectedResource[] {
  return run.resources.filter(
    (r) => r.type.startsWith("kubernetes:") && r.custom && r.inputs.apiVersion && r.inputs.kind && (!kind || r.inputs.kind === kind),
  );
}

export function findResource(run: StackRunResult, type: string, name: string): CollectedResource {
  const found = run.resources.find((r) => r.type === type && r.name === name);
  if (!found) {
    const names = resourcesOfType(run, type).map((r) => r.name);
    throw new Error(`no ${type} named ${name} in stack ${run.stack}; present: ${names.join(", ") || "none"}`);
  }
  return found;
}

/** The resource whose URN is `r.parent`. */
export function parentOf(run: StackRunResult, r: CollectedResource): CollectedResource | undefined {
  return run.resources.find((candidate) => candidate.urn === r.parent);
}

/** True when `r` depends on `other`, directly or through its ancestors (component dependsOn). */
export function dependsOn(run: StackRunResult, r: CollectedResource, other: CollectedResource): boolean {
  for (let current: CollectedResource | undefined = r; current; current = parentOf(run, current)) {
    if (current.dependsOn.includes(other.urn)) return true;
  }
  return false;
}

/** Test secrets for every secret key the real stack files expect (users set them with --secret). */
export const TEST_SECRETS: Record<string, string> = {
  "nlp-pipeline:openfaasLicenseKey": "test-license-jwt",
  "nlp-pipeline:registryPassword": "test-registry-token",
};
