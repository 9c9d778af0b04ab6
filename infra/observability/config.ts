/**
 * The `nlp-pipeline:observability` stack config object: parsed and validated at start so a
 * bad value fails `pulumi preview` with the key's name and the fix, not a half-built stack.
 */
import * as pulumi from '@pulumi/pulumi';
import { ComputeResources, unwrapSecrets } from '../config';
import { memoryMebibytes, resourcesProblem } from './resources';

export const CONFIG_KEY = 'observability';
const FULL_KEY = `nlp-pipeline:${CONFIG_KEY}`;

export interface ObservabilityConfig {
  /** Namespace for Elasticsearch, Kibana, Logstash, Filebeat and the provisioning Job. */
  namespace: string;
  elasticsearch: {
    /** 1 = single node (dev; replicas 0), 3+ = HA (prod; replicas 1). */
    nodes: number;
    storageSize: string;
    storageClass?: string;
    resources: ComputeResources;
  };
  kibana: { resources: ComputeResources };
  logstash: { replicas: number; storageSize: string; resources: ComputeResources };
  filebeat: { resources: ComputeResources };
  operator: { resources: ComputeResources };
  /** ILM deletes log data this many days after rollover. */
  retentionDays: number;
  alerts: {
    /** Kibana rule fires when more than this many error lines arrive within 5 minutes. */
    errorThreshold: number;
    /** Alertmanager rule fires when this share (0-1) of gateway invocations return 5xx over 5 minutes. */
    gateway5xxRatio: number;
    /** PagerDuty Events v2 routing key (Pulumi secret). Absent = no PagerDuty connector/receiver. */
    pagerDutyRoutingKey?: string;
    /**
     * Whether the key also makes a Kibana PagerDuty connector (needs Gold; default true). false =
     * page through OpenFaaS CE's Alertmanager only, which works on Kibana's free Basic license.
     */
    kibanaPagerDuty: boolean;
  };
}

/** Thrown for any invalid value; the message names the full config key and the fix. */
export class ObservabilityConfigError extends Error {}

type Raw = Record<string, unknown>;

function fail(path: string, problem: string): never {
  throw new ObservabilityConfigError(`${FULL_KEY}.${path}: ${problem}`);
}

/** An object with only the given keys: a misspelt key is an error, not a silently ignored setting. */
function object(value: unknown, path: string, keys: string[]): Raw {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    fail(path, `must be an object with keys ${keys.join(', ')} (see docs/observability.md)`);
  }
  const unknown = Object.keys(value).filter((key) => !keys.includes(key));
  if (unknown.length > 0) fail(path, `unknown key ${unknown.join(', ')}; expected ${keys.join(', ')}`);
  return value as Raw;
}

