/**
 * Arithmetic on container resources (the platform's ComputeResources) that validation and the
 * footprint table need (Kubernetes quantities: cpu "500m" | "1", memory "512Mi" | "2Gi").
 */
import type { ComputeResources } from '../config';

const CPU = /^(\d+(?:\.\d+)?)(m?)$/;
const MEMORY = /^(\d+)(Mi|Gi)$/;

/** CPU quantity in millicores; throws on anything but "<n>" or "<n>m". */
export function cpuMillicores(quantity: string): number {
  const match = CPU.exec(quantity);
  if (!match) throw new Error(`"${quantity}" is not a CPU quantity like "500m" or "1"`);
  return match[2] === 'm' ? Number(match[1]) : Number(match[1]) * 1000;
}

/** Memory quantity in MiB; only Mi and Gi are accepted so figures stay readable. */
export function memoryMebibytes(quantity: string): number {
  const match = MEMORY.exec(quantity);
  if (!match) throw new Error(`"${quantity}" is not a memory quantity like "512Mi" or "2Gi"`);
  return match[2] === 'Gi' ? Number(match[1]) * 1024 : Number(match[1]);
}

/** Checks both quantities parse and requests do not exceed limits; returns a reason or undefined. */
export function resourcesProblem(resources: ComputeResources): string | undefined {
  try {
    if (cpuMillicores(resources.requests.cpu) > cpuMillicores(resources.limits.cpu)) {
      return `requests.cpu ${resources.requests.cpu} exceeds limits.cpu ${resources.limits.cpu}`;
    }
    if (memoryMebibytes(resources.requests.memory) > memoryMebibytes(resources.limits.memory)) {
      return `requests.memory ${resources.requests.memory} exceeds limits.memory ${resources.limits.memory}`;
    }
  } catch (error) {
    return (error as Error).message;
  }
  return undefined;
}
