import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { once } from 'node:events';
import { createNetwork } from '../../../../net/network.js';
import { serveOnStack } from '../../serve/stack.js';
import { corefileHandler, decodeReply, fakeUpstream, query, rr } from '../../testutil.js';
import { parseAddress } from './setup.js';

let a: Awaited<ReturnType<typeof fakeUpstream>>, b: Awaited<ReturnType<typeof fakeUpstream>>;
before(async () => {
  a = await fakeUpstream({ 'api.stub.test A': [{ name: '', type: 'A', ttl: 60, data: '198.51.100.1' }], 'nx.stub.test A': 'NXDOMAIN', 'other.example A': [{ name: '', type: 'A', ttl: 60, data: '198.51.100.9' }] });
  b = await fakeUpstream({ 'api.stub.test A': [{ name: '', type: 'A', ttl: 60, data: '198.51.100.2' }] });
});
after(() => { a.close(); b.close(); });

test('a stub domain in its own server block goes to a loopback server; other names to /etc/resolv.conf', async () => {
  const h = corefileHandler(`.:53 {\n  forward . /etc/resolv.conf\n}\nstub.test:53 {\n  forward . ${a.server}\n}\n`, { upstream: b.server });
  assert.deepEqual((await h.ask('API.stub.test')).answers?.map((x) => `${x.name} ${rr(x)}`), ['API.stub.test A 198.51.100.1']);
  assert.equal((await h.ask('nx.stub.test')).rcode, 'NXDOMAIN');
  assert.deepEqual((await h.ask('api.stub.test.')).answers?.map(rr), ['A 198.51.100.1']);
});

test('FROM limits the names, except carves names out', async () => {
  const h = corefileHandler(`. {\n  forward stub.test ${a.server} {\n    except nx.stub.test\n  }\n  forward . ${b.server}\n}\n`);
  assert.deepEqual((await h.ask('api.stub.test')).answers?.map(rr), ['A 198.51.100.1']);
  assert.equal((await h.ask('nx.stub.test')).rcode, 'NOERROR', 'excepted: asked from the next forward, which has no such name');
});

test('policy round_robin spreads over the servers; sequential always starts with the first', async () => {
  const rrh = corefileHandler(`. {\n  forward . ${a.server} ${b.server} {\n    policy round_robin\n  }\n}\n`);
  const got = new Set<string>();
  for (let i = 0; i < 4; i++) got.add(rr((await rrh.ask('api.stub.test')).answers![0]!));
  assert.deepEqual([...got].sort(), ['A 198.51.100.1', 'A 198.51.100.2']);
  const seq = corefileHandler(`. {\n  forward . ${b.server} ${a.server} {\n    policy sequential\n  }\n}\n`);
  for (let i = 0; i < 3; i++) assert.deepEqual((await seq.ask('api.stub.test')).answers?.map(rr), ['A 198.51.100.2']);
});

test('max_concurrent: queries beyond it are REFUSED while others wait', async () => {
  const silent = dgram.createSocket('udp4');
  silent.bind(0, '127.0.0.1');
  await once(silent, 'listening');
  try {
    const h = corefileHandler(`. {\n  forward . 127.0.0.1:${silent.address().port} {\n    max_concurrent 1\n  }\n}\n`);
    const first = h.ask('slow.example');
    assert.equal((await h.ask('second.example')).rcode, 'REFUSED');
    assert.equal((await first).rcode, 'SERVFAIL', 'no answer within the timeout');
  } finally {
    silent.close();
  }
});

test('a server on the cluster network is asked from the serving pod\'s stack', async () => {
  const network = createNetwork();
  const inCluster = network.addStack(['10.244.3.3'], { kind: 'pod', namespace: 'dns', name: 'inner' });
  const coredns = network.addStack(['10.244.0.3'], { kind: 'pod', namespace: 'kube-system', name: 'coredns' });
  const inner = corefileHandler('. {\n  template IN A corp {\n    answer "{{ .Name }} 5 IN A 10.1.2.3"\n  }\n}\n');
  const srv = serveOnStack(inCluster, () => inner.handler, 53);
  try {
    const h = corefileHandler('. {\n  forward corp 10.244.3.3\n}\n');
    const r = decodeReply(await h.handler.handle(query('db.corp', 'A'), 'udp', '10.244.0.9:1000', { net: coredns }));
    assert.deepEqual(r.answers?.map(rr), ['A 10.1.2.3']);
    const lines: string[] = [];
    const none = decodeReply(await h.handler.handle(query('db.corp', 'A'), 'udp', '127.0.0.1:1000', { log: (l) => lines.push(l) }));
    assert.equal(none.rcode, 'SERVFAIL', 'no pod network to reach it from');
    assert.match(lines[0] ?? '', /^\[ERROR\] plugin\/errors: 2 db\.corp\. A: dial udp 10\.244\.3\.3:53: no pod network/);
  } finally {
    srv.close();
  }
});

test('addresses and files; what is neither is CoreDNS\'s error', () => {
  assert.deepEqual(['1.2.3.4', '127.0.0.1:5353', 'dns://10.0.0.1', '[::1]:53', 'x'].map(parseAddress),
    [{ ip: '1.2.3.4', port: 53 }, { ip: '127.0.0.1', port: 5353 }, { ip: '10.0.0.1', port: 53 }, { ip: '::1', port: 53 }, undefined]);
  const lines: string[] = [];
  const h = corefileHandler('. {\n  forward . /etc/coredns/resolv.conf 8.8.8.8\n}\n', { files: { '/etc/coredns/resolv.conf': `nameserver ${a.server.split(':')[0]}\n` }, log: (l) => lines.push(l) });
  assert.equal(h.config.servers.size, 1);
  assert.deepEqual(lines, ['[WARNING] plugin/forward: 8.8.8.8:53 is neither loopback nor on the cluster network; knet asks the host\'s resolver instead']);
  assert.throws(() => corefileHandler('. {\n  forward . nowhere\n}\n'), { message: 'plugin/forward: not an IP address or file: "nowhere"' });
  assert.throws(() => corefileHandler('. {\n  forward . 127.0.0.1 {\n    policy fastest\n  }\n}\n'), { message: /unknown policy 'fastest'/ });
  assert.throws(() => corefileHandler('. {\n  forward . tls://1.1.1.1\n}\n'), { message: /knet does not forward over tls/ });
});

test('a failing host resolver is logged as CoreDNS\'s errors plugin logs it', async () => {
  const closed = dgram.createSocket('udp4');
  closed.bind(0, '127.0.0.1');
  await once(closed, 'listening');
  const port = closed.address().port;
  closed.close();
  const lines: string[] = [];
  const h = corefileHandler('. {\n  forward . /etc/resolv.conf\n}\n', { upstream: `127.0.0.1:${port}` });
  const r = decodeReply(await h.handler.handle(query('x.example', 'A'), 'udp', '10.244.0.9:1', { log: (l) => lines.push(l) }));
  assert.equal(r.rcode, 'SERVFAIL');
  assert.match(lines[0] ?? '', /^\[ERROR\] plugin\/errors: 2 x\.example\. A: read udp: (connection refused|i\/o timeout)$/);
});
