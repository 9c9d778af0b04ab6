// Validates Kubernetes objects collected by the harness against the upstream OpenAPI schemas shipped in
// kubernetes-models 4.x. Custom resources (CRDs) are checked elsewhere (crd-schemas.ts).
import * as models from "kubernetes-models";
import { isUnderUnknown } from "./unknowns";

type ModelClass = new (data: unknown) => { validate(): void };

/** `apps/v1` -> models.apps.v1; `networking.k8s.io/v1` -> models.networkingK8sIo.v1; `v1` -> models.v1. */
function modelClass(apiVersion: string, kind: string): ModelClass | undefined {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  const groupKey = group ? group.replace(/\.(\w)/g, (_, c: string) => c.toUpperCase()) : undefined;
  const registry = models as unknown as Record<string, Record<string, Record<string, ModelClass>>>;
  const versions = groupKey ? registry[groupKey] : { [version]: registry[version] as unknown as Record<string, ModelClass> };
  return versions?.[version]?.[kind];
}

export function isBuiltInKind(apiVersion: string, kind: string): boolean {
  return modelClass(apiVersion, kind) !== undefined;
}

/** Throws with the schema errors when the object does not validate (ignoring values unknown in preview). */
export function validateKubernetesObject(object: Record<string, any>, unknownPaths: string[] = []): void {
  const cls = modelClass(String(object.apiVersion), String(object.kind));
  if (!cls) throw new Error(`no kubernetes-models schema for ${object.apiVersion} ${object.kind}`);
  try {
    new cls(object).validate();
  } catch (err) {
    const errors = (err as { errors?: { instancePath: string; message?: string }[] }).errors;
    if (!errors) throw err;
    const remaining = errors.filter((e) => !isUnderUnknown(e.instancePath, unknownPaths));
    if (remaining.length > 0) throw new Error(remaining.map((e) => `data${e.instancePath} ${e.message}`).join(", "));
  }
}
