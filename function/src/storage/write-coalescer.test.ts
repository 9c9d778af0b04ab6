import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { WriteCoalescer, type WriteCoalescerOptions } from './write-coalescer';

/**
 * A writer whose writes stay in flight until the test finishes them, recording what each
 * write held. (The scheduling logic is tested here; postgres-store.test.ts runs it against
 * a real PostgreSQL.)
 */
function controlledWriter() {
  const writes: Array<{ items: string[]; finish: (error?: Error) => void }> = [];
  const write = (items: string[]) =>
    new Promise<string>((resolve, reject) => {
      const receipt = `commit-${writes.length}`;
      writes.push({ items, finish: (error) => (error ? reject(error) : resolve(receipt)) });
    });
  return { writes, write };
}

const options = (overrides: Partial<WriteCoalescerOptions> = {}): WriteCoalescerOptions => ({
  maxConcurrentWrites: 1,
  maxRowsPerWrite: 1000,
  windowMs: 0,
  ...overrides,
});

/** Lets promise callbacks run. */
const settle = () => sleep(0);

test('saves arriving while a write is in flight are merged, in arrival order, into the next write', async () => {
  const { writes, write } = controlledWriter();
  const coalescer = new WriteCoalescer(write, options());
  const first = coalescer.save(['a']);
  const merged = [coalescer.save(['b', 'c']), coalescer.save(['d']), coalescer.save(['b'])];
  assert.deepEqual(writes.map((w) => w.items), [['a']], 'the first save is written at once; the others wait');

  writes[0]!.finish();
  assert.equal(await first, 'commit-0');
  await settle();
  assert.deepEqual(writes.map((w) => w.items), [['a'], ['b', 'c', 'd', 'b']]);
  writes[1]!.finish();
  assert.deepEqual(await Promise.all(merged), ['commit-1', 'commit-1', 'commit-1'], 'every caller gets the receipt of its commit');
  assert.equal(coalescer.writes, 2);
});

test('no caller settles before the write holding its items has committed', async () => {
  const { writes, write } = controlledWriter();
  const coalescer = new WriteCoalescer(write, options());
  void coalescer.save(['a']);
  let settled = false;
  const later = coalescer.save(['b']).then(() => (settled = true));
  writes[0]!.finish();
  await settle();
  assert.equal(settled, false, 'the first commit does not hold b');
  writes[1]!.finish();
  await later;
  assert.equal(settled, true);
});

test('a failed write rejects all of its callers and no others', async () => {
  const { writes, write } = controlledWriter();
  const coalescer = new WriteCoalescer(write, options({ maxConcurrentWrites: 2, maxRowsPerWrite: 2 }));
  const failing = [coalescer.save(['a']), coalescer.save(['b'])];
  // Both slots are busy now: the next saves merge into the next writes, two rows each.
  assert.deepEqual(writes.map((w) => w.items), [['a'], ['b']]);
  const queued = [coalescer.save(['c']), coalescer.save(['d']), coalescer.save(['e']), coalescer.save(['f'])];
  const outcomes = Promise.allSettled([...failing, ...queued]);
  const failure = new Error('connection lost');
  writes[0]!.finish(failure);
  await settle();
  assert.deepEqual(writes.map((w) => w.items), [['a'], ['b'], ['c', 'd']]);
  writes[2]!.finish(failure);
  writes[1]!.finish();
  await settle();
  writes[3]!.finish();

  assert.deepEqual(
    (await outcomes).map((outcome) => (outcome.status === 'fulfilled' ? outcome.value : (outcome.reason as Error).message)),
    ['connection lost', 'commit-1', 'connection lost', 'connection lost', 'commit-3', 'commit-3'],
  );
});

test('writes hold at most maxRowsPerWrite rows, never split a save, and a larger save is written alone', async () => {
  const { writes, write } = controlledWriter();
  const coalescer = new WriteCoalescer(write, options({ maxRowsPerWrite: 3 }));
  const saves = [coalescer.save(['a']), coalescer.save(['b', 'c']), coalescer.save(['d', 'e']), coalescer.save(['f', 'g', 'h', 'i']), coalescer.save(['j'])];
  for (let i = 0; i < 4; i += 1) {
    writes[i]!.finish();
    await settle();
  }
  writes[4]?.finish();
  await Promise.all(saves);
  assert.deepEqual(writes.map((w) => w.items), [['a'], ['b', 'c'], ['d', 'e'], ['f', 'g', 'h', 'i'], ['j']]);
});

test('at most maxConcurrentWrites writes are in flight', async () => {
  const { writes, write } = controlledWriter();
  const coalescer = new WriteCoalescer(write, options({ maxConcurrentWrites: 3 }));
  const saves = Array.from({ length: 10 }, (_, i) => coalescer.save([`s${i}`]));
  assert.equal(writes.length, 3);
  writes[1]!.finish();
  await settle();
  assert.equal(writes.length, 4, 'a finished write frees its slot for the queued saves');
  assert.deepEqual(writes[3]!.items, ['s3', 's4', 's5', 's6', 's7', 's8', 's9']);
  for (const w of writes) w.finish();
  await Promise.all(saves);
  assert.equal(coalescer.writes, 4);
});

test('with a window, an idle coalescer waits that long to merge the saves that follow', async () => {
  const { writes, write } = controlledWriter();
  const coalescer = new WriteCoalescer(write, options({ windowMs: 30, maxRowsPerWrite: 5 }));
  const saves = [coalescer.save(['a']), coalescer.save(['b'])];
  await sleep(5);
  assert.equal(writes.length, 0, 'still collecting');
  saves.push(coalescer.save(['c']));
  await sleep(60);
  assert.deepEqual(writes.map((w) => w.items), [['a', 'b', 'c']]);
  writes[0]!.finish();
  await Promise.all(saves);

  // A full write does not wait for the window.
  const full = [coalescer.save(['d', 'e', 'f']), coalescer.save(['g', 'h'])];
  assert.deepEqual(writes.map((w) => w.items), [['a', 'b', 'c'], ['d', 'e', 'f', 'g', 'h']]);
  writes[1]!.finish();
  await Promise.all(full);
});

test('rejects nonsensical options', () => {
  const { write } = controlledWriter();
  assert.throws(() => new WriteCoalescer(write, options({ maxConcurrentWrites: 0 })), RangeError);
  assert.throws(() => new WriteCoalescer(write, options({ maxRowsPerWrite: 0 })), RangeError);
  assert.throws(() => new WriteCoalescer(write, options({ windowMs: -1 })), RangeError);
});
