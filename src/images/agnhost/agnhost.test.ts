// agnhost as upstream's netpol e2e uses it: servers `serve-hostname --tcp|--udp --http=false` and
// `porter` with SERVE_SCTP_PORT_<n>, probed by `connect --protocol=tcp|udp|sctp` whose stderr tells
// a dropped connection (TIMEOUT) from a refused one (REFUSED, or OTHER for SCTP)
// (kubernetes test/images/agnhost/connect/connect.go, porter/porter.go, serve-hostname).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createNetwork } from '../../net/network.js';
import type { Filter } from '../../net/flow.js';
import type { Protocol } from '../../net/types.js';
import { run, until } from '../util/testkit.js';
import { agnhostImage as ag } from './index.js';

function world(drop?: Protocol[]) {
  const net = createNetwork();
  const server = net.addStack(['10.244.0.5'], { kind: 'pod', namespace: 'x', name: 'a' });
  const client = net.addStack(['10.244.0.6'], { kind: 'pod', namespace: 'x', name: 'b' });
  // A policy-like filter: drops the listed protocols to the server, with no answer at all.
  const f: Filter = { name: 'drop', check: (r) => ({ allow: !(r.to.ip === '10.244.0.5' && drop?.includes(r.flow.protocol)) }) };
  if (drop) net.addFilter(f);
  return { net, server, client };
}
const probe = async (client: ReturnType<typeof world>['client'], args: string[]) => {
  const p = run(ag, ['/agnhost', 'connect', ...args], client);
  const code = await p.done;
  return { code, err: p.err() };
};

test('porter serves SERVE_SCTP_PORT_<n> over SCTP: the value is written on every association, then closed', async () => {
  const { server, client } = world();
  const p = run(ag, ['/agnhost', 'porter'], server, { env: { SERVE_SCTP_PORT_9004: 'foo', SERVE_TCP_PORT_9005: 'bar' } });
  await until(() => p.err().includes('Started SCTP server'));
  const c = await client.connect({ ip: '10.244.0.5', port: 9004 }, { protocol: 'SCTP' });
  let got = '';
  for await (const d of c) got += (d as Buffer).toString();
  assert.equal(got, 'foo');
  await until(() => p.err().includes('Response sent'));
  assert.match(p.err(), /Sending response\n.*Response sent\n/);
  assert.deepEqual(await probe(client, ['10.244.0.5:9004', '--timeout=1s', '--protocol=sctp']), { code: 0, err: '' });
  assert.deepEqual(await probe(client, ['10.244.0.5:9004', '--timeout=1s', '--protocol=tcp']), { code: 1, err: 'REFUSED\n' }, 'no TCP server on the SCTP port');
  assert.deepEqual(await probe(client, ['10.244.0.5:9005', '--timeout=1s', '--protocol=sctp']), { code: 1, err: 'OTHER: connection refused\n' }, 'no SCTP server on the TCP port');
  assert.equal(await p.stop(), 2);
  const bad = run(ag, ['/agnhost', 'porter'], server, { env: { SERVE_SCTP_PORT_x1: 'v' } });
  assert.equal(await bad.done, 1);
  assert.match(bad.err(), /Sctp: failed to resolve address\. error:lookup tcp\/x1: unknown port\n$/);
  server.listenSctp(9006, () => undefined);
  const busy = run(ag, ['/agnhost', 'porter'], server, { env: { SERVE_SCTP_PORT_9006: 'v' } });
  assert.equal(await busy.done, 1);
  assert.match(busy.err(), /Failed to listen SCTP\. error:address already in use\n$/);
});

test('connect --protocol=sctp writes, then needs an answer: EOF and zero timeouts fail as upstream', async () => {
  const { server, client } = world();
  server.listenSctp(81, (c) => { c.resume(); c.end(); });
  assert.deepEqual(await probe(client, ['10.244.0.5:81', '--timeout=1s', '--protocol=sctp']), { code: 1, err: 'OTHER: EOF\n' });
  let data = '';
  server.listenSctp(82, (c) => c.once('data', (d: Buffer) => { data = d.toString(); c.end('ok'); }));
  assert.deepEqual(await probe(client, ['10.244.0.5:82', '--timeout=1s', '--protocol=sctp', '--sctp-data=ping']), { code: 0, err: '' });
  assert.equal(data, 'ping\n');
  // time.After(0) fires before any dial completes.
  assert.deepEqual(await probe(client, ['10.244.0.5:82', '--protocol=sctp']), { code: 1, err: 'TIMEOUT\n' });
  assert.deepEqual(await probe(client, ['10.244.0.5', '--protocol=sctp']), { code: 1, err: 'DNS: address 10.244.0.5: missing port in address\n' });
});

