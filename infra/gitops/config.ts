/**
 * Argo CD settings: the one stack config object `nlp-pipeline:argocd`, parsed and validated
 * here so a bad value fails `pulumi preview` with the key and the fix, before anything runs.
 */
import * as pulumi from '@pulumi/pulumi';

/** How people reach the Argo CD UI and API. */
export type ArgoCdExposure =
  /** No ingress: `kubectl port-forward svc/argocd-server -n argocd 8080:443`; the server keeps its own TLS. */
  | { type: 'port-forward' }
  /**
   * An Ingress that terminates TLS for `host` (certificate in Secret `argocd-server-tls`,
   * issued by cert-manager when `clusterIssuer` is set); the server behind it then runs plain HTTP.
   */
  | { type: 'ingress'; host: string; className: string; clusterIssuer?: string };

export interface ArgoCdConfig {
  /** Off: no Argo CD at all (saves five pods, 0.22 CPU and 512 MiB requested); Pulumi deploys the function. */
  enabled: boolean;
  /** Namespace Argo CD runs in; its Applications live there too. */
  namespace: string;
  /** This repository, as Argo CD clones it (https or ssh URL). */
  repoURL: string;
  /** Branch, tag or commit Argo CD follows. */
  targetRevision: string;
  exposure: ArgoCdExposure;
  /** Dex (SSO broker). Off unless an SSO connector is configured: the local admin user needs no Dex. */
  dex: boolean;
}

const KEY = 'nlp-pipeline:argocd';

const DEFAULTS = {
  enabled: false,
  namespace: 'argocd',
  targetRevision: 'main',
  dex: false,
} as const;

/** A DNS-1123 label, the rule for namespace names. */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
/** A DNS name (one or more labels), the rule for ingress hosts. */
const DNS_NAME = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** What Argo CD can clone: https://host/path or git@host:path / ssh://... */
const GIT_URL = /^(https:\/\/[^\s/]+\/\S+|ssh:\/\/\S+|git@[^\s:]+:\S+)$/;

/** A config error that names the key and says how to fix it. */
export class ArgoCdConfigError extends Error {
  constructor(field: string, problem: string, fix: string) {
    super(`${KEY}.${field}: ${problem}. Fix: ${fix}`);
    this.name = 'ArgoCdConfigError';
  }
}

function setHint(field: string, example: string): string {
  return `pulumi config set --path 'argocd.${field}' ${example}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function rejectUnknownKeys(object: Record<string, unknown>, allowed: readonly string[], prefix: string): void {
  for (const key of Object.keys(object)) {
    if (!allowed.includes(key)) {
      throw new ArgoCdConfigError(`${prefix}${key}`, 'is not a known setting', `use one of ${allowed.map((k) => prefix + k).join(', ')}`);
    }
  }
}

function optionalBoolean(object: Record<string, unknown>, field: string, fallback: boolean): boolean {
  const value = object[field];
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new ArgoCdConfigError(field, `must be true or false, not ${JSON.stringify(value)}`, setHint(field, 'true'));
  return value;
}

function text(object: Record<string, unknown>, field: string, pattern: RegExp, example: string, path = field): string {
  const value = object[field];
  if (typeof value !== 'string' || !pattern.test(value)) {
    const problem = value === undefined ? 'is required' : `must look like ${example}, not ${JSON.stringify(value)}`;
    throw new ArgoCdConfigError(path, problem, setHint(path, example));
  }
  return value;
}

function parseExposure(raw: unknown): ArgoCdExposure {
  if (raw === undefined) return { type: 'port-forward' };
  if (!isRecord(raw)) throw new ArgoCdConfigError('exposure', 'must be an object', setHint('exposure.type', 'port-forward'));
  if (raw.type === 'port-forward') {
    rejectUnknownKeys(raw, ['type'], 'exposure.');
    return { type: 'port-forward' };
  }
  if (raw.type === 'ingress') {
    rejectUnknownKeys(raw, ['type', 'host', 'className', 'clusterIssuer'], 'exposure.');
    const exposure: ArgoCdExposure = {
      type: 'ingress',
      host: text(raw, 'host', DNS_NAME, 'argocd.example.com', 'exposure.host'),
      className: text(raw, 'className', DNS_NAME, 'nginx', 'exposure.className'),
    };
    if (raw.clusterIssuer !== undefined) {
      exposure.clusterIssuer = text(raw, 'clusterIssuer', DNS_NAME, 'letsencrypt', 'exposure.clusterIssuer');
    }
    return exposure;
  }
  throw new ArgoCdConfigError('exposure.type', `must be "port-forward" or "ingress", not ${JSON.stringify(raw.type)}`, setHint('exposure.type', 'ingress'));
}

/** Validates the raw `nlp-pipeline:argocd` object (undefined = key absent = Argo CD off). */
export function parseArgoCdConfig(raw: unknown): ArgoCdConfig {
  if (raw === undefined) raw = {};
  if (!isRecord(raw)) throw new ArgoCdConfigError('enabled', 'is missing: nlp-pipeline:argocd must be an object', setHint('enabled', 'true'));
  rejectUnknownKeys(raw, ['enabled', 'namespace', 'repoURL', 'targetRevision', 'exposure', 'dex'], '');
  const enabled = optionalBoolean(raw, 'enabled', DEFAULTS.enabled);
  const namespace = raw.namespace === undefined ? DEFAULTS.namespace : text(raw, 'namespace', DNS_LABEL, 'argocd');
  const targetRevision = raw.targetRevision === undefined ? DEFAULTS.targetRevision : text(raw, 'targetRevision', /^\S+$/, 'main');
  const exposure = parseExposure(raw.exposure);
  const dex = optionalBoolean(raw, 'dex', DEFAULTS.dex);
  // The repository only matters when Argo CD runs; a disabled stack may leave it out.
  const repoURL = enabled || raw.repoURL !== undefined
    ? text(raw, 'repoURL', GIT_URL, 'https://github.com/<owner>/nlp-pipeline.git')
    : '';
  return { enabled, namespace, repoURL, targetRevision, exposure, dex };
}

/** Reads `nlp-pipeline:argocd` from the current stack. */
export function loadArgoCdConfig(): ArgoCdConfig {
  return parseArgoCdConfig(new pulumi.Config('nlp-pipeline').getObject<unknown>('argocd'));
}
