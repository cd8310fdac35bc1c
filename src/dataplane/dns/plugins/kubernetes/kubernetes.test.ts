import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import dnsPacket from 'dns-packet';
import { decodeReply, fakeUpstream, fixture, fixtureCache, query, rr, svc, testHandler, type Reply } from '../../testutil.js';
import type { DnsHandler } from '../../handler.js';

const Z = 'cluster.local';
let up: { server: string; close(): void };
let h: DnsHandler;

before(async () => {
  up = await fakeUpstream({
    'foo.example.com A': [{ name: '', type: 'A', ttl: 60, data: '192.0.2.7' }],
    'example.org A': [{ name: '', type: 'A', ttl: 60, data: '192.0.2.8' }],
    'nope.example.org A': 'NXDOMAIN',
    '1.0.0.127.in-addr.arpa PTR': [{ name: '', type: 'PTR', ttl: 60, data: 'localhost' }],
  });
  h = testHandler(fixtureCache(), up.server);
});
after(() => up.close());

async function ask(name: string, type: string): Promise<Reply> {
  const out = await h.handle(query(name, type), 'udp');
  assert.ok(out, `${name} ${type}: no reply`);
  return decodeReply(out);
}

// [name, type, rcode, answers, extra check]
const cases: [string, string, string, string[], ((p: Reply) => void)?][] = [
  [`dns-version.${Z}`, 'TXT', 'NOERROR', ['TXT 1.1.0']],
  [`dns-version.${Z}`, 'A', 'NOERROR', []],
  [`kubernetes.default.svc.${Z}`, 'A', 'NOERROR', ['A 10.96.0.1'], (p) => { assert.equal((p.answers?.[0] as { ttl?: number } | undefined)?.ttl, 30); assert.ok(p.flags! & dnsPacket.AUTHORITATIVE_ANSWER); }],
  [`KUBERNETES.Default.SVC.Cluster.Local`, 'A', 'NOERROR', ['A 10.96.0.1'], (p) => assert.equal(p.answers?.[0]?.name, 'KUBERNETES.Default.SVC.Cluster.Local')],
  [`kubernetes.default.svc.${Z}`, 'AAAA', 'NOERROR', [], (p) => assert.deepEqual(p.authorities?.map(rr), [`SOA ns.dns.${Z}`])],
  [`kubernetes.default.svc.${Z}`, 'TXT', 'NOERROR', []],
  [`kubernetes.default.svc.${Z}`, 'MX', 'NOERROR', []],
  [`nope.default.svc.${Z}`, 'A', 'NXDOMAIN', [], (p) => assert.deepEqual(p.authorities?.map(rr), [`SOA ns.dns.${Z}`])],
  [`nope.default.svc.${Z}`, 'AAAA', 'NXDOMAIN', []],
  [`kubernetes.default.dns-a.svc.${Z}`, 'A', 'NXDOMAIN', []],
  [`kubernetes.default.nons.svc.${Z}`, 'A', 'NXDOMAIN', []],
  [`default.svc.${Z}`, 'A', 'NOERROR', []],
  [`nons.svc.${Z}`, 'A', 'NXDOMAIN', []],
  [`svc.${Z}`, 'A', 'NOERROR', []],
  [`pod.${Z}`, 'A', 'NOERROR', []],
  [Z, 'A', 'NOERROR', []],
  [Z, 'SOA', 'NOERROR', [`SOA ns.dns.${Z}`]],
  [Z, 'NS', 'NOERROR', [`NS ns.dns.${Z}`], (p) => assert.deepEqual(p.additionals?.map(rr), ['A 10.96.0.10'])],
  [`ns.dns.${Z}`, 'A', 'NOERROR', ['A 10.96.0.10']],
  [`foo.${Z}`, 'A', 'NXDOMAIN', []],
  [`a.b.c.d.web.dns-a.svc.${Z}`, 'A', 'NXDOMAIN', []],
  [`_http._tcp.web.dns-a.svc.${Z}`, 'SRV', 'NOERROR', [`SRV 0 100 80 web.dns-a.svc.${Z}`], (p) => assert.deepEqual(p.additionals?.map(rr), ['A 10.96.5.5'])],
  [`_HTTP._TCP.web.dns-a.svc.${Z}`, 'SRV', 'NOERROR', [`SRV 0 100 80 web.dns-a.svc.${Z}`]],
  [`_http._udp.web.dns-a.svc.${Z}`, 'SRV', 'NXDOMAIN', []],
  [`_http._tcp.web.dns-a.svc.${Z}`, 'A', 'NOERROR', ['A 10.96.5.5']],
  [`web.dns-a.svc.${Z}`, 'SRV', 'NOERROR', [`SRV 0 50 80 web.dns-a.svc.${Z}`, `SRV 0 50 9090 web.dns-a.svc.${Z}`]],
  [`_dns._udp.kube-dns.kube-system.svc.${Z}`, 'SRV', 'NOERROR', [`SRV 0 100 53 kube-dns.kube-system.svc.${Z}`]],
  [`noeps.dns-a.svc.${Z}`, 'A', 'NOERROR', ['A 10.96.5.6']],
  [`hl.dns-a.svc.${Z}`, 'A', 'NOERROR', ['A 10.244.1.5', 'A 10.244.1.6']],
  [`hl.dns-a.svc.${Z}`, 'AAAA', 'NOERROR', []],
  [`_http._tcp.hl.dns-a.svc.${Z}`, 'SRV', 'NOERROR', [`SRV 0 50 8080 web-0.hl.dns-a.svc.${Z}`, `SRV 0 50 8080 10-244-1-6.hl.dns-a.svc.${Z}`],
    (p) => assert.deepEqual(p.additionals?.map((a) => `${a.name} ${rr(a)}`), [`web-0.hl.dns-a.svc.${Z} A 10.244.1.5`, `10-244-1-6.hl.dns-a.svc.${Z} A 10.244.1.6`])],
  [`web-0.hl.dns-a.svc.${Z}`, 'A', 'NOERROR', ['A 10.244.1.5']],
  [`10-244-1-6.hl.dns-a.svc.${Z}`, 'A', 'NOERROR', ['A 10.244.1.6']],
  [`10-244-1-7.hl.dns-a.svc.${Z}`, 'A', 'NXDOMAIN', []],
  [`10-244-1-8.web.dns-a.svc.${Z}`, 'A', 'NOERROR', ['A 10.244.1.8']],
  [`hl-empty.dns-a.svc.${Z}`, 'A', 'NXDOMAIN', []],
  [`hl-empty.dns-a.svc.${Z}`, 'SRV', 'NXDOMAIN', []],
  [`ext.dns-a.svc.${Z}`, 'CNAME', 'NOERROR', ['CNAME foo.example.com']],
  [`ext.dns-a.svc.${Z}`, 'A', 'NOERROR', ['CNAME foo.example.com', 'A 192.0.2.7']],
  [`ext.dns-a.svc.${Z}`, 'SRV', 'NOERROR', []],
  [`x.ext.dns-a.svc.${Z}`, 'A', 'NXDOMAIN', []],
  [`ext-in.dns-a.svc.${Z}`, 'A', 'NOERROR', [`CNAME web.dns-a.svc.${Z}`, 'A 10.96.5.5']],
  [`ext-ip.dns-a.svc.${Z}`, 'A', 'NXDOMAIN', []],
  [`1-2-3-4.dns-a.pod.${Z}`, 'A', 'NOERROR', ['A 1.2.3.4']],
  [`1-2-3-4.dns-a.pod.${Z}`, 'AAAA', 'NOERROR', []],
  [`1-2-3.dns-a.pod.${Z}`, 'A', 'NXDOMAIN', []],
  [`1-2-3-4.nons.pod.${Z}`, 'A', 'NXDOMAIN', []],
  ['1.0.96.10.in-addr.arpa', 'PTR', 'NOERROR', [`PTR kubernetes.default.svc.${Z}`]],
  ['5.1.244.10.in-addr.arpa', 'PTR', 'NOERROR', [`PTR web-0.hl.dns-a.svc.${Z}`]],
  ['6.1.244.10.in-addr.arpa', 'PTR', 'NOERROR', [`PTR 10-244-1-6.hl.dns-a.svc.${Z}`]],
  ['7.1.244.10.in-addr.arpa', 'PTR', 'NXDOMAIN', []],
  ['9.2.244.10.in-addr.arpa', 'PTR', 'NOERROR', [`PTR 10-244-2-9.dns-a.pod.${Z}`]],
  ['99.99.96.10.in-addr.arpa', 'PTR', 'NXDOMAIN', [], (p) => assert.deepEqual(p.authorities?.map(rr), ['SOA ns.dns.in-addr.arpa'])],
  ['1.0.96.10.in-addr.arpa', 'A', 'NOERROR', []],
  ['1.0.0.127.in-addr.arpa', 'PTR', 'NOERROR', ['PTR localhost'], (p) => assert.equal(p.flags! & dnsPacket.AUTHORITATIVE_ANSWER, 0)],
  ['example.org', 'A', 'NOERROR', ['A 192.0.2.8']],
  ['nope.example.org', 'A', 'NXDOMAIN', []],
];

