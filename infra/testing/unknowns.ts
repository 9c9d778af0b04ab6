// Values unknown during preview (see UNKNOWN in ../policies.ts) cannot be judged by a schema: schema
// errors at or below an unknown path are dropped, as `pulumi preview` itself cannot check them either.

/** `spec.containers[0].image` -> `/spec/containers/0/image` (ajv's instancePath). */
function toPointer(path: string): string {
  return path ? `/${path.replace(/\[(\d+)\]/g, ".$1").split(".").join("/")}` : "";
}

export function isUnderUnknown(instancePath: string, unknownPaths: string[]): boolean {
  return unknownPaths.map(toPointer).some((pointer) => instancePath === pointer || instancePath.startsWith(`${pointer}/`));
}
