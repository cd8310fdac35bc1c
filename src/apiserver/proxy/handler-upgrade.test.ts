import { test } from 'node:test';
import assert from 'node:assert/strict';
import http, { type IncomingMessage } from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { errors } from '../../api/errors.js';
import { ProxySubresources, withProxyUpgrades } from './handler.js';
import { backendHeaders } from './forward.js';
import type { UpgradeHandler } from '../streams/upgrade.js';

/** Sends one raw upgrade request and reads the whole answer. */
async function rawUpgrade(port: number, path: string): Promise<string> {
  return await new Promise((resolve, reject) => {
    const c = net.connect(port, '127.0.0.1', () => c.write(`GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nImpersonate-User: admin\r\n\r\n`));
    let out = '';
    c.on('data', (d: Buffer) => { out += d.toString(); });
    c.on('end', () => resolve(out));
    c.on('error', reject);
  });
}

// An impersonation check that throws (forbidden impersonation, a bad Impersonate-Extra-%zz escape) inside
// the 'upgrade' event must answer the client with a Status, not kill the process with an uncaught exception.
test('a throwing authentication on a proxy upgrade answers the Status and the server keeps serving', async () => {
  const proxy = new ProxySubresources({ service: () => undefined, endpoints: () => undefined, pod: () => undefined, node: () => undefined, dial: () => { throw new Error('no dial'); } });
  const inner = Object.assign(() => undefined, { closeAll: () => undefined }) as UpgradeHandler;
  const handle = withProxyUpgrades(proxy, inner);
  const thrown = [errors.forbidden('users "admin" is forbidden: User "system:serviceaccount:default:sa" cannot impersonate resource "users" in API group "" at the cluster scope'), new URIError('URI malformed')];
  let i = 0;
  const server = http.createServer();
  server.on('upgrade', (req, socket, head: Buffer) => handle({ authenticated: () => { throw thrown[i++ % thrown.length]; } }, req, socket, head));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  try {
    const a = await rawUpgrade(port, '/api/v1/namespaces/default/pods/p/proxy/');
    assert.match(a, /^HTTP\/1\.1 403 Forbidden\r\n/);
    const status = JSON.parse(a.slice(a.indexOf('\r\n\r\n') + 4)) as { kind: string; code: number; message: string };
    assert.equal(status.kind, 'Status');
    assert.equal(status.code, 403);
    assert.match(status.message, /cannot impersonate/);
    const b = await rawUpgrade(port, '/api/v1/namespaces/default/pods/p/proxy/');
    assert.match(b, /^HTTP\/1\.1 500 Internal Server Error\r\n/);
    assert.match(b, /URI malformed/);
  } finally { server.close(); }
});

test('a relayed upgrade keeps its hop-by-hop headers but not Authorization or Impersonate-*', () => {
  const req = { headers: { connection: 'Upgrade', upgrade: 'websocket', authorization: 'Bearer t', 'impersonate-user': 'admin', 'impersonate-extra-scopes': 'x', 'x-app': '1' }, socket: { remoteAddress: '127.0.0.1' } } as unknown as IncomingMessage;
  assert.deepEqual(backendHeaders(req, true), { connection: 'Upgrade', upgrade: 'websocket', 'x-app': '1', 'x-forwarded-for': '127.0.0.1' });
});
