// The ner-processor image: built from function/ with function/Dockerfile and pushed under a tag derived
// from the build context's content (same sources => same tag; any change => a new, immutable tag), or
// an image the stack pins. Deployments use the pushed digest, never a mutable tag.
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import * as dockerBuild from "@pulumi/docker-build";
import * as pulumi from "@pulumi/pulumi";

/** Not part of the image build (function/Dockerfile installs and compiles inside the build). */
const IGNORED = new Set(["node_modules", "dist", ".data", "coverage"]);

/** sha256 over every file's relative path and content under `dir`, in a stable order. */
export function contentHash(dir: string): string {
  const hash = createHash("sha256");
  const walk = (relative: string): void => {
    for (const entry of fs.readdirSync(path.join(dir, relative), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (IGNORED.has(entry.name)) continue;
      const child = path.join(relative, entry.name);
      if (entry.isDirectory()) walk(child);
      else if (entry.isFile()) hash.update(child).update("\0").update(fs.readFileSync(path.join(dir, child))).update("\0");
    }
  };
  walk("");
  return hash.digest("hex");
}

export interface FunctionImageArgs {
  /** Existing image to deploy as-is (tag or digest); nothing is built. */
  pinned?: string;
  repository: string;
  /** Build context (the function/ folder) and its Dockerfile. */
  context: string;
  dockerfile: string;
  registry?: { server: string; username: string; password: pulumi.Output<string> };
}

export class FunctionImage extends pulumi.ComponentResource {
  /** What deployments reference: `repo:tag@sha256:...` for a build, the pin otherwise. */
  readonly ref: pulumi.Output<string>;

  constructor(name: string, args: FunctionImageArgs, opts?: pulumi.ComponentResourceOptions) {
    super("nlp-pipeline:platform:FunctionImage", name, {}, opts);
    if (args.pinned) {
      this.ref = pulumi.output(args.pinned);
    } else {
      const tag = contentHash(args.context).slice(0, 16);
      const image = new dockerBuild.Image(
        name,
        {
          tags: [`${args.repository}:${tag}`],
          context: { location: args.context },
          dockerfile: { location: args.dockerfile },
          platforms: ["linux/amd64"],
          push: true,
          // `pulumi preview` (also on pull requests) needs no Docker engine; the build runs on `up`.
          buildOnPreview: false,
          registries: args.registry ? [{ address: args.registry.server, username: args.registry.username, password: args.registry.password }] : undefined,
        },
        { parent: this },
      );
      this.ref = image.ref;
    }
    this.registerOutputs({ ref: this.ref });
  }
}
