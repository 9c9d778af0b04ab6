/**
 * Renders the files the provisioning Job installs: the checked-in data files (ILM policy,
 * index template, Kibana saved objects, connectors, alert rules) with the per-stack values
 * applied. Pure functions, so tests check exactly what the Job will send.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

const here = (...parts: string[]) => path.join(__dirname, ...parts);
const readJson = <T>(file: string): T => JSON.parse(readFileSync(file, 'utf8')) as T;

export const DATA_FILES = {
  ilmPolicy: here('elasticsearch', 'ilm-policy.json'),
  indexTemplate: here('elasticsearch', 'index-template.json'),
  kibanaObjects: here('kibana', 'objects.ndjson'),
  connectors: here('kibana', 'connectors.json'),
  errorRule: here('kibana', 'error-rule.json'),
  script: here('provisioning', 'provision.sh'),
};

/** Data streams Logstash writes (logs-<dataset>-<namespace>, see logstash/pipeline.conf). */
export const DATA_STREAMS = ['logs-ner_processor-default', 'logs-openfaas-default'];
export const ERROR_RULE_ID = 'ner-processor-error-lines';
export const ROLLUP_RULE_ID = 'ner-processor-rollup-failing';
/** The start of the function's warn line for a failed run of its rollup job (function/src/storage/index.ts). */
export const ROLLUP_FAILURE_MESSAGE = 'analytics rollup job failed';
/** The rollup job runs every minute: more failed runs than this in 15 minutes is a job that keeps failing. */
export const ROLLUP_FAILURE_THRESHOLD = 5;
export const PAGERDUTY_CONNECTOR_ID = 'nlp-pipeline-pagerduty';
/** Placeholder in connectors.json the Job replaces with the routing key from its Secret. */
export const ROUTING_KEY_PLACEHOLDER = '__PAGERDUTY_ROUTING_KEY__';

export interface ProvisioningSettings {
  retentionDays: number;
  /** Replica shards per primary: 0 on a single node (else the cluster stays yellow), 1 with HA. */
  replicas: number;
  errorThreshold: number;
  pagerDuty: boolean;
}

export interface Connector {
  id: string;
  name: string;
  connector_type_id: string;
  config: Record<string, unknown>;
  secrets?: Record<string, unknown>;
}

interface RuleAction {
  id: string;
  group: string;
  frequency: Record<string, unknown>;
  params: Record<string, unknown>;
}

export interface Rule {
  name: string;
  rule_type_id: string;
  consumer: string;
  enabled: boolean;
  tags: string[];
  schedule: { interval: string };
  params: Record<string, unknown> & { threshold: number[]; index: string[]; esQuery: string; timeField: string };
  actions: RuleAction[];
}

export function ilmPolicy(retentionDays: number): unknown {
  const policy = readJson<{ policy: { phases: { delete: { min_age: string } } } }>(DATA_FILES.ilmPolicy);
  policy.policy.phases.delete.min_age = `${retentionDays}d`;
  return policy;
}

export function indexTemplate(replicas: number): unknown {
  const template = readJson<{ template: { settings: Record<string, unknown> } }>(DATA_FILES.indexTemplate);
  template.template.settings['index.number_of_replicas'] = replicas;
  return template;
}

/** Connectors for the stack: server-log and index always (Basic license), PagerDuty only with a key. */
export function connectors(pagerDuty: boolean): Connector[] {
  return readJson<Connector[]>(DATA_FILES.connectors).filter((c) => pagerDuty || c.id !== PAGERDUTY_CONNECTOR_ID);
}

/** PUT /api/actions/connector/{id} takes no id or type. */
export function connectorUpdate({ name, config, secrets }: Connector): Record<string, unknown> {
  return secrets ? { name, config, secrets } : { name, config };
}

/** Error lines of the function (5xx answers, storage unreachable) above `threshold` in 5 minutes. */
export function errorRule(threshold: number, pagerDuty: boolean): Rule {
  const rule = readJson<Rule>(DATA_FILES.errorRule);
  rule.params.threshold = [threshold];
  if (pagerDuty) {
    rule.actions.push({
      id: PAGERDUTY_CONNECTOR_ID,
      group: 'query matched',
      frequency: { summary: false, notify_when: 'onActionGroupChange', throttle: null },
      params: {
        eventAction: 'trigger',
        severity: 'error',
        dedupKey: '{{rule.id}}',
        summary: '{{rule.name}}: {{context.value}} lines',
      },
    });
  }
  return rule;
}

/**
 * The rollup job failing run after run (its warn lines; requests are unaffected, so the error
 * rule does not see it): analytics slow down as the raw tail grows, and raw-data retention
 * stops, so the database keeps growing. Same checks and actions as the error rule.
 */
export function rollupRule(pagerDuty: boolean): Rule {
  const rule = errorRule(ROLLUP_FAILURE_THRESHOLD, pagerDuty);
  rule.name = 'ner-processor: analytics rollup job failed runs in the last 15 minutes';
  rule.params.timeWindowSize = 15;
  rule.params.esQuery = JSON.stringify({
    query: { bool: { filter: [{ term: { 'log.level': 'warn' } }, { match_phrase: { message: ROLLUP_FAILURE_MESSAGE } }] } },
  });
  return rule;
}

/** PUT /api/alerting/rule/{id} rejects the type, consumer and enabled flag. */
export function ruleUpdate({ name, tags, schedule, params, actions }: Rule): Record<string, unknown> {
  return { name, tags, schedule, params, actions };
}

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/** File name -> content, as mounted into the Job (ConfigMap keys, so no slashes). */
export function provisioningFiles(settings: ProvisioningSettings): Record<string, string> {
  const files: Record<string, string> = {
    'provision.sh': readFileSync(DATA_FILES.script, 'utf8'),
    'ilm-policy.json': json(ilmPolicy(settings.retentionDays)),
    'index-template.json': json(indexTemplate(settings.replicas)),
    'kibana-objects.ndjson': readFileSync(DATA_FILES.kibanaObjects, 'utf8'),
  };
  for (const connector of connectors(settings.pagerDuty)) {
    files[`connector.${connector.id}.create.json`] = json(connector);
    files[`connector.${connector.id}.update.json`] = json(connectorUpdate(connector));
  }
  const rules: Record<string, Rule> = {
    [ERROR_RULE_ID]: errorRule(settings.errorThreshold, settings.pagerDuty),
    [ROLLUP_RULE_ID]: rollupRule(settings.pagerDuty),
  };
  for (const [id, rule] of Object.entries(rules)) {
    files[`rule.${id}.create.json`] = json(rule);
    files[`rule.${id}.update.json`] = json(ruleUpdate(rule));
  }
  return files;
}
