import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PeriodicResync } from './resync.js';

test('PeriodicResync: reconciling a key many times leaves one timer, so resyncs do not multiply', async () => {
  const fired: string[] = [];
  const r = new PeriodicResync(30, (k) => { fired.push(k); });
  for (let i = 0; i < 5; i++) r.arm('default/web');
  r.arm('default/api');
  assert.equal(r.size, 2);
  await new Promise((res) => setTimeout(res, 120));
  assert.deepEqual(fired.sort(), ['default/api', 'default/web']);
  r.arm('default/web');
  r.forget('default/web');
  r.stop();
  await new Promise((res) => setTimeout(res, 60));
  assert.equal(fired.length, 2, 'forgotten and stopped timers do not fire');
});
