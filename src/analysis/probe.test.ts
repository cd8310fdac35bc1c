// Probes sent from a pod's stack through the virtual network: connected, refused (nothing listens),
// timed out (a filter dropped the flow), over TCP and UDP; the probe endpoint's batch protocol and
// its 400s; and a computed table checked cell by cell by probing a snapshot model's own network.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import { createNetwork } from '../net/network.js';
import type { Network } from '../net/types.js';
import { sendError } from '../apiserver/http/response.js';
import { mapLimit, probeFrom, type ProbeResult, type ProbeSpec } from './probe.js';
import { probeEndpoint } from './probe-endpoint.js';
import { compareProbes, probeTable } from './probe-table.js';
import { buildModel } from './model.js';
import { tableKeys, tablePods, truthTable } from './matrix.js';
import { formatTable } from './table-format.js';
import { policy, snapshot } from './testkit.js';

/** Pods x/a (10.244.0.2) and x/b (10.244.0.3); b serves TCP 80 and answers UDP 53; flows to port 81 are dropped. */
function lab(): Network {
  const network = createNetwork();
  network.addStack(['10.244.0.2'], { kind: 'pod', namespace: 'x', name: 'a' });
  const b = network.addStack(['10.244.0.3'], { kind: 'pod', namespace: 'x', name: 'b' });
  b.listen(80, (c) => c.end());
  b.listen(81, (c) => c.end());
  b.listenUdp(53, (_d, _from, reply) => reply(Buffer.from('b\n')));
  b.listenUdp(54, () => undefined);
  network.addFilter({ name: 'test-drop', check: (r) => ({ allow: r.dst.port !== 81 && r.dst.port !== 55 }) });
  return network;
}

const spec = (port: number, protocol: ProbeSpec['protocol'] = 'TCP'): ProbeSpec => ({ from: 'x/a', to: { ip: '10.244.0.3', port }, protocol, timeoutMs: 50 });

test('a probe from a pod stack: connected, refused, dropped (timeout) over TCP and UDP', async () => {
  const net = lab();
  const a = net.stackFor('10.244.0.2')!;
  assert.deepEqual(await probeFrom(a, spec(80)), { outcome: 'connected' });
  assert.deepEqual(await probeFrom(a, spec(82)), { outcome: 'refused', detail: 'connection refused' });
  assert.deepEqual(await probeFrom(a, spec(81)), { outcome: 'timeout', detail: 'no answer within 50 ms' });
  assert.deepEqual(await probeFrom(a, spec(53, 'UDP')), { outcome: 'connected' });
  assert.deepEqual(await probeFrom(a, spec(56, 'UDP')), { outcome: 'refused', detail: 'connection refused' });
  assert.deepEqual(await probeFrom(a, spec(55, 'UDP')), { outcome: 'timeout', detail: 'no reply within 50 ms' });
  // A server that never answers looks like a drop to UDP, as to `agnhost connect --protocol=udp`.
  assert.equal((await probeFrom(a, spec(54, 'UDP'))).outcome, 'timeout');
});

test('mapLimit keeps order and never runs more than the limit at once', async () => {
  let running = 0, most = 0;
  const out = await mapLimit([5, 1, 4, 2, 3], 2, async (n) => {
    most = Math.max(most, ++running);
    await new Promise((r) => setTimeout(r, n));
    running--;
    return n * 10;
  });
  assert.deepEqual(out, [50, 10, 40, 20, 30]);
  assert.equal(most, 2);
});

