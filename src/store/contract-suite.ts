/** The behaviour every Store backend must show, as a node:test suite run by each backend's tests. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KObject } from '../api/meta.js';
import { ExpiredError, StoreConflictError, type Store, type StoreEvent } from './types.js';

/** Opens a fresh, empty store with the given history size. */
export type StoreFactory = (historySize?: number) => Promise<Store>;

const cm = (name: string, data: Record<string, string> = {}): KObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data });
const key = (name: string, ns = 'default'): string => `/core/configmaps/${ns}/${name}`;

function conflict(reason: StoreConflictError['reason']): (err: unknown) => boolean {
  return (err) => err instanceof StoreConflictError && err.reason === reason;
}

async function withStore(open: StoreFactory, fn: (s: Store) => Promise<void>, historySize?: number): Promise<void> {
  const s = await open(historySize);
  try {
    await fn(s);
  } finally {
    await s.close();
  }
}

/** Registers the shared Store contract tests under `describe(name)`. */
export function runStoreContract(name: string, open: StoreFactory): void {
  describe(`${name}: Store contract`, () => {
    it('creates, gets, updates and deletes, setting resourceVersion', () => withStore(open, async (s) => {
      assert.equal(s.currentRV(), 0);
      const created = await s.create(key('a'), cm('a', { x: '1' }));
      assert.equal(created.metadata.resourceVersion, '1');
      assert.deepEqual(s.get(key('a')), created);
      const updated = await s.update(key('a'), { ...created, data: { x: '2' } }, '1');
      assert.equal(updated.metadata.resourceVersion, '2');
      assert.deepEqual(s.get(key('a'))?.data, { x: '2' });
      const deleted = await s.delete(key('a'));
      assert.equal(deleted.metadata.resourceVersion, '3');
      assert.deepEqual(deleted.data, { x: '2' });
      assert.equal(s.get(key('a')), undefined);
      assert.equal(s.currentRV(), 3);
    }));

    it('keeps resourceVersions strictly increasing across keys', () => withStore(open, async (s) => {
      let last = s.currentRV();
      for (let i = 0; i < 20; i++) {
        const o = await (i % 3 === 2 ? s.update(key(`k${i - 1}`), cm(`k${i - 1}`)) : s.create(key(`k${i}`), cm(`k${i}`)));
        const rv = Number(o.metadata.resourceVersion);
        assert.ok(rv > last, `rv ${rv} after ${last}`);
        assert.equal(s.currentRV(), rv);
        last = rv;
      }
    }));

    it('rejects failed preconditions without changing anything', () => withStore(open, async (s) => {
      await s.create(key('a'), cm('a'));
      await assert.rejects(s.create(key('a'), cm('a')), conflict('exists'));
      await assert.rejects(s.update(key('b'), cm('b')), conflict('not-found'));
      await assert.rejects(s.update(key('a'), cm('a'), '99'), conflict('rv-mismatch'));
      await assert.rejects(s.delete(key('b')), conflict('not-found'));
      await assert.rejects(s.delete(key('a'), '99'), conflict('rv-mismatch'));
      assert.equal(s.currentRV(), 1);
      assert.equal(s.get(key('a'))?.metadata.resourceVersion, '1');
      await s.delete(key('a'), '1');
    }));

    it('stores a copy: later changes to the input do not leak in', () => withStore(open, async (s) => {
      const input = cm('a', { x: '1' });
      await s.create(key('a'), input);
      (input.data as Record<string, string>).x = 'changed';
      input.metadata.name = 'changed';
      assert.deepEqual(s.get(key('a'))?.data, { x: '1' });
      assert.equal(s.get(key('a'))?.metadata.name, 'a');
      assert.equal(input.metadata.resourceVersion, undefined);
    }));

    it('lists in key order and isolates prefixes', () => withStore(open, async (s) => {
      for (const [ns, n] of [['default', 'web'], ['default2', 'x'], ['default', 'api'], ['kube-system', 'dns'], ['default', 'zz']] as const) {
        await s.create(`/core/services/${ns}/${n}`, cm(n));
      }
      await s.create(key('web'), cm('web'));
      const names = (prefix: string): string[] => s.list(prefix).items.map((o) => o.metadata.name ?? '');
      assert.deepEqual(names('/core/services/default/'), ['api', 'web', 'zz']);
      assert.deepEqual(names('/core/services/'), ['api', 'web', 'zz', 'x', 'dns']);
      assert.deepEqual(names('/core/services/default2/'), ['x']);
      assert.deepEqual(names('/core/services/nope/'), []);
      assert.equal(s.list('/').items.length, 6);
      assert.equal(s.list('/core/services/').rv, s.currentRV());
    }));

    it('replays retained events after an RV, filtered by prefix, then continues live', () => withStore(open, async (s) => {
      const a = await s.create(key('a'), cm('a'));
      const rv = s.currentRV();
      await s.create(key('b', 'other'), cm('b'));
      const a2 = await s.update(key('a'), { ...a, data: { x: '1' } });
      await s.delete(key('a'));
      const seen: StoreEvent[] = [];
      const h = s.watch('/core/configmaps/default/', rv, (e) => seen.push(e));
      assert.deepEqual(seen.map((e) => [e.type, e.rv]), [['MODIFIED', 3], ['DELETED', 4]]);
      assert.deepEqual(seen[0]?.prevObject, a);
      assert.deepEqual(seen[1]?.prevObject, a2);
      assert.equal(seen[1]?.object.metadata.resourceVersion, '4');
      await s.create(key('c'), cm('c'));
      await s.create(key('c', 'other'), cm('c'));
      assert.deepEqual(seen.map((e) => e.rv), [3, 4, 5]);
      h.stop();
      await s.create(key('d'), cm('d'));
      assert.equal(seen.length, 5 - 2);
    }));

    it('delivers live events only after the watch starts, in RV order, before the write resolves', () => withStore(open, async (s) => {
      await s.create(key('old'), cm('old'));
      const seen: number[] = [];
      const all: string[] = [];
      s.watch('/core/configmaps/default/', undefined, (e) => seen.push(e.rv));
      s.watch('', undefined, (e) => all.push(e.key));
      s.watch(key('x1'), undefined, (e) => all.push(`exact:${e.key}`));
      const acks: number[] = [];
      const writes = Array.from({ length: 30 }, (_, i) =>
        s.create(key(`x${i}`, i % 2 ? 'default' : 'default2'), cm(`x${i}`)).then((o) => {
          acks.push(Number(o.metadata.resourceVersion));
          assert.ok(seen.includes(Number(o.metadata.resourceVersion)) || i % 2 === 0);
        }));
      await Promise.all(writes);
      assert.deepEqual(acks, Array.from({ length: 30 }, (_, i) => i + 2));
      assert.deepEqual(seen, acks.filter((_, i) => i % 2 === 1));
      assert.equal(all.filter((k) => !k.startsWith('exact:')).length, 30);
      assert.deepEqual(all.filter((k) => k.startsWith('exact:')).map((k) => k.slice(k.lastIndexOf('/') + 1)), ['x1', 'x11', 'x13', 'x15', 'x17', 'x19']);
    }));

    it('lets a list RV start a watch without duplicates or gaps', () => withStore(open, async (s) => {
      await s.create(key('a'), cm('a'));
      const pendingWrite = s.create(key('b'), cm('b'));
      const { items, rv } = s.list('/core/configmaps/');
      const seen: string[] = [];
      s.watch('/core/configmaps/', rv, (e) => seen.push(e.key));
      await pendingWrite;
      await s.create(key('c'), cm('c'));
      assert.deepEqual([...items.map((o) => o.metadata.name), ...seen], ['a', 'b', key('c')]);
    }));

    it('throws ExpiredError for RVs older than the retained history', () => withStore(open, async (s) => {
      for (let i = 0; i < 5; i++) await s.create(key(`k${i}`), cm(`k${i}`));
      assert.equal(s.oldestRV(), 0);
      s.compact(2);
      assert.equal(s.oldestRV(), 3);
      assert.throws(() => s.watch('/', 2, () => undefined), (err: unknown) => err instanceof ExpiredError && err.requested === 2 && err.oldest === 3);
      const seen: number[] = [];
      s.watch('/', 3, (e) => seen.push(e.rv));
      assert.deepEqual(seen, [4, 5]);
      s.compact(0);
      assert.equal(s.oldestRV(), 5);
      s.watch('/', 5, () => assert.fail('nothing to replay'));
    }));

    it('drops the oldest events when the history is full', () => withStore(open, async (s) => {
      for (let i = 0; i < 5; i++) await s.create(key(`k${i}`), cm(`k${i}`));
      assert.equal(s.oldestRV(), 2);
      const seen: number[] = [];
      s.watch('/', 2, (e) => seen.push(e.rv));
      assert.deepEqual(seen, [3, 4, 5]);
    }, 3));

    it('keeps RV order when a watcher writes from its callback', () => withStore(open, async (s) => {
      const seen: number[] = [];
      const echoes: Promise<KObject>[] = [];
      s.watch('/core/configmaps/default/', undefined, (e) => {
        if (e.type === 'ADDED') echoes.push(s.create(key(e.key.slice(e.key.lastIndexOf('/') + 1), 'echo'), cm('echo')));
      });
      s.watch('/', undefined, (e) => seen.push(e.rv));
      await Promise.all([s.create(key('a'), cm('a')), s.create(key('b'), cm('b'))]);
      await Promise.all(echoes);
      assert.deepEqual(seen, [1, 2, 3, 4]);
      assert.equal(s.list('/core/configmaps/echo/').items.length, 2);
    }));

    it('delivers writes made by a callback during replay to the replaying watcher', () => withStore(open, async (s) => {
      await s.create(key('a'), cm('a'));
      const seen: number[] = [];
      let echo: Promise<KObject> | undefined;
      s.watch('/', 0, (e) => {
        seen.push(e.rv);
        echo ??= s.create(key('b'), cm('b'));
      });
      await echo;
      assert.deepEqual(seen, [1, 2]);
    }));

    it('keeps notifying other watchers when one throws', () => withStore(open, async (s) => {
      const seen: number[] = [];
      s.watch('/', undefined, () => { throw new Error('boom (expected in this test)'); });
      s.watch('/', undefined, (e) => seen.push(e.rv));
      await s.create(key('a'), cm('a'));
      await s.create(key('b'), cm('b'));
      assert.deepEqual(seen, [1, 2]);
    }));
  });
}