test('dropped versus refused, per protocol, as the netpol notes table says', async () => {
  const { server, client } = world(['TCP', 'UDP', 'SCTP']);
  const ok = world();
  const servers = [server, ok.server].flatMap((w) => [
    run(ag, ['/agnhost', 'serve-hostname', '--tcp', '--http=false', '--port', '80'], w, { pod: { hostname: 'a' } }),
    run(ag, ['/agnhost', 'serve-hostname', '--udp', '--http=false', '--port', '80'], w, { pod: { hostname: 'a' } }),
    run(ag, ['/agnhost', 'porter'], w, { env: { SERVE_SCTP_PORT_80: 'foo' } }),
  ]);
  await until(() => servers.every((s) => /Serving on port 80|Started SCTP server/.test(s.err())));
  for (const proto of ['tcp', 'udp', 'sctp']) {
    assert.deepEqual(await probe(ok.client, ['10.244.0.5:80', '--timeout=1s', `--protocol=${proto}`]), { code: 0, err: '' }, `${proto} allowed`);
  }
  const t0 = Date.now();
  assert.deepEqual(await probe(client, ['10.244.0.5:80', '--timeout=200ms', '--protocol=tcp']), { code: 1, err: 'TIMEOUT\n' });
  assert.ok(Date.now() - t0 >= 190, 'a dropped dial waits the whole timeout');
  const udp = await probe(client, ['10.244.0.5:80', '--timeout=200ms', '--protocol=udp']);
  assert.equal(udp.code, 1);
  assert.match(udp.err, /^TIMEOUT: read udp 10\.244\.0\.6:\d+->10\.244\.0\.5:80: i\/o timeout\n$/);
  assert.deepEqual(await probe(client, ['10.244.0.5:80', '--timeout=200ms', '--protocol=sctp']), { code: 1, err: 'TIMEOUT\n' });
  // Refused: nothing listens on port 81 (RST, ICMP port unreachable, ABORT).
  assert.deepEqual(await probe(ok.client, ['10.244.0.5:81', '--timeout=1s', '--protocol=tcp']), { code: 1, err: 'REFUSED\n' });
  const refused = await probe(ok.client, ['10.244.0.5:81', '--timeout=1s', '--protocol=udp']);
  assert.match(refused.err, /^REFUSED: read udp 10\.244\.0\.6:\d+->10\.244\.0\.5:81: read: connection refused\n$/);
  assert.deepEqual(await probe(ok.client, ['10.244.0.5:81', '--timeout=1s', '--protocol=sctp']), { code: 1, err: 'OTHER: connection refused\n' });
  for (const s of servers) await s.stop('SIGKILL');
});

test('connect without --timeout waits like the kernel until it is stopped; serve-hostname reports a busy UDP port', async () => {
  const { server, client } = world(['TCP']);
  const p = run(ag, ['/agnhost', 'connect', '10.244.0.5:80'], client);
  let done = false;
  void p.done.then(() => { done = true; });
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(done, false);
  assert.equal(await p.stop(), 2);
  assert.equal(p.err(), '');
  server.listenUdp(90, () => undefined);
  const s = run(ag, ['/agnhost', 'serve-hostname', '--udp', '--http=false', '--port', '90'], server);
  assert.equal(await s.done, 1);
  assert.match(s.err(), /Error from ListenUDP\(\): listen udp :90: bind: address already in use\n$/);
});

test('connect --protocol=sctp stops at once when signalled while the association waits for an answer', async () => {
  const { server, client } = world();
  server.listenSctp(9006, () => undefined); // accepts and never answers
  const p = run(ag, ['/agnhost', 'connect', '10.244.0.5:9006', '--timeout=5s', '--protocol=sctp'], client);
  await new Promise((r) => setTimeout(r, 100));
  const t0 = Date.now();
  p.stop();
  await p.done;
  assert.ok(Date.now() - t0 < 1000, `stopped after ${Date.now() - t0} ms, not after the 5 s timeout`);
});
