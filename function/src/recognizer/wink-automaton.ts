/**
 * wink-nlp's entity automaton (wink-nlp/src/automaton.js, `recognize`) over tables compiled from
 * the same machine JSON.
 *
 * Why: wink keeps each machine as objects keyed by symbol, so every token costs several
 * dictionary look-ups per machine, and the `ner` pipe runs three machines: about a seventh of the
 * recognizer's CPU (docs/ner.md, sixth round). Here a state's transitions are one row of a typed
 * array. The scan below is wink's, step for step (its greedy restarts, the `otherwise` fallbacks,
 * the previous machine's entities swapped in as single symbols, skipped line breaks);
 * wink-automaton.test.ts runs both on random symbol streams and wink-reader.test.ts on every
 * WNUT-17 text, so a new wink version cannot drift silently.
 */
import type { WinkEntity } from './wink-reader';

/** wink's symbols for the end of the tokens and for a state's fallback (automaton.js `eosTokenN`, `otherwiseN`). */
const END_OF_TOKENS = 2070000;
const OTHERWISE = '2070003';
const ROOT = 0;
const EMPTY = -1;

/** A token transformer: a lexeme's index to the symbol the machine reads (wink's `ner` transformers). */
export type SymbolOf = (token: number) => number;

/** A machine as wink's `exportJSON` writes it: [version, last state, fsm, terminal names, marks, custom properties]. */
type MachineJSON = [number, number, Record<string, Record<string, number>>, Record<string, string>, Record<string, [number, number]>, unknown];

export class CompiledAutomaton {
  /**
   * Symbol -> column + 1 (0: no state has a transition on it), for symbols that are non-negative
   * int32: open addressing, small enough to stay in the L1 cache (a machine reads 80-170 symbols).
   */
  private readonly symbolSlots: Int32Array;
  private readonly slotColumns: Uint16Array;
  private readonly slotMask: number;
  /** The same for any symbol by its property key, as wink looks it up (the previous machine's entity names are strings). */
  private readonly columnOfKey = new Map<string, number>();
  private readonly width: number;
  /** transitions[state * width + column]: the next state, 0 (the root) where wink's row has none. */
  private readonly transitions: Int16Array;
  private readonly fallback: Int16Array;
  /** Entity name per terminal state; '' for others (wink treats an empty name as no terminal too). */
  private readonly names: string[];
  private readonly marks: ([number, number] | undefined)[];
  /** `recognize`'s swapped entities by first token (wink's `setPatternSwap`), set and cleared per call. */
  private readonly swapNames: (string | undefined)[] = [];
  private readonly swapLasts: number[] = [];

  /**
   * `json` is one of the model's `ner().machines`; `lineBreak` the lexeme index of "\n", which
   * wink's automaton skips (it asks the cache for it once, as here).
   */
  constructor(json: string, private readonly lineBreak: number) {
    const [, lastState, fsm, terminals, marks] = JSON.parse(json) as MachineJSON;
    const states = lastState + 1;
    if (states > 0x7fff) throw new Error(`wink machine has ${states} states, more than the compiled table holds`);
    // for-in loops, not entries(): this runs once, at cold start, where the allocations showed.
    for (const state in fsm) for (const key in fsm[state]) if (key !== OTHERWISE && !this.columnOfKey.has(key)) this.columnOfKey.set(key, this.columnOfKey.size + 1);
    this.width = this.columnOfKey.size + 1;
    let capacity = 16;
    while (capacity < 4 * this.columnOfKey.size) capacity *= 2;
    this.slotMask = capacity - 1;
    this.symbolSlots = new Int32Array(capacity).fill(EMPTY);
    this.slotColumns = new Uint16Array(capacity);
    for (const [key, column] of this.columnOfKey) {
      const symbol = Number(key);
      if (String(symbol) !== key || (symbol | 0) !== symbol || symbol < 0) continue;
      let slot = slotOf(symbol, this.slotMask);
      while (this.symbolSlots[slot] !== EMPTY) slot = (slot + 1) & this.slotMask;
      this.symbolSlots[slot] = symbol;
      this.slotColumns[slot] = column;
    }
    this.transitions = new Int16Array(states * this.width);
    this.fallback = new Int16Array(states);
    for (const state in fsm) {
      const row = fsm[state]!;
      const base = Number(state) * this.width;
      for (const key in row) {
        if (key === OTHERWISE) this.fallback[Number(state)] = row[key]!;
        else this.transitions[base + this.columnOfKey.get(key)!] = row[key]!;
      }
    }
    this.names = new Array<string>(states).fill('');
    for (const state in terminals) this.names[Number(state)] = terminals[state]!;
    this.marks = new Array<[number, number] | undefined>(states).fill(undefined);
    for (const state in marks) this.marks[Number(state)] = marks[state];
  }