function integer(value: unknown, path: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    fail(path, `must be a whole number from ${min} to ${max}, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** `secret`: never echo the value in the error (it would land in CI logs). */
function text(value: unknown, path: string, pattern: RegExp, hint: string, secret = false): string {
  if (typeof value !== 'string' || !pattern.test(value)) fail(path, secret ? hint : `${hint}, got ${JSON.stringify(value)}`);
  return value;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const SIZE = /^\d+(Mi|Gi|Ti)$/;

function resources(value: unknown, path: string): ComputeResources {
  const raw = object(value, path, ['requests', 'limits']);
  const side = (name: 'requests' | 'limits') => {
    const amounts = object(raw[name], `${path}.${name}`, ['cpu', 'memory']);
    return {
      cpu: text(amounts.cpu, `${path}.${name}.cpu`, /^\d+(\.\d+)?m?$/, 'must be a CPU quantity like "250m" or "1"'),
      memory: text(amounts.memory, `${path}.${name}.memory`, /^\d+(Mi|Gi)$/, 'must be a memory quantity like "512Mi" or "2Gi"'),
    };
  };
  const parsed = { requests: side('requests'), limits: side('limits') };
  const problem = resourcesProblem(parsed);
  if (problem) fail(path, `${problem}; raise the limit or lower the request`);
  return parsed;
}

/** Validates the raw config object (as read from the stack file). Pure: unit-tested directly. */
export function parseObservabilityConfig(value: unknown): ObservabilityConfig {
  const raw = object(unwrapSecrets(value), '(root)', ['namespace', 'retentionDays', 'elasticsearch', 'kibana', 'logstash', 'filebeat', 'operator', 'alerts']);
  const es = object(raw.elasticsearch, 'elasticsearch', ['nodes', 'storageSize', 'storageClass', 'resources']);
  const kibana = object(raw.kibana, 'kibana', ['resources']);
  const logstash = object(raw.logstash, 'logstash', ['replicas', 'storageSize', 'resources']);
  const filebeat = object(raw.filebeat, 'filebeat', ['resources']);
  const operator = object(raw.operator, 'operator', ['resources']);
  const alerts = object(raw.alerts, 'alerts', ['errorThreshold', 'gateway5xxRatio', 'pagerDutyRoutingKey', 'kibanaPagerDuty']);

  const nodes = integer(es.nodes, 'elasticsearch.nodes', 1, 9);
  if (nodes === 2) {
    fail('elasticsearch.nodes', 'use 1 (dev) or 3+ (HA): two master-eligible nodes cannot survive losing either one');
  }
  const esResources = resources(es.resources, 'elasticsearch.resources');
  if (memoryMebibytes(esResources.limits.memory) < 1024) {
    fail('elasticsearch.resources.limits.memory', 'Elasticsearch needs at least 1Gi (its heap is half the limit)');
  }
  const logstashResources = resources(logstash.resources, 'logstash.resources');
  if (memoryMebibytes(logstashResources.limits.memory) < 512) {
    fail('logstash.resources.limits.memory', 'Logstash needs at least 512Mi (its heap is half the limit)');
  }

  const ratio = alerts.gateway5xxRatio;
  if (typeof ratio !== 'number' || !(ratio > 0 && ratio < 1)) {
    fail('alerts.gateway5xxRatio', `must be a fraction between 0 and 1 such as 0.05, got ${JSON.stringify(ratio)}`);
  }
  const routingKey = alerts.pagerDutyRoutingKey;
  const kibanaPagerDuty = alerts.kibanaPagerDuty ?? true;
  if (typeof kibanaPagerDuty !== 'boolean') {
    fail('alerts.kibanaPagerDuty', `must be true or false (false on a Basic license), got ${JSON.stringify(kibanaPagerDuty)}`);
  }
  const parsed: ObservabilityConfig = {
    namespace: text(raw.namespace, 'namespace', DNS_LABEL, 'must be a Kubernetes namespace name such as "observability"'),
    elasticsearch: {
      nodes,
      storageSize: text(es.storageSize, 'elasticsearch.storageSize', SIZE, 'must be a size like "10Gi"'),
      resources: esResources,
    },
    kibana: { resources: resources(kibana.resources, 'kibana.resources') },
    logstash: {
      replicas: integer(logstash.replicas, 'logstash.replicas', 1, 10),
      storageSize: text(logstash.storageSize, 'logstash.storageSize', SIZE, 'must be a size like "1Gi"'),
      resources: logstashResources,
    },
    filebeat: { resources: resources(filebeat.resources, 'filebeat.resources') },
    operator: { resources: resources(operator.resources, 'operator.resources') },
    retentionDays: integer(raw.retentionDays, 'retentionDays', 1, 3650),
    alerts: {
      errorThreshold: integer(alerts.errorThreshold, 'alerts.errorThreshold', 0, 1_000_000),
      gateway5xxRatio: ratio,
      kibanaPagerDuty,
    },
  };
  if (es.storageClass !== undefined) {
    parsed.elasticsearch.storageClass = text(es.storageClass, 'elasticsearch.storageClass', DNS_LABEL, 'must be a StorageClass name');
  }
  if (routingKey !== undefined) {
    // Checked so the provisioning script can substitute it into JSON without escaping.
    parsed.alerts.pagerDutyRoutingKey = text(routingKey, 'alerts.pagerDutyRoutingKey', /^[A-Za-z0-9]{20,64}$/,
      'must be a PagerDuty Events v2 routing key (letters and digits); set it with `pulumi config set --secret --path nlp-pipeline:observability.alerts.pagerDutyRoutingKey <key>`',
      true);
  }
  return parsed;
}

/** Reads and validates the stack's observability config. */
export function loadObservabilityConfig(config = new pulumi.Config('nlp-pipeline')): ObservabilityConfig {
  return parseObservabilityConfig(config.requireObject<unknown>(CONFIG_KEY));
}
