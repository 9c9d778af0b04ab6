/**
 * Memory: RSS of the server at idle, then after a soak of 1M novel tokens over HTTP
 * (batches of 100 comments x 100 made-up words), then after the same number of WNUT-17
 * comments. Target: RSS <= 150 MB after the soak. wink-nlp would keep every novel token
 * without the lexicon bound (recognizer/lexicon-bound.ts).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { FUNCTION_DIR, startServer } from '../function/test/server';
import { rssMb, scaled, writeResults } from './lib';
import { novelComment } from './wnut17';

const WORDS_PER_COMMENT = 100;
const COMMENTS_PER_BATCH = 100;

async function post(url: string, body: string): Promise<void> {
  const response = await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
  if (response.status !== 200) throw new Error(`soak request failed: ${response.status} ${await response.text()}`);
  await response.arrayBuffer();
}

/** NODE_OPTIONS as the image sets it, so the figures match the container. */
const IMAGE_NODE_OPTIONS = (() => {
  const match = /NODE_OPTIONS=(?:"([^"]*)"|(\S+))/.exec(readFileSync(path.join(FUNCTION_DIR, 'Dockerfile'), 'utf8'));
  return match?.[1] ?? match?.[2] ?? '';
})();

async function soak(nodeOptions: string, novelTokens: number) {
  const server = await startServer({ NODE_OPTIONS: nodeOptions }, { keepLogs: false });
  try {
    const pid = server.process.pid!;
    await post(server.url, JSON.stringify({ text: 'warm up at 5pm' }));
    await new Promise((resolve) => setTimeout(resolve, 500));
    const idle = rssMb(pid);
    const peaks: number[] = [];
    for (let first = 0; first < novelTokens; first += WORDS_PER_COMMENT * COMMENTS_PER_BATCH) {
      const items = Array.from({ length: COMMENTS_PER_BATCH }, (_, index) => ({
        text: novelComment(first + index * WORDS_PER_COMMENT, WORDS_PER_COMMENT),
      }));
      await post(server.url, JSON.stringify({ items }));
      if (first % 100_000 === 0) peaks.push(rssMb(pid));
    }
    return { node_options: nodeOptions, idle, after_soak: rssMb(pid), max_during_soak: Math.max(...peaks), every_100k_tokens: peaks };
  } finally {
    await server.stop();
  }
}

async function main() {
  const novelTokens = scaled(1_000_000, 10_000);
  writeResults('memory', {
    novel_tokens: novelTokens,
    rss_mb_as_in_image: await soak(IMAGE_NODE_OPTIONS, novelTokens),
    rss_mb_node_defaults: await soak('', novelTokens),
  });
}

void main();