  /**
   * wink's `recognize(tokens, transform)` after `setPatternSwap(swap)`: entities as
   * [first token, last token, name], in the order wink finds them.
   */
  recognize(tokens: readonly number[], symbolOf: SymbolOf | undefined, swap: readonly WinkEntity[] | null): WinkEntity[] {
    const length = tokens.length;
    const swaps = swap ?? [];
    const { names, fallback, transitions, width, lineBreak, swapNames, swapLasts } = this;
    // Grown densely: holes would make them slow dictionary arrays.
    while (swapNames.length <= length) {
      swapNames.push(undefined);
      swapLasts.push(0);
    }
    // As wink's `setPatternSwap`: a later entity at the same first token wins.
    for (const [first, last, name] of swaps) {
      swapNames[first] = name;
      swapLasts[first] = last;
    }
    const found: WinkEntity[] = [];
    let first = 0;
    let state = ROOT;
    let next = ROOT;
    let lastFallbackIndex = 0;
    let lastFallbackState = ROOT;
    // As wink's: `delta` carries over a skipped line break, and a match restarts the scan after it.
    let delta = 1;
    for (let i = 0; i <= length; i += 1) {
      for (let j = i; j <= length; j += delta) {
        let symbol: number | string = j === length ? END_OF_TOKENS : tokens[j]!;
        if (symbol === lineBreak) continue;
        const swapName = swaps.length === 0 ? undefined : swapNames[j];
        if (swapName !== undefined) {
          symbol = swapName;
          delta = swapLasts[j]! - j + 1;
        } else delta = 1;
        if (symbolOf !== undefined && j < length) symbol = symbolOf(symbol as number);
        next = transitions[state * width + this.columnOf(symbol)]!;
        if (state === ROOT && next !== ROOT) first = j;
        if (names[next] !== '') {
          this.push(found, first, j + delta - 1, next);
          i = j;
          j = length + 100;
          next = ROOT;
          lastFallbackState = ROOT;
        } else if (next === ROOT) {
          if (lastFallbackState !== ROOT) {
            this.push(found, first, lastFallbackIndex, lastFallbackState);
            i = lastFallbackIndex;
            j = length + 100;
            lastFallbackState = ROOT;
          } else {
            j = length + 100;
          }
        }
        state = next;
        if (fallback[state] !== ROOT) {
          lastFallbackIndex = j + delta - 1;
          lastFallbackState = fallback[state]!;
        }
      }
    }
    for (const [first] of swaps) swapNames[first] = undefined;
    return found;
  }

  private columnOf(symbol: number | string): number {
    if (typeof symbol !== 'number' || (symbol | 0) !== symbol || symbol < 0) return this.columnOfKey.get(String(symbol)) ?? 0;
    const { symbolSlots, slotMask } = this;
    for (let slot = slotOf(symbol, slotMask); ; slot = (slot + 1) & slotMask) {
      const found = symbolSlots[slot]!;
      if (found === symbol) return this.slotColumns[slot]!;
      if (found === EMPTY) return 0;
    }
  }

  /** wink's `pushMatch2Patterns`: name '0' is a pattern that only blocks others; marks trim the span. */
  private push(found: WinkEntity[], first: number, last: number, state: number): void {
    const name = this.names[state]!;
    if (name === '0') return;
    const mark = this.marks[state];
    found.push(mark === undefined ? [first, last, name] : [first + mark[0], last - mark[1], name]);
  }
}

function slotOf(symbol: number, mask: number): number {
  return (Math.imul(symbol, 0x9e3779b1) >>> 16) & mask;
}