for (const [name, type, rcode, answers, check] of cases) {
  test(`${name} ${type} → ${rcode} ${answers.join(', ')}`, async () => {
    const p = await ask(name, type);
    assert.equal(p.rcode, rcode);
    assert.deepEqual((p.answers ?? []).map(rr), answers);
    assert.equal(p.questions?.[0]?.name, name);
    check?.(p);
  });
}

test('names outside the cluster fail fast with SERVFAIL when the upstream is silent', async () => {
  const dead = testHandler(fixtureCache(), '127.0.0.1:9');
  const t0 = Date.now();
  const p = decodeReply(await dead.handle(query('example.net', 'A'), 'udp'));
  assert.equal(p.rcode, 'SERVFAIL');
  assert.ok(Date.now() - t0 < 1500, `took ${Date.now() - t0} ms`);
});

test('before the first sync cluster names get SERVFAIL', async () => {
  let synced = false;
  const hh = testHandler(fixtureCache(), up.server, () => synced);
  const name = `kubernetes.default.svc.${Z}`;
  assert.equal(decodeReply(await hh.handle(query(name, 'A'), 'udp')).rcode, 'SERVFAIL');
  assert.equal(decodeReply(await hh.handle(query('1.0.96.10.in-addr.arpa', 'PTR'), 'udp')).rcode, 'SERVFAIL');
  synced = true;
  assert.equal(decodeReply(await hh.handle(query(name, 'A'), 'udp')).rcode, 'NOERROR');
});

test('changes show up at once (answer cache invalidated)', async () => {
  const { cache, api } = fixture();
  const hh = testHandler(cache, up.server);
  const q = query(`web.dns-a.svc.${Z}`, 'A');
  await hh.handle(q, 'udp');
  assert.ok(hh.cached(q, 'udp'));
  api.put('services', svc('dns-a', 'web', { type: 'ExternalName', externalName: `kubernetes.default.svc.${Z}` }));
  assert.equal(hh.cached(q, 'udp'), undefined);
  const p = decodeReply(await hh.handle(q, 'udp'));
  assert.deepEqual(p.answers?.map(rr), [`CNAME kubernetes.default.svc.${Z}`, 'A 10.96.0.1']);
  api.remove('services', svc('dns-a', 'web', {}));
  assert.equal(decodeReply(await hh.handle(q, 'udp')).rcode, 'NXDOMAIN');
});
