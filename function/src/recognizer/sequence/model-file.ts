/**
 * The model file's bytes: a binary container, so start-up reads the weights as typed arrays
 * instead of parsing some 170,000 decimal numbers out of JSON.
 *
 *   "NERMODEL"                  8 bytes, magic
 *   uint32 LE                   container version (CONTAINER_VERSION)
 *   uint32 LE                   length of the layout JSON
 *   layout JSON (UTF-8)         { header, counts }: the model header stays readable with `head -c 4k`
 *   zero padding to 8 bytes
 *   float64[transitions]        then int32[keys], int32[weights], int32[word cluster ids] (little-endian)
 *   UTF-8 text                  vocabulary, each gazetteer list, the word clusters' words, one string a line
 *
 * Container version 2 added the word clusters; version 1 files (none) still load.
 *
 * `weights` holds its counts and tags as they are and each weight in thousandths (weights have
 * three decimals, and the model scores in thousandths), so decoding gives back the decimals.
 */
import os from 'node:os';
import type { ModelFile, ModelHeader } from './model';
import { checkWordClusters } from './word-clusters';

const MAGIC = 'NERMODEL';
const CONTAINER_VERSION = 2;
const READABLE_VERSIONS = [1, CONTAINER_VERSION];
/** Magic, container version, layout length. */
const PREAMBLE_BYTES = MAGIC.length + 8;

interface Layout {
  header: ModelHeader;
  counts: {
    transitions: number;
    keys: number;
    weights: number;
    vocabulary: number;
    /** Gazetteer list name -> entry count, in file order. */
    gazetteers: Record<string, number>;
    /** Word clusters: clusters per level, and words (absent: none). */
    wordClusterLevels?: number[];
    wordClusterWords?: number;
    /** Bytes of the UTF-8 text section. */
    textBytes: number;
  };
}

/** Weights, transitions and the O bias have three decimals: the value in thousandths, or undefined if finer. */
export function thousandths(value: number): number | undefined {
  const milli = Math.round(value * 1000);
  return Math.abs(milli - value * 1000) > 1e-6 ? undefined : milli;
}

/**
 * Calls `each(index, isWeight)` for every element of a `weights` array: per key in order a
 * count n, then n pairs (tag, weight).
 */
function walkWeights(weights: ArrayLike<number>, keyCount: number, each: (index: number, isWeight: boolean) => void): void {
  let at = 0;
  for (let k = 0; k < keyCount; k += 1) {
    const count = weights[at]!;
    each(at++, false);
    for (let e = 0; e < count; e += 1, at += 2) {
      each(at, false);
      each(at + 1, true);
    }
  }
}

/**
 * A file's content as the model file holds it; `decodeModelFile(encodeModelFile(f))` equals f,
 * but for the cluster words, which come back joined by line breaks.
 */
export function encodeModelFile(file: ModelFile): Buffer {
  const lists = Object.entries(file.gazetteers);
  const clusters = file.wordClusters;
  const clusterWords = clusters === undefined ? [] : typeof clusters.words === 'string' ? clusters.words.split('\n') : clusters.words;
  const strings = [...file.vocabulary, ...lists.flatMap(([, entries]) => entries), ...clusterWords];
  const badString = strings.find((value) => value.includes('\n'));
  if (badString !== undefined) throw new Error(`model string ${JSON.stringify(badString)} holds a line break`);
  // Loading a binary file checks the clusters' sizes only: their order and ids are checked here.
  if (clusters) checkWordClusters({ ...clusters, words: clusterWords });
  const text = Buffer.from(strings.join('\n'), 'utf8');
  const layout: Layout = {
    header: file.header,
    counts: {
      transitions: file.transitions.length,
      keys: file.keys.length,
      weights: file.weights.length,
      vocabulary: file.vocabulary.length,
      gazetteers: Object.fromEntries(lists.map(([name, entries]) => [name, entries.length])),
      ...(clusters ? { wordClusterLevels: [...clusters.levels], wordClusterWords: clusterWords.length } : {}),
      textBytes: text.length,
    },
  };
  const layoutJson = Buffer.from(JSON.stringify(layout), 'utf8');
  const preamble = Buffer.alloc(PREAMBLE_BYTES);
  preamble.write(MAGIC, 0, 'latin1');
  preamble.writeUInt32LE(CONTAINER_VERSION, MAGIC.length);
  preamble.writeUInt32LE(layoutJson.length, MAGIC.length + 4);
  const padding = Buffer.alloc(padTo8(PREAMBLE_BYTES + layoutJson.length));
  const weights = new Int32Array(file.weights.length);
  walkWeights(file.weights, file.keys.length, (at, isWeight) => {
    const value = file.weights[at]!;
    const stored = isWeight ? thousandths(value) : value;
    if (stored === undefined) throw new Error(`weight ${value} has more than three decimals`);
    weights[at] = stored;
  });
  const bytesOf = (array: Float64Array | Int32Array) => Buffer.from(array.buffer, array.byteOffset, array.byteLength);
  return Buffer.concat([
    preamble,
    layoutJson,
    padding,
    bytesOf(Float64Array.from(file.transitions)),
    bytesOf(Int32Array.from(file.keys)),
    bytesOf(weights),
    bytesOf(Int32Array.from(clusters?.ids ?? [])),
    text,
  ]);
}

