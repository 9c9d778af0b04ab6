/**
 * NER throughput of the whole recognizer (one wink read + wink's entities + the sequence
 * model) on WNUT-17 texts, one core: comments/s, tokens/s, p50/p99 latency per comment,
 * cold start (wink + model load) and memory; wink's stage alone for the ratio.
 * BENCH_SECONDS sets the measuring time per run (default 5); NER_MODEL_PATH the model.
 * Writes bench/results/recognizer.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createRecognizer, loadWink, type Recognizer } from '../function/src/recognizer';
import { createWinkRecognizer } from '../function/src/recognizer/wink';
import { readWnut17 } from './wnut17';

const seconds = Number(process.env.BENCH_SECONDS ?? 5);

// Cold start in two parts: wink and its model, then the NER model file (createRecognizer reuses wink).
const coldStart = performance.now();
const wink = loadWink();
const winkLoadMs = performance.now() - coldStart;
const recognizer = createRecognizer({ nerModelPath: process.env.NER_MODEL_PATH?.trim() || undefined });
const coldStartMs = performance.now() - coldStart;
const winkOnly = createWinkRecognizer(wink);

const texts = [...readWnut17('wnut17train.conll'), ...readWnut17('emerging.dev.conll')];
const tokensPerText = texts.reduce((sum, text) => sum + wink.nlp.readDoc(text).tokens().length(), 0) / texts.length;

/**
 * Throughput per second of this process's CPU time (one thread: per core), which a shared,
 * busy machine distorts far less than wall-clock time; latencies are wall-clock.
 */
interface Run { commentsPerSecond: number; tokensPerSecond: number; p50Us: number; p99Us: number }

function measure(stage: Recognizer): Run {
  for (const text of texts.slice(0, 2000)) stage.recognize(text); // warm-up
  const latencies: number[] = [];
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const deadline = started + seconds * 1000;
  let i = 0;
  while (performance.now() < deadline) {
    const text = texts[i % texts.length]!;
    const t0 = performance.now();
    stage.recognize(text);
    latencies.push(performance.now() - t0);
    i += 1;
  }
  const cpu = process.cpuUsage(cpuBefore);
  const elapsed = (cpu.user + cpu.system) / 1e6;
  latencies.sort((a, b) => a - b);
  const micros = (q: number): number => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]! * 1000);
  return { commentsPerSecond: Math.round(i / elapsed), tokensPerSecond: Math.round((i * tokensPerText) / elapsed), p50Us: micros(0.5), p99Us: micros(0.99) };
}

const winkRun = measure(winkOnly);
const fullRun = measure(recognizer);
const memory = process.memoryUsage();
const results = {
  modelVersion: recognizer.modelVersion,
  texts: texts.length,
  tokensPerText: Number(tokensPerText.toFixed(1)),
  secondsPerRun: seconds,
  coldStartMs: Math.round(coldStartMs),
  winkLoadMs: Math.round(winkLoadMs),
  nerModelLoadMs: Math.round(coldStartMs - winkLoadMs),
  winkOnly: winkRun,
  recognizer: fullRun,
  heapUsedMb: Math.round(memory.heapUsed / 1e6),
  rssMb: Math.round(memory.rss / 1e6),
};

console.log(`${results.modelVersion}\ncold start ${results.coldStartMs} ms: wink ${results.winkLoadMs} ms, NER model ${results.nerModelLoadMs} ms`);
for (const [name, run] of [['wink only', winkRun], ['recognizer', fullRun]] as const) {
  console.log(`${name.padEnd(11)} ${run.commentsPerSecond} comments/s, ${run.tokensPerSecond} tokens/s per CPU-second, p50 ${run.p50Us} µs, p99 ${run.p99Us} µs`);
}
console.log(`memory after the runs: heap ${results.heapUsedMb} MB, RSS ${results.rssMb} MB`);
mkdirSync(path.join(__dirname, 'results'), { recursive: true });
writeFileSync(path.join(__dirname, 'results', 'recognizer.json'), `${JSON.stringify(results, null, 2)}\n`);
