// Unowned loopback addresses (load balancer IPs in 127.240.0.0/24) are offered to the translators first.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createNetwork } from './network.js';
import type { Translator } from './flow.js';
import type { Addr, Conn, NetError } from './types.js';

const hop = { stage: 'translate', by: 'lb', action: 'translate', summary: 'lb' } as const;
const lbTranslator = (vip: string, backend: Addr, port = 80): Translator => ({
  name: 'lb',
  translate: (_f, dst) => (dst.ip === vip && dst.port === port ? { action: 'translate', dst: backend, hop } : undefined),
});

test('a pod reaches a load balancer IP through the translators; other loopback addresses stay its own', async () => {
  const net = createNetwork();
  const client = net.addStack(['10.244.0.2'], { kind: 'pod', name: 'client' });
  const server = net.addStack(['10.244.1.2'], { kind: 'pod', name: 'server' });
  net.addTranslator(lbTranslator('127.240.0.1', { ip: '10.244.1.2', port: 8080 }));
  let seen: Conn | undefined;
  server.listen(8080, (c) => { seen = c; c.end('hi'); });
  const c = await client.connect({ ip: '127.240.0.1', port: 80 });
  assert.deepEqual(c.remote, { ip: '127.240.0.1', port: 80 });
  assert.equal(c.local.ip, '10.244.0.2');
  assert.equal(seen?.remote.ip, '10.244.0.2', 'the server sees the pod address');
  c.resume();
  client.listen(9000, (s) => s.end());
  const own = await client.connect({ ip: '127.0.0.5', port: 9000 });
  assert.equal(own.local.ip, '127.0.0.5');
  own.resume();
  const refused = await client.connect({ ip: '127.240.0.1', port: 81 }, { timeoutMs: 10 }).then(() => '', (e: NetError) => e.code);
  assert.equal(refused, 'ECONNREFUSED', 'an unclaimed loopback address is the pod itself, where nothing listens');
});

test('UDP to a load balancer IP is translated and answered', async () => {
  const net = createNetwork();
  const client = net.addStack(['10.244.0.2'], { kind: 'pod', name: 'client' });
  const server = net.addStack(['10.244.1.2'], { kind: 'pod', name: 'server' });
  net.addTranslator(lbTranslator('127.240.0.1', { ip: '10.244.1.2', port: 53 }, 53));
  server.listenUdp(53, (d, from, reply) => reply(Buffer.from(`${d.toString()} from ${from.ip}`)));
  const sock = client.udp();
  const got = new Promise<[string, Addr]>((r) => sock.onMessage((d, from) => r([d.toString(), from])));
  sock.send(Buffer.from('ping'), { ip: '127.240.0.1', port: 53 });
  const [text, from] = await got;
  assert.equal(text, 'ping from 10.244.0.2');
  assert.deepEqual(from, { ip: '127.240.0.1', port: 53 });
  sock.close();
});
