/**
 * The Logstash/Elasticsearch/Kibana data files checked as data: they parse, reference each
 * other consistently, and every field the dashboard, saved search and alert rule use is
 * mapped in the index template with a type that supports how it is used.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { ENTITY_LABELS } from '../../function/src/recognizer/types';
import { ROLLUP_FAILURE_LOG } from '../../function/src/storage';
import { SavedObject, esQueryRuleFieldUses, isNumericType, kqlFields, mappedFields, savedObjectFieldUses, useProblem } from './fields';
import {
  DATA_FILES, DATA_STREAMS, ERROR_RULE_ID, PAGERDUTY_CONNECTOR_ID, ROLLUP_FAILURE_MESSAGE, ROLLUP_RULE_ID, ROUTING_KEY_PLACEHOLDER,
  connectors, errorRule, ilmPolicy, indexTemplate, provisioningFiles, rollupRule, ruleUpdate,
} from './provisioningFiles';

const objects: SavedObject[] = readFileSync(DATA_FILES.kibanaObjects, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
const template = indexTemplate(0) as { index_patterns: string[]; template: { mappings: { properties: any } } };
const fields = mappedFields(template.template.mappings.properties);
const dataView = objects.find((o) => o.type === 'index-pattern')!;
const byId = new Map(objects.map((o) => [o.id, o]));

/** Pattern match for Elasticsearch index patterns (only `*` wildcards). */
const matches = (pattern: string, name: string) => new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.]/g, '\\.')).join('.*')}$`).test(name);

const problems = (uses: ReturnType<typeof savedObjectFieldUses>) => uses.map((use) => useProblem(use, fields.get(use.field))).filter(Boolean);

describe('Kibana saved objects (kibana/objects.ndjson)', () => {
  it('is one JSON object per line with unique ids and a single data view over the function data stream', () => {
    assert.equal(byId.size, objects.length);
    assert.equal(objects.filter((o) => o.type === 'index-pattern').length, 1);
    assert.ok(matches(dataView.attributes.title, DATA_STREAMS[0]), 'data view covers logs-ner_processor-default');
    assert.ok(template.index_patterns.includes(dataView.attributes.title), 'the template applies to the data view pattern');
  });

  it('every object declares the migration version its JSON is written for', () => {
    // Without it Kibana would run every migration since 7.x over our 8.x-shaped Lens state.
    for (const object of objects as Array<SavedObject & { typeMigrationVersion?: string }>) {
      assert.match(object.typeMigrationVersion ?? '', /^\d+\.\d+\.\d+$/, object.id);
    }
  });

  it('every reference resolves to an object in the file', () => {
    for (const object of objects) {
      for (const reference of object.references) {
        const target = byId.get(reference.id);
        assert.ok(target, `${object.id} references missing ${reference.id}`);
        assert.equal(target.type, reference.type, `${object.id} -> ${reference.id}`);
      }
    }
  });

  it('the dashboard has the five panels the issue asks for, each wired to a reference', () => {
    const dashboard = objects.find((o) => o.type === 'dashboard')!;
    const panels = JSON.parse(dashboard.attributes.panelsJSON) as Array<{ panelIndex: string; panelRefName: string }>;
    const titles = panels.map((panel) => {
      const reference = dashboard.references.find((r) => r.name === `${panel.panelIndex}:${panel.panelRefName}`);
      assert.ok(reference, `panel ${panel.panelIndex} has no reference`);
      return byId.get(reference.id)!.attributes.title as string;
    });
    for (const wanted of [/request rate/, /error rate/, /P50\/P95\/P99/, /entities per label/, /top error messages/]) {
      assert.ok(titles.some((title) => wanted.test(title)), `missing panel ${wanted}`);
    }
  });

  it('every field the data view, Lens charts and saved search use is mapped with a type that supports the use', () => {
    const uses = savedObjectFieldUses(objects);
    assert.ok(uses.length > 30, 'the extraction finds the fields');
    assert.deepEqual(problems(uses), []);
    for (const lens of objects.filter((o) => o.type === 'lens')) {
      assert.deepEqual(lens.references.map((r) => r.id), [dataView.id], lens.id);
      for (const layer of Object.values(lens.attributes.state.datasourceStates.formBased.layers) as any[]) {
        assert.deepEqual([...layer.columnOrder].sort(), Object.keys(layer.columns).sort(), `${lens.id} columnOrder`);
      }
    }
  });

  it('a field missing from the template or used against its type is reported', () => {
    const broken = objects.map((o) => JSON.parse(JSON.stringify(o).replaceAll('"sourceField":"duration_ms"', '"sourceField":"request_id"').replaceAll('entity_labels.EMOJI', 'entity_labels.FLAG')));
    const found = problems(savedObjectFieldUses(broken)).join('\n');
    assert.match(found, /request_id is mapped keyword, which does not support numeric use/);
    assert.match(found, /entity_labels\.FLAG is not in the index template/);
  });

  it('P50/P95/P99 are percentiles of duration_ms, and every entity label has a mapped counter on the chart', () => {
    const columns = (id: string) => Object.values(byId.get(id)!.attributes.state.datasourceStates.formBased.layers.layer1.columns) as any[];
    const percentiles = columns('ner-processor-duration-percentiles').filter((c) => c.operationType === 'percentile');
    assert.deepEqual(percentiles.map((c) => [c.sourceField, c.params.percentile]), [['duration_ms', 50], ['duration_ms', 95], ['duration_ms', 99]]);
    const labels = columns('ner-processor-entities-per-label').filter((c) => c.operationType === 'sum').map((c) => c.sourceField);
    assert.deepEqual(labels, ENTITY_LABELS.map((label) => `entity_labels.${label}`));
  });

  it('the saved search follows one request_id through mapped columns', () => {
    const search = objects.find((o) => o.type === 'search')!;
    const source = JSON.parse(search.attributes.kibanaSavedObjectMeta.searchSourceJSON);
    assert.deepEqual(kqlFields(source.query.query), ['request_id']);
    assert.equal(fields.get('request_id'), 'keyword');
    assert.equal(search.references[0].name, source.indexRefName);
  });
});

describe('index template and ILM policy', () => {
  it('maps request_id as keyword and duration_ms as a number; the rest of the contract fields too', () => {
    assert.equal(fields.get('request_id'), 'keyword');
    assert.ok(isNumericType(fields.get('duration_ms')));
    for (const field of ['entity_count', 'text_length', 'item_count', 'http.response.status_code']) assert.ok(isNumericType(fields.get(field)), field);
    for (const field of ['log.level', 'error.message', 'service.name', 'url.path', 'http.request.method']) assert.equal(fields.get(field), 'keyword', field);
  });

  it('covers the data streams Logstash writes and uses the ILM policy the Job installs', () => {
    for (const stream of DATA_STREAMS) assert.ok(template.index_patterns.some((p) => matches(p, stream)), stream);
    const settings = (indexTemplate(1) as any).template.settings;
    assert.equal(settings['index.number_of_replicas'], 1);
    assert.equal(settings['index.lifecycle.name'], 'nlp-pipeline-logs');
    assert.match(readFileSync(DATA_FILES.script, 'utf8'), /_ilm\/policy\/nlp-pipeline-logs/);
  });

  it('deletes data after the configured number of days', () => {
    const policy = ilmPolicy(14) as any;
    assert.equal(policy.policy.phases.delete.min_age, '14d');
    assert.deepEqual(Object.keys(policy.policy.phases.delete.actions), ['delete']);
  });
});

describe('alert rule and connectors', () => {
  it('counts error lines of the function data stream over 5 minutes, checked every minute', () => {
    const rule = errorRule(7, false);
    assert.equal(rule.rule_type_id, '.es-query');
    assert.deepEqual(rule.schedule, { interval: '1m' });
    assert.equal(rule.params.timeWindowSize, 5);
    assert.equal(rule.params.timeWindowUnit, 'm');
    assert.deepEqual(rule.params.threshold, [7]);
    assert.equal(rule.params.thresholdComparator, '>');
    assert.ok(rule.params.index.every((pattern) => matches(pattern, DATA_STREAMS[0])));
    const uses = esQueryRuleFieldUses(rule.params);
    assert.deepEqual(uses.map((u) => u.field), ['@timestamp', 'log.level']);
    assert.deepEqual(problems(uses), []);
  });

  it('counts the rollup job\'s failed runs (warn lines of its message) over 15 minutes', () => {
    const rule = rollupRule(false);
    assert.deepEqual(rule.schedule, { interval: '1m' });
    assert.deepEqual([rule.params.timeWindowSize, rule.params.timeWindowUnit, rule.params.threshold], [15, 'm', [5]]);
    const filter = JSON.parse(rule.params.esQuery).query.bool.filter;
    assert.deepEqual(filter, [{ term: { 'log.level': 'warn' } }, { match_phrase: { message: ROLLUP_FAILURE_MESSAGE } }]);
    assert.ok(ROLLUP_FAILURE_LOG.startsWith(ROLLUP_FAILURE_MESSAGE), 'the phrase is the start of the line the function logs');
    const uses = esQueryRuleFieldUses(rule.params);
    assert.deepEqual(uses.map((u) => u.field), ['@timestamp', 'log.level', 'message']);
    assert.deepEqual(problems(uses), []);
    assert.notEqual(rule.name, errorRule(1, false).name);
  });

  it('acts only through connectors that are provisioned; PagerDuty only with a routing key', () => {
    for (const pagerDuty of [false, true]) {
      const ids = new Set(connectors(pagerDuty).map((c) => c.id));
      for (const rule of [errorRule(1, pagerDuty), rollupRule(pagerDuty)]) {
        const actions = rule.actions.map((a) => a.id);
        for (const id of actions) assert.ok(ids.has(id), `${id} not provisioned`);
        assert.equal(actions.includes(PAGERDUTY_CONNECTOR_ID), pagerDuty);
      }
      assert.equal(ids.has(PAGERDUTY_CONNECTOR_ID), pagerDuty);
    }
    const types = connectors(false).map((c) => c.connector_type_id).sort();
    assert.deepEqual(types, ['.index', '.server-log'], 'Basic license connectors only');
  });

  it('renders create and update bodies the Kibana APIs accept, and keeps the routing key out of the files', () => {
    const files = provisioningFiles({ retentionDays: 3, replicas: 0, errorThreshold: 5, pagerDuty: true });
    const update = JSON.parse(files[`rule.${ERROR_RULE_ID}.update.json`]);
    for (const key of ['rule_type_id', 'consumer', 'enabled']) assert.ok(!(key in update), key);
    assert.deepEqual(update, JSON.parse(JSON.stringify(ruleUpdate(errorRule(5, true)))));
    assert.deepEqual(JSON.parse(files[`rule.${ROLLUP_RULE_ID}.create.json`]), JSON.parse(JSON.stringify(rollupRule(true))));
    const connectorUpdate = JSON.parse(files[`connector.${PAGERDUTY_CONNECTOR_ID}.update.json`]);
    assert.ok(!('connector_type_id' in connectorUpdate) && !('id' in connectorUpdate));
    assert.equal(connectorUpdate.secrets.routingKey, ROUTING_KEY_PLACEHOLDER);
    for (const name of Object.keys(files)) assert.match(name, /^[-._a-zA-Z0-9]+$/, 'valid ConfigMap key');
  });
});
