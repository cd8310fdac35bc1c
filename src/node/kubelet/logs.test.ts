// Unit tests: container logs (tail, timestamps, follow until the instance ends).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { ContainerLog } from './logs.js';

function sink(): { out: Writable; text: () => string } {
  let s = '';
  return { out: new Writable({ write: (c: Buffer, _e, cb) => { s += c.toString(); cb(); } }), text: () => s };
}

test('tail, timestamps and follow', async () => {
  const log = new ContainerLog();
  log.append('one\ntwo\nthr');
  log.append('ee\n');
  const a = sink();
  await log.read({ follow: false, tailLines: 2, timestamps: false }, a.out, new AbortController().signal);
  assert.equal(a.text(), 'two\nthree\n');
  const b = sink();
  await log.read({ follow: false, tailLines: 1, timestamps: true }, b.out, new AbortController().signal);
  assert.match(b.text(), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z three\n$/);
  const c = sink();
  const following = log.read({ follow: true, tailLines: 0, timestamps: false }, c.out, new AbortController().signal);
  log.append('four\n');
  log.close();
  await following;
  assert.equal(c.text(), 'four\n');
});
