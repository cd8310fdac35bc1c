import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connPair } from './conn.js';

const A = { ip: '10.244.0.2', port: 40000 };
const B = { ip: '10.244.0.3', port: 80 };
const pair = () => connPair({ local: A, remote: B }, { local: B, remote: A });

test('data flows both ways and end() is seen as end by the peer (half-close)', async () => {
  const [c, s] = pair();
  assert.equal(s.remoteAddress, '10.244.0.2');
  assert.equal(c.remotePort, 80);
  c.end('hello');
  const got: Buffer[] = [];
  s.on('data', (d: Buffer) => got.push(d));
  await once(s, 'end');
  assert.equal(Buffer.concat(got).toString(), 'hello');
  // The server can still answer after the client's FIN.
  const closed = Promise.all([once(c, 'close'), once(s, 'close')]);
  s.end('world');
  const back: Buffer[] = [];
  c.on('data', (d: Buffer) => back.push(d));
  await closed;
  assert.equal(Buffer.concat(back).toString(), 'world');
});

test('backpressure: a slow reader holds the writer back and nothing is lost', async () => {
  const [c, s] = pair();
  const chunk = Buffer.alloc(64 * 1024, 7);
  let writes = 0;
  let sawFalse = false;
  while (writes < 64) {
    writes++;
    if (!c.write(chunk)) {
      sawFalse = true;
      break;
    }
  }
  assert.ok(sawFalse, 'write() returned false while nobody reads');
  assert.ok(writes < 10, `writer was held back (${writes} writes)`);
  let total = 0;
  s.on('data', (d: Buffer) => (total += d.length));
  const total64 = 64 * 1024 * 256;
  (async () => {
    let sent = writes * chunk.length;
    while (sent < total64) {
      if (!c.write(chunk)) await once(c, 'drain');
      sent += chunk.length;
    }
    c.end();
  })().catch(() => undefined);
  await once(s, 'end');
  assert.equal(total, total64);
});

test('destroy() before end() resets the peer with ECONNRESET', async () => {
  const [c, s] = pair();
  const err = once(c, 'error');
  s.destroy();
  const [e] = (await err) as [NodeJS.ErrnoException];
  assert.equal(e.code, 'ECONNRESET');
});

test('a reset peer without an error listener simply closes', async () => {
  const [c, s] = pair();
  const closed = new Promise((r) => c.on('close', r));
  s.destroy();
  await closed;
  assert.ok(c.destroyed);
});

test('writing to a closed peer fails with ECONNRESET', async () => {
  const [c, s] = pair();
  s.end();
  s.resume();
  c.resume();
  await once(c, 'end');
  c.end();
  await once(s, 'close');
  const [c2, s2] = pair();
  s2.end();
  s2.resume();
  await once(c2, 'readable');
  const err = once(c2, 'error');
  s2.destroy();
  c2.write('x');
  const [e] = (await err) as [NodeJS.ErrnoException];
  assert.equal(e.code, 'ECONNRESET');
});

test('setTimeout emits timeout after inactivity', async () => {
  const [c] = pair();
  const t0 = Date.now();
  const keep = setTimeout(() => undefined, 1000);
  c.setTimeout(30);
  await once(c, 'timeout');
  clearTimeout(keep);
  assert.ok(Date.now() - t0 >= 25);
  c.destroy();
});
