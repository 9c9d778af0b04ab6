/**
 * The Logstash/Elasticsearch/Kibana data files checked as data: they parse, reference each
 * other consistently, and every field the dashboard, saved search and alert rule use is
 * mapped in the index template with a type that supports how it is used.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { ENTITY_LABELS } from '../../function/src/recognizer/types';
import { dslFields, isAggregatable, isNumericType, kqlFields, mappedFields } from './fields';
import {
  DATA_FILES, DATA_STREAMS, ERROR_RULE_ID, PAGERDUTY_CONNECTOR_ID, ROUTING_KEY_PLACEHOLDER,
  connectors, errorRule, ilmPolicy, indexTemplate, provisioningFiles, ruleUpdate,
} from './provisioningFiles';

interface SavedObject {
  id: string;
  type: string;
  attributes: Record<string, any>;
  references: Array<{ id: string; type: string; name: string }>;
}

const objects: SavedObject[] = readFileSync(DATA_FILES.kibanaObjects, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
const template = indexTemplate(0) as { index_patterns: string[]; template: { mappings: { properties: any } } };
const fields = mappedFields(template.template.mappings.properties);
const dataView = objects.find((o) => o.type === 'index-pattern')!;
const byId = new Map(objects.map((o) => [o.id, o]));

/** Pattern match for Elasticsearch index patterns (only `*` wildcards). */
const matches = (pattern: string, name: string) => new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.]/g, '\\.')).join('.*')}$`).test(name);

function assertMapped(field: string, where: string, need: 'any' | 'aggregatable' | 'numeric' | 'date') {
  const type = fields.get(field);
  assert.ok(type, `${where}: field ${field} is not in the index template`);
  if (need === 'aggregatable') assert.ok(isAggregatable(type), `${where}: ${field} (${type}) cannot be aggregated`);
  if (need === 'numeric') assert.ok(isNumericType(type), `${where}: ${field} (${type}) is not numeric`);
  if (need === 'date') assert.equal(type, 'date', `${where}: ${field}`);
}

describe('Kibana saved objects (kibana/objects.ndjson)', () => {
  it('is one JSON object per line with unique ids and a single data view over the function data stream', () => {
    assert.equal(byId.size, objects.length);
    assert.equal(objects.filter((o) => o.type === 'index-pattern').length, 1);
    assert.ok(matches(dataView.attributes.title, DATA_STREAMS[0]), 'data view covers logs-ner_processor-default');
    assert.ok(template.index_patterns.includes(dataView.attributes.title), 'the template applies to the data view pattern');
    assertMapped(dataView.attributes.timeFieldName, 'data view', 'date');
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

  it('every Lens column and query uses a mapped field of a type that supports the operation', () => {
    for (const lens of objects.filter((o) => o.type === 'lens')) {
      assert.deepEqual(lens.references.map((r) => r.id), [dataView.id], lens.id);
      const { state } = lens.attributes;
      for (const field of kqlFields(state.query.query)) assertMapped(field, lens.id, 'any');
      for (const layer of Object.values(state.datasourceStates.formBased.layers) as any[]) {
        assert.deepEqual([...layer.columnOrder].sort(), Object.keys(layer.columns).sort(), `${lens.id} columnOrder`);
        for (const column of Object.values(layer.columns) as any[]) {
          if (column.filter) for (const field of kqlFields(column.filter.query)) assertMapped(field, lens.id, 'any');
          if (column.operationType === 'count') continue;
          const need = ['percentile', 'sum', 'average', 'median'].includes(column.operationType) ? 'numeric'
            : column.operationType === 'date_histogram' ? 'date' : 'aggregatable';
          assertMapped(column.sourceField, `${lens.id} ${column.operationType}`, need);
        }
      }
    }
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
    for (const column of search.attributes.columns) assertMapped(column, 'saved search', 'any');
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
    assertMapped(rule.params.timeField as string, 'rule timeField', 'date');
    const queried = dslFields(JSON.parse(rule.params.esQuery));
    assert.deepEqual(queried, ['log.level']);
    for (const field of queried) assertMapped(field, 'rule query', 'aggregatable');
  });

  it('acts only through connectors that are provisioned; PagerDuty only with a routing key', () => {
    for (const pagerDuty of [false, true]) {
      const ids = new Set(connectors(pagerDuty).map((c) => c.id));
      const actions = errorRule(1, pagerDuty).actions.map((a) => a.id);
      for (const id of actions) assert.ok(ids.has(id), `${id} not provisioned`);
      assert.equal(ids.has(PAGERDUTY_CONNECTOR_ID), pagerDuty);
      assert.equal(actions.includes(PAGERDUTY_CONNECTOR_ID), pagerDuty);
    }
    const types = connectors(false).map((c) => c.connector_type_id).sort();
    assert.deepEqual(types, ['.index', '.server-log'], 'Basic license connectors only');
  });

  it('renders create and update bodies the Kibana APIs accept, and keeps the routing key out of the files', () => {
    const files = provisioningFiles({ retentionDays: 3, replicas: 0, errorThreshold: 5, pagerDuty: true });
    const update = JSON.parse(files[`rule.${ERROR_RULE_ID}.update.json`]);
    for (const key of ['rule_type_id', 'consumer', 'enabled']) assert.ok(!(key in update), key);
    assert.deepEqual(update, JSON.parse(JSON.stringify(ruleUpdate(errorRule(5, true)))));
    const connectorUpdate = JSON.parse(files[`connector.${PAGERDUTY_CONNECTOR_ID}.update.json`]);
    assert.ok(!('connector_type_id' in connectorUpdate) && !('id' in connectorUpdate));
    assert.equal(connectorUpdate.secrets.routingKey, ROUTING_KEY_PLACEHOLDER);
    for (const name of Object.keys(files)) assert.match(name, /^[-._a-zA-Z0-9]+$/, 'valid ConfigMap key');
  });
});
