/**
 * The sequence model's tag set. The model learns WNUT-17's six entity types (its training
 * data) as BIO tags; `toEntityLabel` maps a predicted span to the service's OntoNotes names.
 */
import type { EntityLabel } from '../types';

export const ENTITY_TYPES = ['person', 'location', 'corporation', 'product', 'creative-work', 'group'] as const;
export type EntityType = (typeof ENTITY_TYPES)[number];

/** Tag 0 is O; type k has B at 1 + 2k and I at 2 + 2k. */
export const TAGS: readonly string[] = ['O', ...ENTITY_TYPES.flatMap((type) => [`B-${type}`, `I-${type}`])];
export const OUTSIDE = 0;

export function beginTag(typeIndex: number): number {
  return 1 + 2 * typeIndex;
}

export function isInside(tag: number): boolean {
  return tag !== OUTSIDE && tag % 2 === 0;
}

/** The entity type index of a B or I tag. */
export function typeOfTag(tag: number): number {
  return (tag - 1) >> 1;
}

/**
 * BIO validity: I-x may only follow B-x or I-x. The decoder never crosses a forbidden
 * transition, so every decoded sequence is a valid chunking.
 */
export function isAllowedTransition(previous: number | null, next: number): boolean {
  if (!isInside(next)) return true;
  return previous !== null && previous !== OUTSIDE && typeOfTag(previous) === typeOfTag(next);
}

/**
 * WNUT type -> service label. `location` becomes GPE when the whole span is a known
 * country, state or city (gazetteer), LOC otherwise; `group` is NORP, `corporation` ORG.
 */
export function toEntityLabel(type: EntityType, isGeopolitical: boolean): EntityLabel {
  switch (type) {
    case 'person': return 'PERSON';
    case 'location': return isGeopolitical ? 'GPE' : 'LOC';
    case 'corporation': return 'ORG';
    case 'product': return 'PRODUCT';
    case 'creative-work': return 'WORK_OF_ART';
    case 'group': return 'NORP';
  }
}

/** Service label -> WNUT type, for evaluation; undefined for labels WNUT does not annotate. */
export function toWnutType(label: EntityLabel): EntityType | undefined {
  switch (label) {
    case 'PERSON': return 'person';
    case 'GPE': case 'LOC': return 'location';
    case 'ORG': return 'corporation';
    case 'PRODUCT': return 'product';
    case 'WORK_OF_ART': return 'creative-work';
    case 'NORP': return 'group';
    default: return undefined;
  }
}
