import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { PgCluster } from './pg-cluster';
import { postgresBinaries, searchableByOthers, unprivilegedUser } from './postgres-server';

test('a primary and a streaming hot standby, unprivileged, durable, removed afterwards', async () => {
  const cluster = await PgCluster.start();
  try {
    const [primary] = await cluster.query(
      cluster.primaryDsn,
      `SELECT current_setting('fsync') AS fsync,
              current_setting('synchronous_commit') AS synchronous_commit, pg_is_in_recovery() AS standby`,
    );
    assert.deepEqual([primary.fsync, primary.synchronous_commit, primary.standby], ['on', 'on', false]);
    // The postmaster outlives every connection; a backend's pid is gone once query() disconnects.
    const postmasterPid = readFileSync(path.join(cluster.primary.options.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0];
    const uid = /^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${postmasterPid}/status`, 'utf8'))?.[1];
    if (process.getuid?.() === 0) assert.notEqual(uid, '0', 'postgres must not run as root');

    await cluster.query(cluster.primaryDsn, 'CREATE TABLE probe (n int)');
    await cluster.query(cluster.primaryDsn, 'INSERT INTO probe VALUES (1)');
    await cluster.waitForReplica();
    const [replica] = await cluster.query(cluster.replicaDsn, 'SELECT pg_is_in_recovery() AS standby, (SELECT n FROM probe) AS n');
    assert.deepEqual(replica, { standby: true, n: 1 });

    await cluster.pauseReplay();
    await cluster.query(cluster.primaryDsn, 'INSERT INTO probe VALUES (2)');
    assert.deepEqual(await cluster.query(cluster.replicaDsn, 'SELECT count(*)::int AS n FROM probe'), [{ n: 1 }]);
    await cluster.resumeReplay();
    await cluster.waitForReplica();
    assert.deepEqual(await cluster.query(cluster.replicaDsn, 'SELECT count(*)::int AS n FROM probe'), [{ n: 2 }]);
  } finally {
    await cluster.destroy();
  }
  assert.equal(existsSync(cluster.dir), false);
});

test('as root, the unprivileged server user can reach the binaries even from a private checkout', (t) => {
  const runAs = unprivilegedUser();
  if (!runAs) return t.skip('not root: the server runs as ourselves');
  for (const binary of Object.values(postgresBinaries(runAs))) {
    assert.ok(binary.startsWith(os.tmpdir()), `${binary} is outside the checkout`);
    assert.ok(searchableByOthers(binary), `every folder above ${binary} is searchable by others`);
    assert.ok((statSync(binary).mode & 0o001) !== 0, `${binary} is executable by others`);
  }
});
