import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createNetwork } from './network.js';
import type { Addr, NetError, NetStack, Network, UdpSocket } from './types.js';

const pod = (net: Network, ip: string): NetStack => net.addStack([ip], { kind: 'pod', name: ip });
const next = (s: UdpSocket, ms = 200): Promise<[string, Addr] | undefined> =>
  new Promise((resolve) => {
    const t = setTimeout(() => resolve(undefined), ms);
    s.onMessage((d, from) => {
      clearTimeout(t);
      resolve([d.toString(), from]);
    });
  });

test('UDP request and reply between pods', async () => {
  const net = createNetwork();
  const a = pod(net, '10.244.1.2');
  const b = pod(net, '10.244.1.3');
  b.listenUdp(53, (d, from, reply) => reply(Buffer.from(`${d.toString()} from ${from.ip}`)));
  const s = a.udp();
  const got = next(s);
  s.send(Buffer.from('q'), { ip: '10.244.1.3', port: 53 });
  assert.deepEqual(await got, ['q from 10.244.1.2', { ip: '10.244.1.3', port: 53 }]);
  s.close();
});

test('UDP without a listener is dropped, or reported to onError', async () => {
  const net = createNetwork();
  const a = pod(net, '10.244.1.2');
  pod(net, '10.244.1.3');
  const s = a.udp();
  const errors: string[] = [];
  s.onError?.((e: NetError, to) => errors.push(`${e.code} ${to.ip}`));
  const got = next(s, 50);
  s.send(Buffer.from('x'), { ip: '10.244.1.3', port: 9 });
  s.send(Buffer.from('x'), { ip: '10.244.7.7', port: 9 });
  assert.equal(await got, undefined);
  assert.deepEqual(errors, ['ECONNREFUSED 10.244.1.3']);
});

test('UDP through a DNAT translator: replies appear to come from the virtual IP and reach the SNAT-ed client (conntrack)', async () => {
  const net = createNetwork();
  const client = pod(net, '10.244.1.2');
  const dns = pod(net, '10.244.2.9');
  net.addTranslator({
    name: 'svc',
    translate: (_f, dst) => (dst.ip === '10.96.0.10'
      ? { action: 'translate', dst: { ip: '10.244.2.9', port: 5353 }, src: { ip: '10.244.1.1', port: 61000 }, hop: { stage: 'translate', by: 'svc', action: 'translate', summary: 'dns' } }
      : undefined),
  });
  // A server using a plain socket and sending back to the sender address also gets translated.
  const srv = dns.udp(5353);
  srv.onMessage((d, from) => srv.send(Buffer.from(`answer ${d.toString()} to ${from.ip}:${from.port}`), from));
  const s = client.udp();
  const got = next(s);
  s.send(Buffer.from('a'), { ip: '10.96.0.10', port: 53 });
  assert.deepEqual(await got, ['answer a to 10.244.1.1:61000', { ip: '10.96.0.10', port: 53 }]);
});

test('UDP loopback and port conflicts', async () => {
  const net = createNetwork();
  const a = pod(net, '10.244.1.2');
  a.listenUdp(9000, (d, _from, reply) => reply(d));
  assert.throws(() => a.udp(9000), (e: NetError) => e.code === 'EADDRINUSE');
  const s = a.udp();
  const got = next(s);
  s.send(Buffer.from('lo'), { ip: '127.0.0.1', port: 9000 });
  assert.deepEqual(await got, ['lo', { ip: '127.0.0.1', port: 9000 }]);
});

test('UDP from the host to a pod and back', async () => {
  const net = createNetwork();
  const a = pod(net, '10.244.1.2');
  a.listenUdp(53, (d, from, reply) => reply(Buffer.from(from.ip)));
  const s = net.host.udp();
  const got = next(s);
  s.send(Buffer.from('x'), { ip: '10.244.1.2', port: 53 });
  assert.deepEqual(await got, ['127.0.0.1', { ip: '10.244.1.2', port: 53 }]);
});
