/**
 * Resource footprint of the observability stack per Pulumi stack, computed from its config,
 * so the table in docs/observability.md cannot drift (footprint.test.ts compares them).
 * Print the tables: `npx tsx infra/observability/footprint.ts`.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import type { ComputeResources } from '../config';
import { ObservabilityConfig, parseObservabilityConfig } from './config';
import { PROVISIONING_RESOURCES } from './provisioning';
import { cpuMillicores, memoryMebibytes } from './resources';

export interface FootprintRow {
  component: string;
  /** Pod count; `per node` for the Filebeat DaemonSet. */
  pods: number | 'per node';
  resources: ComputeResources;
  /** Persistent storage per pod. */
  storage?: string;
}

export function footprintRows(config: ObservabilityConfig): FootprintRow[] {
  return [
    { component: 'ECK operator', pods: 1, resources: config.operator.resources },
    { component: 'Elasticsearch', pods: config.elasticsearch.nodes, resources: config.elasticsearch.resources, storage: config.elasticsearch.storageSize },
    { component: 'Kibana', pods: 1, resources: config.kibana.resources },
    { component: 'Logstash', pods: config.logstash.replicas, resources: config.logstash.resources, storage: config.logstash.storageSize },
    { component: 'Filebeat', pods: 'per node', resources: config.filebeat.resources },
  ];
}

const cpu = (millicores: number) => (millicores % 1000 === 0 ? `${millicores / 1000}` : `${millicores}m`);
const memory = (mebibytes: number) => (mebibytes % 1024 === 0 ? `${mebibytes / 1024}Gi` : `${mebibytes}Mi`);
const storageGi = (size: string) => {
  const match = /^(\d+)(Mi|Gi|Ti)$/.exec(size)!;
  return Number(match[1]) * ({ Mi: 1 / 1024, Gi: 1, Ti: 1024 } as Record<string, number>)[match[2]];
};

/** Markdown table: one row per component plus the total of everything but the per-node Filebeat. */
export function footprintTable(config: ObservabilityConfig): string {
  const rows = footprintRows(config);
  const lines = [
    '| Component | Pods | CPU request | CPU limit | Memory request | Memory limit | Storage per pod |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const row of rows) {
    const r = row.resources;
    lines.push(`| ${row.component} | ${row.pods} | ${r.requests.cpu} | ${r.limits.cpu} | ${r.requests.memory} | ${r.limits.memory} | ${row.storage ?? '-'} |`);
  }
  const counted = rows.filter((row): row is FootprintRow & { pods: number } => typeof row.pods === 'number');
  const sum = (pick: (row: FootprintRow & { pods: number }) => number) => counted.reduce((total, row) => total + row.pods * pick(row), 0);
  lines.push(`| **Total without Filebeat** | ${sum(() => 1)} | ${cpu(sum((row) => cpuMillicores(row.resources.requests.cpu)))} | ${cpu(sum((row) => cpuMillicores(row.resources.limits.cpu)))} | ${memory(sum((row) => memoryMebibytes(row.resources.requests.memory)))} | ${memory(sum((row) => memoryMebibytes(row.resources.limits.memory)))} | ${sum((row) => (row.storage ? storageGi(row.storage) : 0))}Gi |`);
  const job = PROVISIONING_RESOURCES;
  lines.push('', `Plus Filebeat on every node, and the provisioning Job while it runs (${job.requests.cpu}/${job.requests.memory} requested, ${job.limits.cpu}/${job.limits.memory} limit).`);
  return lines.join('\n');
}

/** Reads `Pulumi.<stack>.yaml` and returns its validated observability config. */
export function stackObservabilityConfig(repoRoot: string, stack: string): ObservabilityConfig {
  const file = parse(readFileSync(path.join(repoRoot, `Pulumi.${stack}.yaml`), 'utf8')) as { config: Record<string, unknown> };
  return parseObservabilityConfig(file.config['nlp-pipeline:observability']);
}

if (require.main === module) {
  const root = path.resolve(__dirname, '..', '..');
  for (const stack of ['dev', 'prod']) console.log(`${stack}:\n\n${footprintTable(stackObservabilityConfig(root, stack))}\n`);
}
