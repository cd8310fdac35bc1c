import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chain } from '../../chain.js';
import { rcodeReply, ttlOf, type DnsReply, type DnsRequest, type Plugin } from '../../types.js';
import { cachePlugin, cacheTtl, setup } from './index.js';
import type { SetupContext } from '../../config/setup.js';
import { corefileHandler } from '../../testutil.js';

const req = (name: string, type = 'A'): DnsRequest => ({ name, lname: name.toLowerCase(), type, transport: 'udp', depth: 0, resolve: async () => rcodeReply('SERVFAIL') });

/** A backend counting its calls, answering A with ttl 60, `nx.*` with NXDOMAIN (SOA minimum 30) and `fail.*` with SERVFAIL. */
function backend(): Plugin & { calls: number } {
  const b = {
    name: 'backend', calls: 0,
    async serve(r: DnsRequest): Promise<DnsReply> {
      b.calls++;
      if (r.lname.startsWith('fail.')) return rcodeReply('SERVFAIL');
      if (r.lname.startsWith('nx.')) return { rcode: 'NXDOMAIN', answers: [], authorities: [{ name: 'test', type: 'SOA', ttl: 30, data: { mname: 'ns.test', rname: 'h.test', serial: 1, refresh: 1, retry: 1, expire: 1, minimum: 30 } }] };
      return { rcode: 'NOERROR', answers: [{ name: r.name, type: 'A', ttl: 60, data: '192.0.2.1' }] };
    },
  };
  return b;
}

test('answers are kept for their TTL and served with the TTL counted down', async () => {
  let now = 0;
  const b = backend();
  const run = chain([cachePlugin({ zones: [''], success: { capacity: 10, maxTtl: 3600, minTtl: 5, disabled: undefined }, denial: { capacity: 10, maxTtl: 1800, minTtl: 5, disabled: undefined }, now: () => now }), b]);
  assert.equal(ttlOf((await run(req('a.test'))).answers[0]!), 60);
  now = 20_000;
  const hit = await run(req('A.test'));
  assert.equal(b.calls, 1);
  assert.equal(ttlOf(hit.answers[0]!), 40);
  assert.equal(hit.answers[0]!.name, 'A.test', 'the owner name follows the asked case');
  now = 60_000;
  await run(req('a.test'));
  assert.equal(b.calls, 2, 'expired');
  await run(req('fail.test'));
  await run(req('fail.test'));
  assert.equal(b.calls, 4, 'SERVFAIL is not kept');
});

test('cache TTL caps, denial uses the SOA minimum, capacities bound the entries', () => {
  const success = { capacity: 1, maxTtl: 30, minTtl: 5, disabled: undefined };
  assert.equal(cacheTtl({ rcode: 'NOERROR', answers: [{ name: 'a', type: 'A', ttl: 300, data: '192.0.2.1' }] }, success, false), 30);
  assert.equal(cacheTtl({ rcode: 'NOERROR', answers: [{ name: 'a', type: 'A', ttl: 1, data: '192.0.2.1' }] }, success, false), 5);
  assert.equal(cacheTtl({ rcode: 'NXDOMAIN', answers: [], authorities: [{ name: 't', type: 'SOA', ttl: 60, data: { mname: 'a', rname: 'b', serial: 1, refresh: 1, retry: 1, expire: 1, minimum: 20 } }] }, success, true), 20);
});

test('Corefile options: cache TTL, disable success|denial ZONES, zones', async () => {
  // kubeadm's block: cluster answers are never kept, others are.
  let calls = 0;
  const next = async (r: DnsRequest): Promise<DnsReply> => { calls++; return r.lname.startsWith('nx') ? { rcode: 'NXDOMAIN', answers: [] } : { rcode: 'NOERROR', answers: [{ name: r.name, type: 'A', ttl: 300, data: '192.0.2.1' }] }; };
  const p = setup({ name: 'cache', args: ['30'], line: 1, file: 'Corefile', block: [
    { name: 'disable', args: ['success', 'cluster.local'], line: 2, file: 'Corefile', block: [] },
    { name: 'disable', args: ['denial', 'cluster.local'], line: 3, file: 'Corefile', block: [] },
  ] }, { zones: [''], now: () => 0 } as SetupContext)!;
  for (const n of ['web.default.svc.cluster.local', 'web.default.svc.cluster.local', 'nx.default.svc.cluster.local', 'nx.default.svc.cluster.local']) await p.serve(req(n), next);
  assert.equal(calls, 4, 'cluster.local: neither success nor denial kept');
  const ext = await p.serve(req('example.org'), next);
  assert.equal(ttlOf(ext.answers[0]!), 300);
  const again = await p.serve(req('example.org'), next);
  assert.equal(calls, 5);
  assert.equal(ttlOf(again.answers[0]!), 300, 'capped at 30s but counted down from the stored TTL');
  await p.serve(req('nx.example.org'), next);
  await p.serve(req('nx.example.org'), next);
  assert.equal(calls, 6, 'denial kept outside cluster.local');
});

test('cache options are checked', () => {
  for (const [body, want] of [
    ['cache {\n  success\n}', /Wrong argument count or unexpected line ending after 'success'/],
    ['cache {\n  disable sometimes\n}', /Wrong argument count/],
    ['cache {\n  serve_stale 1h later\n}', /Wrong argument count/],
    ['cache {\n  prefetch 10 1m 10%\n  serve_stale 1h verify\n  servfail 5s\n  keepttl\n}', undefined],
  ] as const) {
    if (want) assert.throws(() => corefileHandler(`. {\n${body}\n}\n`), { message: want }, body);
    else assert.doesNotThrow(() => corefileHandler(`. {\n${body}\n}\n`), body);
  }
});
