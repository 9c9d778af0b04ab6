/**
 * NER only, in process: comments/s and tokens/s per core over WNUT-17 texts (per CPU-second of
 * the process, GC and compiler threads included, so other jobs on the shared machine do not
 * count; wall-clock too), and per-comment latency. Target: >= 20,000 comments/s per core.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { compiledRecognizer, median, percentile, scaled, writeResults } from './lib';
import { readWnut17 } from './wnut17';

const texts = [...readWnut17('wnut17train.conll'), ...readWnut17('emerging.dev.conll')];
const tokens = texts.reduce((sum, text) => sum + text.split(' ').length, 0);
const recognizer = compiledRecognizer().createRecognizer();

// Reference in the same run (the machine is shared): wink alone with its default pipe.
interface WinkAlone {
  readDoc(text: string): { entities(): { out(its: unknown): unknown } };
  its: { detail: unknown };
}
const functionRequire = createRequire(path.join(__dirname, '..', 'function', 'package.json'));
const wink = (functionRequire('wink-nlp') as (model: unknown) => WinkAlone)(functionRequire('wink-eng-lite-web-model'));
const winkDefaultPipe = (text: string) => wink.readDoc(text).entities().out(wink.its.detail);

// Warm-up: JIT and both lexicons.
for (const text of texts) recognizer.recognize(text);
for (const text of texts) winkDefaultPipe(text);

/**
 * Passes of the recognizer and of the yardstick alternate, so a change in the shared machine's
 * speed falls on both: measured one after the other (5 passes each), three runs of one build
 * put the recognizer at 0.75-0.89 of the yardstick's rate, where interleaved slices put it at 0.99.
 */
const passes = scaled(5);
const latenciesUs: number[] = [];
/** Per pass: comments per CPU-second of this process (per core: other jobs on the VM do not count) and per wall-clock second. */
const passRates: number[] = [];
const wallRates: number[] = [];
const winkRates: number[] = [];
let entities = 0;
const cpuSeconds = (since: NodeJS.CpuUsage): number => {
  const { user, system } = process.cpuUsage(since);
  return (user + system) / 1e6;
};
for (let pass = 0; pass < passes; pass += 1) {
  const started = process.hrtime.bigint();
  const cpuStarted = process.cpuUsage();
  for (const text of texts) {
    const before = process.hrtime.bigint();
    entities += recognizer.recognize(text).length;
    latenciesUs.push(Number(process.hrtime.bigint() - before) / 1000);
  }
  passRates.push(texts.length / cpuSeconds(cpuStarted));
  wallRates.push(texts.length / (Number(process.hrtime.bigint() - started) / 1e9));
  const winkCpuStarted = process.cpuUsage();
  for (const text of texts) winkDefaultPipe(text);
  winkRates.push(texts.length / cpuSeconds(winkCpuStarted));
}

const commentsPerSecond = median(passRates);

writeResults('ner', {
  model_version: recognizer.modelVersion,
  corpus: { comments: texts.length, tokens, passes },
  comments_per_second_per_core: Math.round(commentsPerSecond),
  tokens_per_second_per_core: Math.round((commentsPerSecond * tokens) / texts.length),
  latency_us: { p50: +percentile(latenciesUs, 50).toFixed(1), p99: +percentile(latenciesUs, 99).toFixed(1) },
  wall_clock_comments_per_second: Math.round(median(wallRates)),
  entities_per_pass: entities / passes,
  wink_default_pipe_comments_per_second: Math.round(median(winkRates)),
  /** The recognizer's rate over the yardstick's, per pair of passes: the median. */
  rate_to_default_pipe: Number(median(passRates.map((rate, i) => rate / winkRates[i]!)).toFixed(2)),
  note: 'median over passes of comments per CPU-second of the process (one thread recognizes); latencies wall-clock; hrtime around each recognize() adds ~0.1 µs',
});