/** The same content as one JSON document, which `readModelFile` also loads: typed arrays become plain ones. */
export function encodeJsonModelFile(file: ModelFile): string {
  return JSON.stringify(file, (_, value: unknown) => (ArrayBuffer.isView(value) ? Array.from(value as Int32Array) : value));
}

/** Whether `bytes` starts like a binary model file (anything else is read as JSON). */
export function isBinaryModelFile(bytes: Buffer): boolean {
  return bytes.length >= MAGIC.length && bytes.toString('latin1', 0, MAGIC.length) === MAGIC;
}

/** The file's content; throws an Error saying what is wrong. The header is checked by the model. */
export function decodeModelFile(bytes: Buffer): ModelFile {
  if (!isBinaryModelFile(bytes) || bytes.length < PREAMBLE_BYTES) throw new Error('not a binary model file');
  if (os.endianness() !== 'LE') throw new Error('binary model files are read on little-endian machines only');
  const version = bytes.readUInt32LE(MAGIC.length);
  if (!READABLE_VERSIONS.includes(version)) throw new Error(`unsupported container version ${version}`);
  const layoutBytes = bytes.readUInt32LE(MAGIC.length + 4);
  let offset = PREAMBLE_BYTES + layoutBytes;
  if (offset > bytes.length) throw new Error('truncated layout');
  const { header, counts } = JSON.parse(bytes.toString('utf8', PREAMBLE_BYTES, offset)) as Layout;
  offset += padTo8(offset);
  const clusterLevels = counts.wordClusterLevels ?? [];
  const clusterWords = counts.wordClusterWords ?? 0;
  const clusterIds = clusterLevels.length * clusterWords;
  const expected = offset + 8 * counts.transitions + 4 * counts.keys + 4 * counts.weights + 4 * clusterIds + counts.textBytes;
  if (bytes.length !== expected) throw new Error(`${bytes.length} bytes where the layout says ${expected}`);
  const take = <T>(make: (buffer: ArrayBufferLike, at: number, length: number) => T, size: number, count: number): T => {
    const at = bytes.byteOffset + offset;
    offset += size * count;
    // Typed arrays need aligned offsets: a Buffer from the small-buffer pool may not be.
    return at % size === 0 ? make(bytes.buffer, at, count) : make(bytes.buffer.slice(at, at + size * count), 0, count);
  };
  const transitions = take((buffer, at, n) => new Float64Array(buffer, at, n), 8, counts.transitions);
  const keys = take((buffer, at, n) => new Int32Array(buffer, at, n), 4, counts.keys);
  const stored = take((buffer, at, n) => new Int32Array(buffer, at, n), 4, counts.weights);
  const ids = take((buffer, at, n) => new Int32Array(buffer, at, n), 4, clusterIds);
  const weights = new Float64Array(stored.length);
  walkWeights(stored, counts.keys, (at, isWeight) => {
    weights[at] = isWeight ? stored[at]! / 1000 : stored[at]!;
  });
  const listCounts = Object.entries(counts.gazetteers);
  const listed = counts.vocabulary + listCounts.reduce((sum, [, count]) => sum + count, 0);
  const text = bytes.toString('utf8', offset, offset + counts.textBytes);
  // The vocabulary and gazetteer strings, one a line; the cluster words after them stay one
  // string, as WordClusters keeps them (splitting and joining 50,000 words took ~8 ms).
  const strings = listed === 0 ? [] : text.split('\n', listed);
  // Where the listed strings end in the text, and the cluster words begin after a line break.
  let listedEnd = Math.max(0, strings.length - 1);
  for (let k = 0; k < strings.length; k += 1) listedEnd += strings[k]!.length;
  const wordsStart = listed === 0 ? 0 : listedEnd + 1;
  if (strings.length < listed || (clusterWords === 0 ? listedEnd !== text.length : wordsStart > text.length)) {
    throw new Error(`the text does not hold the ${listed + clusterWords} strings the layout says`);
  }
  let next = counts.vocabulary;
  const gazetteers = Object.fromEntries(listCounts.map(([name, count]) => [name, strings.slice(next, (next += count))]));
  const file: ModelFile = { header, transitions, keys, weights, vocabulary: strings.slice(0, counts.vocabulary), gazetteers };
  if (clusterWords > 0) {
    // Decoded on its own, so the words are a flat string of their own (one byte a character when ASCII).
    const wordsByte = offset + Buffer.byteLength(text.slice(0, wordsStart));
    file.wordClusters = { levels: clusterLevels, words: bytes.toString('utf8', wordsByte, offset + counts.textBytes), ids };
  }
  return file;
}

function padTo8(length: number): number {
  return (8 - (length % 8)) % 8;
}