async function serve(network: Network): Promise<{ server: Server; post(body: unknown, method?: string): Promise<{ code: number; body: unknown }> }> {
  const ips: Record<string, string> = { 'x/a': '10.244.0.2', 'x/b': '10.244.0.3' };
  const handler = probeEndpoint(network, (ns, name) => ips[`${ns}/${name}`]);
  const server = createServer((req, res) => { handler(req, res).catch((e: unknown) => sendError(res, e)); }).listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/knet/v1/probe`;
  return {
    server,
    async post(body, method = 'POST') {
      const r = await fetch(url, { method, body: method === 'POST' ? (typeof body === 'string' ? body : JSON.stringify(body)) : undefined });
      return { code: r.status, body: await r.json() };
    },
  };
}

test('the probe endpoint: one probe or a batch in order; unknown pods are a per-probe error; bad requests get 400 naming the field', async () => {
  const { server, post } = await serve(lab());
  try {
    assert.deepEqual(await post(spec(80)), { code: 200, body: { outcome: 'connected' } });
    const batch = await post({ probes: [spec(81), spec(80), { ...spec(80), from: 'x/zz' }, { ...spec(53, 'UDP'), protocol: 'udp' }] });
    assert.deepEqual(batch, { code: 200, body: { results: [
      { outcome: 'timeout', detail: 'no answer within 50 ms' }, { outcome: 'connected' },
      { outcome: 'error', detail: 'pod x/zz is not running with an address' }, { outcome: 'connected' },
    ] } });
    const bad = async (body: unknown): Promise<string> => {
      const r = await post(body);
      assert.equal(r.code, 400);
      return (r.body as { message: string }).message;
    };
    assert.equal(await bad({ probes: [spec(80), { ...spec(80), to: { ip: '10.244.0.3', port: 0 } }] }), 'probes[1].to.port: must be between 1 and 65535, inclusive');
    assert.equal(await bad({ ...spec(80), from: 'a' }), 'from: must be "namespace/pod"');
    assert.equal(await bad({ ...spec(80), protocol: 'ICMP' }), 'protocol: Unsupported value: "ICMP": supported values: "TCP", "UDP", "SCTP"');
    assert.equal(await bad({ ...spec(80), to: { ip: 'web', port: 80 } }), 'to.ip: must be an IP address');
    assert.equal(await bad({ ...spec(80), timeoutMs: 60_000 }), 'timeoutMs: must be between 1 and 30000');
    assert.equal(await bad({ probes: {} }), 'probes: must be a list of probes');
    assert.match(await bad('{nope'), /^the probe request is not JSON: /);
    assert.equal((await post(undefined, 'GET')).code, 405);
  } finally {
    server.close();
  }
});

const DENY = policy('y', 'allow-from-x-a', { podSelector: { matchLabels: { pod: 'a' } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'x' } }, podSelector: { matchLabels: { pod: 'a' } } }], ports: [{ port: 'serve-80-tcp' }] }] });

test('probing every cell through the model\'s own network agrees with the computed table (nothing listens: allowed cells are refused)', async () => {
  const m = buildModel(snapshot([DENY]));
  const pods = tablePods(m, []);
  const t = truthTable(m, pods, tableKeys(pods, [80], []));
  const asked: ProbeSpec[] = [];
  const prober = (specs: ProbeSpec[]): Promise<ProbeResult[]> => {
    asked.push(...specs);
    return Promise.all(specs.map((s) => probeFrom(m.network.stackFor(m.pods.get(s.from)!.status!.podIP!)!, s)));
  };
  const results = await probeTable(t, m, prober, 30);
  assert.equal(asked.length, 16);
  assert.deepEqual(asked[1], { from: 'x/a', to: { ip: '10.244.0.11', port: 80 }, protocol: 'TCP', timeoutMs: 30 });
  const cmp = compareProbes(t, results);
  assert.deepEqual(cmp.diffs, []);
  assert.deepEqual([cmp.correct, cmp.total, cmp.refused], [16, 16, 14]);
  assert.equal(formatTable(cmp.same), formatTable({ ...t, cells: new Map([['TCP/80', t.pods.map(() => t.pods.map(() => true))]]) }));
  // A probe that disagrees is marked X and listed with what it saw.
  const y = t.pods.indexOf('y/a');
  results.get('TCP/80')![t.pods.indexOf('x/b')]![y] = { outcome: 'connected' };
  results.get('TCP/80')![0]![0] = { outcome: 'error', detail: 'pod x/a is not running with an address' };
  const wrong = compareProbes(t, results);
  assert.deepEqual(wrong.diffs, [
    'TCP/80 x/a -> x/a: computed . (allowed), probe error (pod x/a is not running with an address)',
    'TCP/80 x/b -> y/a: computed X (blocked), probe connected',
  ]);
  assert.deepEqual(wrong.same.cells.get('TCP/80')![t.pods.indexOf('x/b')], [true, true, false, true]);
  assert.deepEqual([wrong.correct, wrong.total], [14, 16]);
});
