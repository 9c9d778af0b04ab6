/**
 * Field bookkeeping that ties the pieces together: which fields the index template maps (and
 * as what), which fields the Kibana objects and the alert rule query, and whether a real log
 * line's value fits its mapping. Used by the tests so a renamed or retyped field breaks them.
 */

export type Mapping = Map<string, string>;

interface Properties {
  [name: string]: { type?: string; properties?: Properties };
}

/** Flattens `mappings.properties` into dotted path -> type ("object" for bare objects). */
export function mappedFields(properties: Properties, prefix = ''): Mapping {
  const fields: Mapping = new Map();
  for (const [name, definition] of Object.entries(properties)) {
    const path = prefix + name;
    if (definition.properties) {
      fields.set(path, 'object');
      for (const [child, type] of mappedFields(definition.properties, `${path}.`)) fields.set(child, type);
    } else {
      fields.set(path, definition.type ?? 'object');
    }
  }
  return fields;
}

/** Field names in a KQL query (`field : value` and `field:*` clauses). */
export function kqlFields(query: string): string[] {
  return [...query.matchAll(/([\w@.]+)\s*:/g)].map((match) => match[1]);
}

/** A field an Elasticsearch query DSL clause names, and the clause (term, match, exists, ...). */
export interface DslField {
  field: string;
  clause: string;
}

/** The fields of an Elasticsearch query DSL object (keys of term/terms/match/range/exists clauses). */
export function dslFieldClauses(query: unknown): DslField[] {
  const found: DslField[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      if (['term', 'terms', 'match', 'match_phrase', 'range', 'prefix', 'wildcard'].includes(key) && value && typeof value === 'object') {
        found.push(...Object.keys(value).map((field) => ({ field, clause: key })));
      } else if (key === 'exists') {
        found.push({ field: (value as { field: string }).field, clause: key });
      } else {
        visit(value);
      }
    }
  };
  visit(query);
  return found;
}

/** Field names in an Elasticsearch query DSL object. */
export function dslFields(query: unknown): string[] {
  return dslFieldClauses(query).map(({ field }) => field);
}

/** Full-text clauses search analysed text; the others need exact values (keyword, numbers, dates). */
const FULL_TEXT_CLAUSES = new Set(['match', 'match_phrase']);

/** Flattens a log line (pino ECS writes some fields dotted, others nested) into dotted path -> value. */
export function flattenLine(line: Record<string, unknown>, prefix = ''): Map<string, unknown> {
  const flat = new Map<string, unknown>();
  for (const [key, value] of Object.entries(line)) {
    const path = prefix + key;
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      flat.set(path, value);
      for (const [child, childValue] of flattenLine(value as Record<string, unknown>, `${path}.`)) flat.set(child, childValue);
    } else {
      flat.set(path, value);
    }
  }
  return flat;
}

const NUMERIC = new Set(['long', 'integer', 'short', 'byte', 'float', 'double', 'half_float', 'scaled_float']);

/** Whether a JSON value indexes cleanly under an Elasticsearch field type. */
export function fitsMapping(type: string, value: unknown): boolean {
  if (NUMERIC.has(type)) {
    return typeof value === 'number' && Number.isFinite(value) && (type !== 'long' && type !== 'integer' || Number.isInteger(value));
  }
  switch (type) {
    case 'keyword':
    case 'constant_keyword':
    case 'match_only_text':
    case 'text':
      return typeof value === 'string';
    case 'date':
      return typeof value === 'string' && !Number.isNaN(Date.parse(value));
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    default:
      return false;
  }
}

export function isNumericType(type: string | undefined): boolean {
  return type !== undefined && NUMERIC.has(type);
}

/** Field types Kibana can aggregate on (terms, percentiles, sums, histograms). */
export function isAggregatable(type: string | undefined): boolean {
  return isNumericType(type) || type === 'keyword' || type === 'constant_keyword' || type === 'date';
}

export interface SavedObject {
  id: string;
  type: string;
  attributes: Record<string, any>;
  references: Array<{ id: string; type: string; name: string }>;
}

/** How an object uses a field: anything, aggregation (terms), numeric metric, or time axis. */
export type FieldNeed = 'any' | 'aggregatable' | 'numeric' | 'date';

export interface FieldUse {
  where: string;
  field: string;
  need: FieldNeed;
}

const NUMERIC_OPERATIONS = new Set(['percentile', 'sum', 'average', 'median', 'min', 'max']);

/** Every field a data view, Lens visualization or saved search uses, and how. */
export function savedObjectFieldUses(objects: SavedObject[]): FieldUse[] {
  const uses: FieldUse[] = [];
  const kql = (where: string, query: string) => kqlFields(query).forEach((field) => uses.push({ where, field, need: 'any' }));
  for (const object of objects) {
    const where = `${object.type} ${object.id}`;
    if (object.type === 'index-pattern') uses.push({ where, field: object.attributes.timeFieldName, need: 'date' });
    if (object.type === 'lens') {
      const { state } = object.attributes;
      kql(where, state.query.query);
      for (const layer of Object.values(state.datasourceStates.formBased.layers) as any[]) {
        for (const column of Object.values(layer.columns) as any[]) {
          if (column.filter) kql(where, column.filter.query);
          if (column.operationType === 'count') continue;
          const need = NUMERIC_OPERATIONS.has(column.operationType) ? 'numeric'
            : column.operationType === 'date_histogram' ? 'date' : 'aggregatable';
          uses.push({ where: `${where} ${column.operationType}`, field: column.sourceField, need });
        }
      }
    }
    if (object.type === 'search') {
      kql(where, JSON.parse(object.attributes.kibanaSavedObjectMeta.searchSourceJSON).query.query);
      for (const field of object.attributes.columns as string[]) uses.push({ where, field, need: 'any' });
    }
  }
  return uses;
}

/** Fields an `.es-query` rule filters on (aggregatable) and its time field. */
export function esQueryRuleFieldUses(params: { esQuery: string; timeField: string }): FieldUse[] {
  return [
    { where: 'rule timeField', field: params.timeField, need: 'date' },
    ...dslFieldClauses(JSON.parse(params.esQuery)).map(({ field, clause }) => ({
      where: 'rule query',
      field,
      need: FULL_TEXT_CLAUSES.has(clause) ? ('any' as const) : ('aggregatable' as const),
    })),
  ];
}

/** Whether a mapped type supports a use; returns the problem or undefined. */
export function useProblem(use: FieldUse, type: string | undefined): string | undefined {
  if (!type) return `${use.where}: field ${use.field} is not in the index template`;
  const ok = use.need === 'any' || (use.need === 'aggregatable' && isAggregatable(type))
    || (use.need === 'numeric' && isNumericType(type)) || (use.need === 'date' && type === 'date');
  return ok ? undefined : `${use.where}: ${use.field} is mapped ${type}, which does not support ${use.need} use`;
}
