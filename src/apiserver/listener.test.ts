import { test } from 'node:test';
import assert from 'node:assert/strict';
import https from 'node:https';
import tls from 'node:tls';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import { generatePki, type Pki } from './pki.js';
import { IDLE_TIMEOUT_MS, READ_HEADER_TIMEOUT_MS, limitListener, tlsLimits } from './listener.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function serve(pki: Pki, o: { maxConnections?: number; readHeaderTimeoutMs?: number }) {
  const lines: string[] = [];
  const server = https.createServer({ cert: pki.serverCert, key: pki.serverKey, ...tlsLimits }, (_req, res) => res.end('ok'));
  limitListener(server, { ...o, upgrades: false, log: (l) => lines.push(l) });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  const connect = async (): Promise<tls.TLSSocket | 'closed'> => {
    const s = tls.connect({ host: '127.0.0.1', port, rejectUnauthorized: false });
    s.on('error', () => undefined);
    const r = await Promise.race([once(s, 'secureConnect').then(() => s, () => 'closed' as const), new Promise<'closed'>((res) => s.once('close', () => res('closed')))]);
    return r;
  };
  return { server, lines, connect, close: () => { server.close(); server.closeAllConnections(); } };
}

test("kube-apiserver's listener timeouts: IdleTimeout 90 s, ReadHeaderTimeout 32 s, the TLS handshake too", async () => {
  const server = https.createServer({ ...tlsLimits });
  limitListener(server, { upgrades: false, log: () => undefined });
  assert.equal(server.keepAliveTimeout, IDLE_TIMEOUT_MS);
  assert.equal(server.headersTimeout, READ_HEADER_TIMEOUT_MS);
  assert.deepEqual([IDLE_TIMEOUT_MS, READ_HEADER_TIMEOUT_MS, tlsLimits.handshakeTimeout], [90_000, 32_000, 32_000]);
});

test('connections beyond the cap are closed at accept, said once; a TLS connection that sends no request is closed after ReadHeaderTimeout', async () => {
  const pki = await generatePki();
  const s = await serve(pki, { maxConnections: 2, readHeaderTimeoutMs: 300 });
  try {
    const a = await s.connect();
    const b = await s.connect();
    assert.notEqual(a, 'closed');
    assert.notEqual(b, 'closed');
    assert.equal(await s.connect(), 'closed');
    assert.equal(await s.connect(), 'closed');
    assert.equal(s.lines.length, 1);
    assert.match(s.lines[0]!, /^api server: refusing new connections: 2 are open, as many as this process's descriptors allow \(1 refused since the last such message; raise the open-files limit, ulimit -n, to allow more\)$/);
    const t0 = Date.now();
    await Promise.race([Promise.all([a, b].map((x) => new Promise((r) => (x as tls.TLSSocket).once('close', r)))), sleep(3000).then(() => assert.fail('silent connections stayed open'))]);
    assert.ok(Date.now() - t0 >= 200);
    const c = await s.connect();
    assert.notEqual(c, 'closed', 'their places are free again');
    (c as tls.TLSSocket).destroy();
  } finally { s.close(); }
});
