/**
 * NER throughput of the whole recognizer (one wink read + wink's entities + the sequence
 * model) on WNUT-17 texts, one core: comments/s, tokens/s, p50/p99 latency per comment,
 * cold start (wink + model load) and memory; wink's stage alone, interleaved, for the cost ratio;
 * and wink with its default pipe (sbd, negation, sentiment, pos, ner, cer), the yardstick
 * ("about 22,000 comments/s here"), so figures from a slower or faster machine can be compared.
 * BENCH_SECONDS sets the measuring time per stage (default 5); NER_MODEL_PATH the model.
 * Writes bench/results/recognizer.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type WinkNlp from 'wink-nlp';
import type { Model } from 'wink-nlp';
import { FUNCTION_DIR } from '../function/src/paths';
import { compiledRecognizer, median, percentile } from './lib';
import { readWnut17 } from './wnut17';

const { createRecognizer, createWinkRecognizer, loadWink } = compiledRecognizer();

const seconds = Number(process.env.BENCH_SECONDS ?? 5);

// Cold start in two parts: wink and its model, then the NER model file (createRecognizer reuses wink).
const coldStart = performance.now();
const wink = loadWink();
const winkLoadMs = performance.now() - coldStart;
const recognizer = createRecognizer({ nerModelPath: process.env.NER_MODEL_PATH?.trim() || undefined });
const coldStartMs = performance.now() - coldStart;
const winkOnly = createWinkRecognizer(wink);
/** A separate wink as its README loads it: the package's model, every annotation of the default pipe. */
const functionRequire = createRequire(path.join(FUNCTION_DIR, 'package.json'));
const winkDefault = (functionRequire('wink-nlp') as typeof WinkNlp)(functionRequire('wink-eng-lite-web-model') as Model);

const texts = [...readWnut17('wnut17train.conll'), ...readWnut17('emerging.dev.conll')];
const tokensPerText = texts.reduce((sum, text) => sum + wink.nlp.readDoc(text).tokens().length(), 0) / texts.length;

/**
 * Throughput per second of this process's CPU time (one thread: per core), which a shared,
 * busy machine distorts far less than wall-clock time: the median over slices of 500 comments,
 * as other jobs slow some slices down. Latencies are wall-clock, over all slices.
 */
interface Run { commentsPerSecond: number; tokensPerSecond: number; p50Us: number; p99Us: number }

/** Each slice's comments per CPU-second, and every comment's latency, of one stage. */
interface Tally { sliceRates: number[]; latencies: number[] }

type Stage = (text: string) => unknown;
const stages: Record<'winkDefault' | 'winkOnly' | 'recognizer', Stage> = {
  winkDefault: (text) => winkDefault.readDoc(text).entities().out(winkDefault.its.detail),
  winkOnly: (text) => winkOnly.recognize(text),
  recognizer: (text) => recognizer.recognize(text),
};

/** Runs `stage` on the next `count` texts from `first`, adding to `tally`. */
function slice(stage: Stage, first: number, count: number, tally: Tally): void {
  const cpuBefore = process.cpuUsage();
  for (let i = first; i < first + count; i += 1) {
    const t0 = performance.now();
    stage(texts[i % texts.length]!);
    tally.latencies.push(performance.now() - t0);
  }
  const cpu = process.cpuUsage(cpuBefore);
  tally.sliceRates.push(count / ((cpu.user + cpu.system) / 1e6));
}

function summary({ sliceRates, latencies }: Tally): Run {
  const rate = median(sliceRates);
  const micros = (p: number): number => Math.round(percentile(latencies, p) * 1000);
  return { commentsPerSecond: Math.round(rate), tokensPerSecond: Math.round(rate * tokensPerText), p50Us: micros(50), p99Us: micros(99) };
}

/**
 * The stages in turn on the same slices of texts for `seconds` each, so load from other jobs on
 * the machine falls on all alike and their ratios stay meaningful.
 */
function measureInterleaved(): { winkDefaultRun: Run; winkRun: Run; fullRun: Run; costRatio: number; defaultPipeRatio: number } {
  for (const text of texts.slice(0, 2000)) Object.values(stages).forEach((stage) => stage(text)); // warm-up: JIT and caches
  const tallies = { winkDefault: newTally(), winkOnly: newTally(), recognizer: newTally() };
  const sliceSize = 500;
  const deadline = performance.now() + 3 * seconds * 1000;
  for (let first = 0; performance.now() < deadline; first += sliceSize) {
    for (const name of ['winkDefault', 'winkOnly', 'recognizer'] as const) slice(stages[name], first, sliceSize, tallies[name]);
  }
  // Slices of one round read the same texts back to back: the ratio of their rates is a relative cost.
  const full = tallies.recognizer.sliceRates;
  const ratioTo = (other: Tally): number => median(full.map((rate, i) => other.sliceRates[i]! / rate));
  return {
    winkDefaultRun: summary(tallies.winkDefault),
    winkRun: summary(tallies.winkOnly),
    fullRun: summary(tallies.recognizer),
    costRatio: ratioTo(tallies.winkOnly),
    defaultPipeRatio: ratioTo(tallies.winkDefault),
  };
}

function newTally(): Tally {
  return { sliceRates: [], latencies: [] };
}

const { winkDefaultRun, winkRun, fullRun, costRatio, defaultPipeRatio } = measureInterleaved();
const memory = process.memoryUsage();
const results = {
  modelVersion: recognizer.modelVersion,
  texts: texts.length,
  tokensPerText: Number(tokensPerText.toFixed(1)),
  secondsPerRun: seconds,
  coldStartMs: Math.round(coldStartMs),
  winkLoadMs: Math.round(winkLoadMs),
  nerModelLoadMs: Math.round(coldStartMs - winkLoadMs),
  winkDefaultPipe: winkDefaultRun,
  winkOnly: winkRun,
  recognizer: fullRun,
  /** Whole recognizer's CPU cost per comment over wink's stage alone: the median over pairs of slices. */
  costRatio: Number(costRatio.toFixed(2)),
  /** The recognizer's CPU cost per comment over wink's default pipe (the yardstick), the same way. */
  defaultPipeRatio: Number(defaultPipeRatio.toFixed(2)),
  heapUsedMb: Math.round(memory.heapUsed / 1e6),
  rssMb: Math.round(memory.rss / 1e6),
};

console.log(`${results.modelVersion}\ncold start ${results.coldStartMs} ms: wink ${results.winkLoadMs} ms, NER model ${results.nerModelLoadMs} ms`);
for (const [name, run] of [['wink default pipe', winkDefaultRun], ['wink only', winkRun], ['recognizer', fullRun]] as const) {
  console.log(`${name.padEnd(17)} ${run.commentsPerSecond} comments/s, ${run.tokensPerSecond} tokens/s per CPU-second, p50 ${run.p50Us} µs, p99 ${run.p99Us} µs`);
}
console.log(`cost ratio (recognizer / wink alone, interleaved) ${results.costRatio}; recognizer / wink's default pipe ${results.defaultPipeRatio}`);
console.log(`memory after the runs: heap ${results.heapUsedMb} MB, RSS ${results.rssMb} MB`);
mkdirSync(path.join(__dirname, 'results'), { recursive: true });
writeFileSync(path.join(__dirname, 'results', 'recognizer.json'), `${JSON.stringify(results, null, 2)}\n`);
