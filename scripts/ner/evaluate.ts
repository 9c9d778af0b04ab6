/**
 * seqeval-style scoring: a predicted entity counts only if its type and both character
 * offsets equal a gold entity's. Our labels map to WNUT types with `toWnutType`.
 */
import { ENTITY_TYPES, toWnutType, type EntityType } from '../../function/src/recognizer/sequence/labels';
import type { Entity } from '../../function/src/recognizer/types';
import type { Example } from './conll';

export interface Score {
  precision: number;
  recall: number;
  f1: number;
  /** Gold entities. */
  support: number;
  predicted: number;
  correct: number;
}

export interface Report {
  perType: Record<EntityType, Score>;
  micro: Score;
}

function score(correct: number, predicted: number, support: number): Score {
  const precision = predicted === 0 ? 0 : correct / predicted;
  const recall = support === 0 ? 0 : correct / support;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1, support, predicted, correct };
}

export function evaluate(examples: readonly Example[], recognize: (text: string) => Entity[]): Report {
  const counts = Object.fromEntries(ENTITY_TYPES.map((type) => [type, { correct: 0, predicted: 0, support: 0 }])) as
    Record<EntityType, { correct: number; predicted: number; support: number }>;
  for (const example of examples) {
    const gold = new Set(example.spans.map((span) => `${span.type}:${span.start}:${span.end}`));
    for (const span of example.spans) counts[span.type].support += 1;
    for (const entity of recognize(example.text)) {
      const type = toWnutType(entity.label);
      if (type === undefined) continue;
      counts[type].predicted += 1;
      if (gold.has(`${type}:${entity.start}:${entity.end}`)) counts[type].correct += 1;
    }
  }
  const perType = Object.fromEntries(ENTITY_TYPES.map((type) => {
    const { correct, predicted, support } = counts[type];
    return [type, score(correct, predicted, support)];
  })) as Record<EntityType, Score>;
  const total = Object.values(counts).reduce(
    (sum, c) => ({ correct: sum.correct + c.correct, predicted: sum.predicted + c.predicted, support: sum.support + c.support }),
    { correct: 0, predicted: 0, support: 0 },
  );
  return { perType, micro: score(total.correct, total.predicted, total.support) };
}

export function formatReport(report: Report): string {
  const percent = (x: number): string => (100 * x).toFixed(1).padStart(6);
  const row = (name: string, s: Score): string =>
    `${name.padEnd(14)}${percent(s.precision)}${percent(s.recall)}${percent(s.f1)}${String(s.support).padStart(8)}`;
  return [
    `${'type'.padEnd(14)}${'P'.padStart(6)}${'R'.padStart(6)}${'F1'.padStart(6)}${'gold'.padStart(8)}`,
    ...ENTITY_TYPES.map((type) => row(type, report.perType[type])),
    row('micro', report.micro),
  ].join('\n');
}
