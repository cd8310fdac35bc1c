// Unit test: the durable store on a full disk (the test hook's simulated ENOSPC): writes fail with
// StoreWriteError and are undone in memory, reads and watches go on, acknowledged writes stay, and
// writes succeed again once there is space.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { DurableStore } from './durable.js';
import { STORE_FULL_FILE_ENV, openStore } from './index.js';
import { StoreWriteError, type StoreEvent } from './types.js';

const root = mkdtempSync(join(tmpdir(), 'knet-durable-full-'));
after(() => rmSync(root, { recursive: true, force: true }));
const cm = (name: string, v = '1') => ({ metadata: { name }, data: { v } });
const key = (name: string) => `/core/configmaps/default/${name}`;

describe('DurableStore on a full disk', () => {
  it('refuses writes, keeps reads and acknowledged objects, and recovers when space returns', async () => {
    const dir = join(root, 'a');
    const flag = join(root, 'a-full');
    const lines: string[] = [];
    let s = await DurableStore.open(dir, { faultFile: flag, log: (l) => lines.push(l) });
    const seen: StoreEvent[] = [];
    s.watch('/core/configmaps/', undefined, (e) => seen.push(e));
    const kept = await s.create(key('kept'), cm('kept'));
    const rvBefore = s.currentRV();

    writeFileSync(flag, '');
    const create = s.create(key('lost'), cm('lost'));
    assert.ok(s.get(key('lost')), 'a staged write is visible until its commit ends');
    const update = s.update(key('kept'), cm('kept', '2'), kept.metadata.resourceVersion); // staged on top, same commit
    const remove = s.delete(key('kept'));
    for (const w of [create, update, remove]) await assert.rejects(w, (e: unknown) => e instanceof StoreWriteError && /No space left on device \(simulated\)/.test(e.message));
    assert.equal(s.get(key('lost')), undefined, 'a refused create is undone');
    assert.deepEqual(s.get(key('kept')), kept, 'a refused update and delete are undone');
    assert.deepEqual(s.list('/core/configmaps/').items.map((o) => o.metadata.name), ['kept']);
    assert.equal(s.currentRV(), rvBefore);
    assert.deepEqual(seen.map((e) => e.object.metadata.name), ['kept'], 'watchers never see a refused write');
    await assert.rejects(s.create(key('lost2'), cm('lost2')), StoreWriteError);
    assert.equal(lines.filter((l) => /commit failed/.test(l)).length, 1, 'one log line per episode');

    unlinkSync(flag);
    const back = await s.create(key('back'), cm('back'));
    assert.ok(Number(back.metadata.resourceVersion) > rvBefore);
    assert.deepEqual(seen.map((e) => e.object.metadata.name), ['kept', 'back']);
    assert.match(lines.at(-1) ?? '', /succeed again/);
    await s.close();

    s = await DurableStore.open(dir);
    assert.deepEqual(s.list('/core/configmaps/').items.map((o) => o.metadata.name), ['back', 'kept']);
    assert.deepEqual(s.get(key('kept'))?.['data'], { v: '1' });
    await s.close();
  });

  it('openStore takes the hook from the environment', async () => {
    const flag = join(root, 'b-full');
    writeFileSync(flag, '');
    const s = await openStore({ dir: join(root, 'b'), ephemeral: false }, { [STORE_FULL_FILE_ENV]: flag });
    await assert.rejects(s.create(key('x'), cm('x')), StoreWriteError);
    unlinkSync(flag);
    await s.create(key('x'), cm('x'));
    await s.close();
  });
});
