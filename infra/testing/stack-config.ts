// Turns Pulumi.yaml + Pulumi.<stack>.yaml (+ a test's patch) into what `pulumi.runtime.setAllConfig` takes.
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import type { ConfigPatch, StackRunRequest } from "./types";

/** Values `pulumi config set --secret` stored encrypted (`secure: v1:...`) cannot be decrypted offline. */
const ENCRYPTED_PLACEHOLDER = "offline-placeholder-for-an-encrypted-value";

export function deepMerge(base: unknown, patch: unknown): unknown {
  if (patch === null) return undefined;
  if (typeof patch !== "object" || Array.isArray(patch) || typeof base !== "object" || base === null || Array.isArray(base)) {
    return patch;
  }
  const merged: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [key, value] of Object.entries(patch as Record<string, unknown>)) {
    const next = deepMerge(merged[key], value);
    if (next === undefined) delete merged[key];
    else merged[key] = next;
  }
  return merged;
}

function isEncrypted(value: unknown): boolean {
  return typeof value === "object" && value !== null && Object.keys(value).length === 1 && "secure" in value;
}

interface ProjectFile {
  name: string;
  main?: string;
  runtime: string | { name: string; options?: { nodeargs?: string; typescript?: boolean } };
}

export function readProject(repoRoot: string): ProjectFile {
  return parse(fs.readFileSync(path.join(repoRoot, "Pulumi.yaml"), "utf8")) as ProjectFile;
}

/** The node flags Pulumi starts the program with (`runtime.options.nodeargs`). */
export function projectNodeArgs(repoRoot: string): string[] {
  const { runtime } = readProject(repoRoot);
  const nodeargs = typeof runtime === "object" ? runtime.options?.nodeargs : undefined;
  return nodeargs ? nodeargs.split(/\s+/).filter(Boolean) : [];
}

export function readStackConfig(request: Pick<StackRunRequest, "repoRoot" | "stack" | "config" | "secrets">): {
  project: string;
  main: string;
  config: Record<string, string>;
  secretKeys: string[];
} {
  const projectFile = readProject(request.repoRoot);
  const stackFile = path.join(request.repoRoot, `Pulumi.${request.stack}.yaml`);
  const stackConfig = ((parse(fs.readFileSync(stackFile, "utf8")) as { config?: Record<string, unknown> } | null)?.config ?? {});
  const merged = deepMerge(stackConfig, (request.config ?? {}) as ConfigPatch) as Record<string, unknown>;

  const config: Record<string, string> = {};
  const secretKeys: string[] = [];
  for (const [key, value] of Object.entries(merged)) {
    if (!key.includes(":")) throw new Error(`${stackFile}: config key ${key} lacks its namespace (e.g. ${projectFile.name}:${key})`);
    if (isEncrypted(value)) {
      config[key] = ENCRYPTED_PLACEHOLDER;
      secretKeys.push(key);
    } else {
      config[key] = typeof value === "string" ? value : JSON.stringify(value);
    }
  }
  for (const [key, value] of Object.entries(request.secrets ?? {})) {
    config[key] = value;
    secretKeys.push(key);
  }
  return { project: projectFile.name, main: projectFile.main ?? ".", config, secretKeys };
}
