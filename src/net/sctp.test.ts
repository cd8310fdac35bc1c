// SCTP associations: a port space of their own in every stack, planned through the same flow
// pipeline as TCP (translators and filters see protocol 'SCTP'), with TCP's drop semantics: a
// dropped dial waits its timeout then ETIMEDOUT, nothing listening is refused (an ABORT).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createNetwork } from './network.js';
import type { Filter, Flow, Translator } from './flow.js';
import type { Conn, NetError, NetStack, Network, Protocol } from './types.js';

const pod = (net: Network, ip: string): NetStack => net.addStack([ip], { kind: 'pod', namespace: 'default', name: ip });
const code = async (p: Promise<unknown>): Promise<string | undefined> => {
  try {
    (await p as Conn | undefined)?.destroy();
    return undefined;
  } catch (e) {
    return (e as NetError).code;
  }
};
const readAll = async (c: Conn): Promise<string> => {
  let s = '';
  for await (const d of c) s += (d as Buffer).toString();
  return s;
};
/** A server that writes `value` to every association and closes, as agnhost porter does. */
const serve = (s: NetStack, port: number, value: string, protocol: 'TCP' | 'SCTP') =>
  (protocol === 'SCTP' ? s.listenSctp.bind(s) : s.listen.bind(s))(port, (c) => { c.on('error', () => undefined); c.end(value); });

test('an SCTP association between pods carries data, with addresses as each side sees them', async () => {
  const net = createNetwork();
  const a = pod(net, '10.244.1.2');
  const b = pod(net, '10.244.2.3');
  let remote = '';
  b.listenSctp(9004, (c) => { remote = `${c.remote.ip}`; c.end('sctp-value'); });
  const c = await a.connect({ ip: '10.244.2.3', port: 9004 }, { protocol: 'SCTP' });
  assert.deepEqual(c.remote, { ip: '10.244.2.3', port: 9004 });
  assert.equal(c.local.ip, '10.244.1.2');
  assert.equal(await readAll(c), 'sctp-value');
  assert.equal(remote, '10.244.1.2');
});

test('TCP and SCTP on one port number never meet: each reaches only its own listener, the other is refused', async () => {
  const net = createNetwork();
  const a = pod(net, '10.244.1.2');
  const b = pod(net, '10.244.1.3');
  serve(b, 80, 'over-tcp', 'TCP');
  serve(b, 81, 'over-sctp', 'SCTP');
  assert.equal(await code(a.connect({ ip: '10.244.1.3', port: 81 })), 'ECONNREFUSED', 'TCP to an SCTP-only port');
  assert.equal(await code(a.connect({ ip: '10.244.1.3', port: 80 }, { protocol: 'SCTP' })), 'ECONNREFUSED', 'SCTP to a TCP-only port');
  serve(b, 80, 'sctp-on-80', 'SCTP');
  assert.throws(() => b.listenSctp(80, () => undefined), (e: NetError) => e.code === 'EADDRINUSE');
  assert.equal(await readAll(await a.connect({ ip: '10.244.1.3', port: 80 })), 'over-tcp');
  assert.equal(await readAll(await a.connect({ ip: '10.244.1.3', port: 80 }, { protocol: 'SCTP' })), 'sctp-on-80');
  assert.equal(await readAll(await b.connect({ ip: '127.0.0.1', port: 80 }, { protocol: 'SCTP' })), 'sctp-on-80', 'over the pod\'s own loopback');
});

test('SCTP flows pass the pipeline with protocol SCTP: a translator rewrites them, a filter drops them', async () => {
  const net = createNetwork();
  const a = pod(net, '10.244.1.2');
  const b = pod(net, '10.244.1.3');
  serve(b, 9004, 'v', 'SCTP');
  serve(b, 9004, 't', 'TCP');
  const seen: Protocol[] = [];
  // A VIP that exists for SCTP only, as a Service port with protocol SCTP.
  const vip: Translator = {
    name: 'vip',
    translate: (f: Flow, dst) => {
      if (dst.ip !== '10.96.0.9') return undefined;
      seen.push(f.protocol);
      return f.protocol === 'SCTP' ? { action: 'translate', dst: { ip: '10.244.1.3', port: 9004 }, hop: { stage: 'translate', by: 'vip', action: 'translate', summary: 'vip' } } : undefined;
    },
  };
  net.addTranslator(vip);
  assert.equal(await readAll(await a.connect({ ip: '10.96.0.9', port: 80 }, { protocol: 'SCTP' })), 'v');
  assert.equal(await code(a.connect({ ip: '10.96.0.9', port: 80 }, { timeoutMs: 20 })), 'ETIMEDOUT', 'no TCP rule for the VIP: the packets go nowhere');
  assert.deepEqual(seen, ['SCTP', 'TCP']);
  const judged: Protocol[] = [];
  const noSctp: Filter = { name: 'no-sctp', check: (r) => { judged.push(r.flow.protocol); return { allow: r.flow.protocol !== 'SCTP' }; } };
  net.addFilter(noSctp);
  const t0 = Date.now();
  assert.equal(await code(a.connect({ ip: '10.244.1.3', port: 9004 }, { protocol: 'SCTP', timeoutMs: 60 })), 'ETIMEDOUT', 'a dropped SCTP dial times out');
  assert.ok(Date.now() - t0 >= 55, 'after waiting its timeout');
  assert.equal(await code(a.connect({ ip: '10.96.0.9', port: 80 }, { protocol: 'SCTP', timeoutMs: 20 })), 'ETIMEDOUT', 'also through the VIP');
  assert.equal(await readAll(await a.connect({ ip: '10.244.1.3', port: 9004 })), 't', 'TCP to the same port still passes');
  assert.deepEqual(judged, ['SCTP', 'SCTP', 'TCP']);
  assert.equal((a as unknown as { sctp: { ephemeralInUse: number } }).sctp.ephemeralInUse, 0, 'failed dials give their ephemeral ports back');
});

test('a dropped dial without a timeout of its own keeps waiting (Linux: 127 s) until its signal aborts it', async () => {
  const net = createNetwork();
  const a = pod(net, '10.244.1.2');
  for (const protocol of ['TCP', 'SCTP'] as const) {
    const ac = new AbortController();
    const t0 = Date.now();
    const dial = code(a.connect({ ip: '10.244.9.9', port: 80 }, { protocol, signal: ac.signal }));
    let settled = false;
    void dial.then(() => { settled = true; });
    await new Promise((r) => setTimeout(r, 80));
    assert.equal(settled, false, `${protocol}: still waiting after 80 ms`);
    ac.abort();
    assert.equal(await dial, 'EINTR');
    assert.ok(Date.now() - t0 < 1000);
  }
  assert.equal(await code(a.connect({ ip: '10.244.9.9', port: 80 }, { signal: AbortSignal.abort() })), 'EINTR', 'an already aborted signal');
});

test('removing a stack closes its SCTP listeners and resets its associations', async () => {
  const net = createNetwork();
  const a = pod(net, '10.244.1.2');
  const b = pod(net, '10.244.1.3');
  let server: Conn | undefined;
  b.listenSctp(9004, (c) => { server = c; });
  const c = await a.connect({ ip: '10.244.1.3', port: 9004 }, { protocol: 'SCTP' });
  const closed = new Promise((r) => c.once('close', r));
  net.removeStack(b);
  await closed;
  assert.equal(server?.destroyed, true);
  const b2 = pod(net, '10.244.1.3');
  assert.equal(await code(a.connect({ ip: '10.244.1.3', port: 9004 }, { protocol: 'SCTP' })), 'ECONNREFUSED');
  b2.listenSctp(9004, (s) => s.end());
});
