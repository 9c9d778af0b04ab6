/**
 * CPU time of process trees, from /proc (Linux): on a shared machine, CPU microseconds per
 * comment compare two builds far better than throughput does, which follows the other load.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const TICKS_PER_SECOND = 100;

/** The fields of /proc/<pid>/stat after the command name (field 3 on), or undefined once it is gone. */
function statFields(pid: number): string[] | undefined {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  } catch {
    return undefined;
  }
}

/** utime + stime of one process in clock ticks, 0 once it is gone. */
function ticks(pid: number): number {
  const fields = statFields(pid);
  return fields === undefined ? 0 : Number(fields[11]) + Number(fields[12]);
}

/** CPU seconds one process has used so far (all its threads), 0 once it is gone. */
export function cpuSeconds(pid: number): number {
  return ticks(pid) / TICKS_PER_SECOND;
}

function parentOf(pid: number): number | undefined {
  const fields = statFields(pid);
  return fields === undefined ? undefined : Number(fields[1]);
}

/** `root` and every process below it, alive now. */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const parent = parentOf(Number(entry));
    if (parent !== undefined) children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
  }
  const tree: number[] = [];
  for (const queue = [root]; queue.length > 0; ) {
    const pid = queue.pop()!;
    tree.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return tree;
}

/** The postmaster's pid, from the first line of postmaster.pid in its data folder. */
export function postmasterPid(dataDir: string): number {
  return Number(readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
}

/**
 * Starts counting the CPU seconds used by the processes of these trees. `stop()` returns the
 * seconds used since; a process started meanwhile (a new connection) counts in full, one that
 * exited meanwhile is missed.
 */
export function cpuMeter(roots: readonly number[]): { stop(): number } {
  const before = new Map(roots.flatMap(processTree).map((pid) => [pid, ticks(pid)]));
  return {
    stop: () =>
      roots.flatMap(processTree).reduce((sum, pid) => sum + Math.max(0, ticks(pid) - (before.get(pid) ?? 0)), 0) /
      TICKS_PER_SECOND,
  };
}
