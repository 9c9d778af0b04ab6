/**
 * NER only, in process: comments/s and tokens/s on one core over WNUT-17 texts, and
 * per-comment latency. Target: >= 20,000 comments/s per core.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { compiledRecognizer, median, percentile, scaled, writeResults } from './lib';
import { readWnut17 } from './wnut17';

const texts = [...readWnut17('wnut17train.conll'), ...readWnut17('emerging.dev.conll')];
const tokens = texts.reduce((sum, text) => sum + text.split(' ').length, 0);
const recognizer = compiledRecognizer().createRecognizer();

for (const text of texts) recognizer.recognize(text); // warm-up: JIT and wink's lexicon

const passes = scaled(5);
const latenciesUs: number[] = [];
const passRates: number[] = [];
let entities = 0;
for (let pass = 0; pass < passes; pass += 1) {
  const started = process.hrtime.bigint();
  for (const text of texts) {
    const before = process.hrtime.bigint();
    entities += recognizer.recognize(text).length;
    latenciesUs.push(Number(process.hrtime.bigint() - before) / 1000);
  }
  passRates.push(texts.length / (Number(process.hrtime.bigint() - started) / 1e9));
}

const commentsPerSecond = median(passRates);

// Reference in the same run (the machine is shared): wink alone with its default pipe.
interface WinkAlone {
  readDoc(text: string): { entities(): { out(its: unknown): unknown } };
  its: { detail: unknown };
}
const functionRequire = createRequire(path.join(__dirname, '..', 'function', 'package.json'));
const wink = (functionRequire('wink-nlp') as (model: unknown) => WinkAlone)(functionRequire('wink-eng-lite-web-model'));
const winkRates: number[] = [];
for (let pass = 0; pass <= passes; pass += 1) {
  const started = process.hrtime.bigint();
  for (const text of texts) wink.readDoc(text).entities().out(wink.its.detail);
  if (pass > 0) winkRates.push(texts.length / (Number(process.hrtime.bigint() - started) / 1e9));
}

writeResults('ner', {
  model_version: recognizer.modelVersion,
  corpus: { comments: texts.length, tokens, passes },
  comments_per_second_per_core: Math.round(commentsPerSecond),
  tokens_per_second_per_core: Math.round((commentsPerSecond * tokens) / texts.length),
  latency_us: { p50: +percentile(latenciesUs, 50).toFixed(1), p99: +percentile(latenciesUs, 99).toFixed(1) },
  entities_per_pass: entities / passes,
  wink_default_pipe_comments_per_second: Math.round(median(winkRates)),
  note: 'median over passes, one thread; hrtime around each recognize() adds ~0.1 µs',
});
