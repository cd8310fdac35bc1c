import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { runStoreContract } from './contract-suite.js';
import { DurableStore } from './durable.js';
import { openStore } from './index.js';
import { ExpiredError, type StoreEvent } from './types.js';
import { zombie } from '../runtime/zombie-testkit.js';
import { processState } from '../runtime/liveness.js';

const root = mkdtempSync(join(tmpdir(), 'knet-durable-test-'));
after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const freshDir = (): string => join(root, `s${++n}`);

runStoreContract('DurableStore', (historySize) => DurableStore.open(freshDir(), { historySize, onWatcherError: () => undefined }));

describe('DurableStore persistence', () => {
  it('keeps objects, deletions and the RV across reopen; old watches expire', async () => {
    const dir = freshDir();
    let s = await DurableStore.open(dir);
    await s.create('/core/services/default/web', { metadata: { name: 'web', labels: { app: 'web' } }, spec: { ports: [{ port: 80 }] } });
    await s.create('/core/services/default/gone', { metadata: { name: 'gone' } });
    await s.create('/core/namespaces//default', { metadata: { name: 'default' } });
    await s.update('/core/services/default/web', { metadata: { name: 'web' }, spec: { ports: [{ port: 8080 }] } });
    await s.delete('/core/services/default/gone');
    const before = s.list('/');
    await s.close();

    s = await DurableStore.open(dir);
    assert.equal(s.currentRV(), 5);
    assert.equal(s.oldestRV(), 5);
    assert.deepEqual(s.list('/'), before);
    assert.deepEqual(s.get('/core/services/default/web')?.spec, { ports: [{ port: 8080 }] });
    assert.throws(() => s.watch('/', 4, () => undefined), ExpiredError);
    const seen: StoreEvent[] = [];
    s.watch('/', 5, (e) => seen.push(e));
    const created = await s.create('/core/services/default/new', { metadata: { name: 'new' } });
    assert.equal(created.metadata.resourceVersion, '6');
    assert.deepEqual(seen.map((e) => e.rv), [6]);
    await s.close();
  });

  it('reads its own writes before the commit and acknowledges in RV order', async () => {
    const s = await DurableStore.open(freshDir());
    const acks: string[] = [];
    const writes = [];
    for (let i = 0; i < 50; i++) {
      writes.push(s.create(`/core/configmaps/default/c${i}`, { metadata: { name: `c${i}` } }).then((o) => acks.push(o.metadata.resourceVersion ?? '')));
      assert.equal(s.get(`/core/configmaps/default/c${i}`)?.metadata.resourceVersion, String(i + 1));
    }
    writes.push(s.update('/core/configmaps/default/c0', { metadata: { name: 'c0' } }, '1').then((o) => acks.push(o.metadata.resourceVersion ?? '')));
    await Promise.all(writes);
    assert.deepEqual(acks, Array.from({ length: 51 }, (_, i) => String(i + 1)));
    await s.close();
  });

  it('refuses a directory that is locked or unusable, and takes over stale locks', async () => {
    const dir = freshDir();
    const s = await DurableStore.open(dir);
    await assert.rejects(DurableStore.open(dir), /already open in this process/);
    await s.close();

    writeFileSync(join(dir, 'knet.lock'), `${process.ppid}\n`);
    await assert.rejects(DurableStore.open(dir), /locked by another running process \(pid \d+\)/);
    writeFileSync(join(dir, 'knet.lock'), '2147483646\n');
    const again = await DurableStore.open(dir);
    await again.close();

    const file = join(root, 'a-file');
    writeFileSync(file, 'x');
    await assert.rejects(DurableStore.open(join(file, 'sub')), /data directory .* is not usable/);
  });

  it('takes over the lock of a zombie (its owner was killed and is not yet reaped by its parent)', async () => {
    const dir = freshDir();
    await (await DurableStore.open(dir)).close();
    const { pid, reaper } = await zombie();
    try {
      assert.equal(processState(pid), 'Z');
      writeFileSync(join(dir, 'knet.lock'), `${pid}\n`);
      const s = await DurableStore.open(dir);
      assert.equal(readFileSync(join(dir, 'knet.lock'), 'utf8'), `${process.pid}\n`);
      await s.close();
    } finally {
      reaper.kill('SIGKILL');
    }
  });

  it('keeps its folder 0700 and its files 0600 under umask 022, and narrows those an older version left open', async () => {
    const dir = freshDir();
    const mode = (p: string): number => statSync(p).mode & 0o7777;
    const old = process.umask(0o022);
    try {
      const s = await DurableStore.open(dir);
      await s.create('/core/secrets/default/s', { metadata: { name: 's' }, data: { password: 'aHVudGVyMg==' } });
      const files = ['data.mdb', 'lock.mdb', 'knet.lock'].map((f) => join(dir, f));
      assert.deepEqual([dir, ...files].map(mode), [0o700, 0o600, 0o600, 0o600]);
      await s.close();
      chmodSync(dir, 0o755);
      for (const f of files.slice(0, 2)) chmodSync(f, 0o644);
      const again = await DurableStore.open(dir);
      assert.deepEqual([dir, ...files].map(mode), [0o700, 0o600, 0o600, 0o600]);
      await again.close();
    } finally {
      process.umask(old);
    }
  });

  it('openStore opens a durable store in dir', async () => {
    const s = await openStore({ dir: freshDir(), ephemeral: false, historySize: 5 });
    assert.ok(s instanceof DurableStore);
    await s.close();
  });
});
