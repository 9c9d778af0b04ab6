import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { LexiconBound } from './lexicon-bound';
import { CompiledAutomaton, type SymbolOf } from './wink-automaton';
import { winkModel } from './wink-model';
import type { WinkCache, WinkEntity, WinkTransform } from './wink-reader';

interface WinkAutomaton {
  importJSON(json: string): void;
  setPatternSwap(patterns: WinkEntity[] | null): void;
  recognize(tokens: number[], transform?: WinkTransform): WinkEntity[];
}
const createWinkAutomaton = require('wink-nlp/src/automaton.js') as (cache: WinkCache) => WinkAutomaton;

const { cache: liveCache } = LexiconBound.load(['ner']);
const cache = liveCache as unknown as WinkCache;
const { machines, transformers } = (winkModel as unknown as { ner(): { machines: string[]; transformers: (WinkTransform | undefined)[] } }).ner();
const lineBreak = cache.lookup('\n')![0]!;

/** A machine's transitions (state -> symbol -> next state), without wink's `otherwise` fallbacks. */
function transitionsOf(json: string): Map<number, [symbol: number, next: number][]> {
  const fsm = (JSON.parse(json) as [number, number, Record<string, Record<string, number>>])[2];
  return new Map(Object.entries(fsm).map(([state, row]) => [
    Number(state),
    Object.entries(row).filter(([key]) => key !== '2070003').map(([key, next]): [number, number] => [Number(key), next]),
  ]));
}

/**
 * Token streams that follow a machine's transitions for a while (so patterns match, fall back
 * and restart), broken by other lexemes and line breaks; `choices` steer the walk.
 */
function streamOf(transitions: Map<number, [number, number][]>, choices: readonly number[]): number[] {
  const tokens: number[] = [];
  let state = 0;
  for (const choice of choices) {
    const row = transitions.get(state) ?? [];
    if (choice % 11 === 0 || row.length === 0) {
      tokens.push(choice % 3 === 0 ? lineBreak : choice % 90_000);
      state = 0;
    } else {
      const [symbol, next] = row[choice % row.length]!;
      tokens.push(symbol);
      state = next;
    }
  }
  return tokens;
}

test('the compiled automaton finds what wink\'s does, on walks through each machine with swapped entities', () => {
  machines.forEach((json, index) => {
    let found = 0;
    let multiToken = 0;
    const wink = createWinkAutomaton(cache);
    wink.importJSON(json);
    const compiled = new CompiledAutomaton(json, lineBreak);
    const transform = transformers[index];
    const symbolOf: SymbolOf | undefined = transform && ((token) => transform(token, cache));
    const transitions = transitionsOf(json);
    // Swapped in as names, as the previous machine's entities are: the machine's own symbols, so they match.
    const names = [...new Set([...transitions.values()].flat().map(([symbol]) => String(symbol)))];
    const swap = fc.array(fc.tuple(fc.nat(12), fc.nat(3), fc.oneof(fc.constantFrom(...names), fc.string({ maxLength: 3 }))), { maxLength: 4 });
    fc.assert(fc.property(fc.array(fc.nat(), { maxLength: 40 }), swap, (choices, swaps) => {
      const tokens = streamOf(transitions, choices);
      const entities = swaps.filter(([first]) => first < tokens.length).map(([first, extra, name]): WinkEntity => [first, Math.min(first + extra, tokens.length - 1), name]);
      wink.setPatternSwap(entities.length > 0 ? [...entities] : null);
      const expected = wink.recognize(tokens, transform);
      assert.deepEqual(compiled.recognize(tokens, symbolOf, entities), expected);
      found += expected.length;
      multiToken += expected.filter(([first, last]) => last > first).length;
    }), { numRuns: 3000 });
    // The walks must reach the machine's patterns, several tokens long too, or this compares little.
    assert.ok(found > 3000 && multiToken > 300, `machine ${index}: ${found} entities, ${multiToken} of several tokens`);
  });
});
