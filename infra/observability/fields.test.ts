import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dslFields, fitsMapping, flattenLine, kqlFields, mappedFields } from './fields';

describe('field helpers', () => {
  it('flattens nested mappings into dotted paths', () => {
    const fields = mappedFields({ log: { properties: { level: { type: 'keyword' } } }, duration_ms: { type: 'float' } });
    assert.deepEqual([...fields], [['log', 'object'], ['log.level', 'keyword'], ['duration_ms', 'float']]);
  });

  it('finds fields in KQL and query DSL', () => {
    assert.deepEqual(kqlFields('log.level : "error" and request_id:* and not http.response.status_code >= 500'), ['log.level', 'request_id']);
    assert.deepEqual(dslFields({ query: { bool: { filter: [{ term: { 'log.level': 'error' } }, { range: { duration_ms: { gt: 1 } } }], must_not: [{ exists: { field: 'x' } }] } } }), ['log.level', 'duration_ms', 'x']);
  });

  it('flattens log lines with dotted and nested keys alike', () => {
    const flat = flattenLine({ 'log.level': 'info', http: { response: { status_code: 200 } } });
    assert.equal(flat.get('log.level'), 'info');
    assert.equal(flat.get('http.response.status_code'), 200);
  });

  it('checks values against mapping types', () => {
    assert.ok(fitsMapping('keyword', 'a') && !fitsMapping('keyword', 1));
    assert.ok(fitsMapping('float', 1.5) && !fitsMapping('float', '1.5'));
    assert.ok(fitsMapping('long', 3) && !fitsMapping('long', 3.5));
    assert.ok(fitsMapping('date', '2026-01-01T00:00:00.000Z') && !fitsMapping('date', 'yesterday'));
    assert.ok(fitsMapping('object', {}) && !fitsMapping('object', []));
    assert.ok(!fitsMapping('geo_point', 'x'));
  });
});
