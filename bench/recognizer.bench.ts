/**
 * NER throughput of the whole recognizer (wink + the sequence stage) on WNUT-17 texts, one
 * core: comments/s, tokens/s, p50/p99 latency per comment, cold start (wink + model load)
 * and memory. Also wink alone, for the ratio. BENCH_SECONDS sets the measuring time per
 * run (default 5). Writes bench/results/recognizer.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createWink } from '../function/src/recognizer/sequence/nlp';
import { BUNDLED_MODEL_PATH, modelPathFrom, SequenceStage } from '../function/src/recognizer/sequence/stage';
import { readConll, WNUT_DEV, WNUT_TRAIN } from '../scripts/ner/conll';

const seconds = Number(process.env.BENCH_SECONDS ?? 5);

const coldStart = performance.now();
const nlp = createWink();
const winkLoadMs = performance.now() - coldStart;
const modelStart = performance.now();
const stage = SequenceStage.load(modelPathFrom(process.env), nlp);
const modelLoadMs = performance.now() - modelStart;
const coldStartMs = performance.now() - coldStart;

const texts = [...readConll(WNUT_TRAIN), ...readConll(WNUT_DEV)].map((example) => example.text);
const tokenCount = texts.reduce((sum, text) => sum + nlp.readDoc(text).tokens().length(), 0);
const tokensPerText = tokenCount / texts.length;

interface Run { commentsPerSecond: number; tokensPerSecond: number; p50Us: number; p99Us: number }

function measure(work: (text: string) => unknown): Run {
  for (const text of texts.slice(0, 2000)) work(text); // warm-up
  const latencies: number[] = [];
  const deadline = performance.now() + seconds * 1000;
  const started = performance.now();
  let i = 0;
  while (performance.now() < deadline) {
    const text = texts[i % texts.length]!;
    const t0 = performance.now();
    work(text);
    latencies.push(performance.now() - t0);
    i += 1;
  }
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number): number => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]! * 1000);
  return { commentsPerSecond: Math.round(i / elapsed), tokensPerSecond: Math.round((i * tokensPerText) / elapsed), p50Us: at(0.5), p99Us: at(0.99) };
}

const winkOnly = measure((text) => nlp.readDoc(text).tokens().out());
const recognizer = measure((text) => stage.recognizeDoc(nlp.readDoc(text), text));
const memory = process.memoryUsage();

const results = {
  model: stage.modelVersion,
  modelPath: path.relative(process.cwd(), modelPathFrom(process.env)) || BUNDLED_MODEL_PATH,
  texts: texts.length,
  tokensPerText: Number(tokensPerText.toFixed(1)),
  secondsPerRun: seconds,
  coldStartMs: Math.round(coldStartMs),
  winkLoadMs: Math.round(winkLoadMs),
  modelLoadMs: Math.round(modelLoadMs),
  winkOnly,
  recognizer,
  heapUsedMb: Math.round(memory.heapUsed / 1e6),
  rssMb: Math.round(memory.rss / 1e6),
};

console.log(`recognizer ${results.model}: cold start ${results.coldStartMs} ms (wink ${results.winkLoadMs}, model ${results.modelLoadMs})`);
for (const [name, run] of [['wink only', winkOnly], ['wink + NER', recognizer]] as const) {
  console.log(`${name.padEnd(11)} ${run.commentsPerSecond} comments/s, ${run.tokensPerSecond} tokens/s, p50 ${run.p50Us} µs, p99 ${run.p99Us} µs (one core)`);
}
console.log(`memory: heap ${results.heapUsedMb} MB, RSS ${results.rssMb} MB`);
mkdirSync(path.join(__dirname, 'results'), { recursive: true });
writeFileSync(path.join(__dirname, 'results', 'recognizer.json'), `${JSON.stringify(results, null, 2)}\n`);
