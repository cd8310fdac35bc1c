// Unit tests: the webhook HTTPS server bounds how long a connection may stall (handshake, headers, idle),
// and the toolbox's TLS handshake has a default deadline (curl's 300 s connect timeout).
import { test, mock } from 'node:test';
import assert from 'node:assert/strict';
import { Duplex } from 'node:stream';
import tls from 'node:tls';
import { createNetwork } from '../../net/network.js';
import type { Conn } from '../../net/types.js';
import { generateCerts } from '../certgen/certs.js';
import { DEFAULT_TLS_TIMEOUT_MS, startTls } from '../toolbox/tls.js';
import { serveHttps } from './admission.js';

const closed = (c: { once(e: 'close', f: () => void): unknown }): Promise<number> => {
  const start = Date.now();
  return new Promise((r) => { c.once('close', () => r(Date.now() - start)); });
};

test('a webhook connection that never handshakes, or never finishes its headers, is closed; a full request is answered', async () => {
  const network = createNetwork();
  const pod = network.addStack(['10.244.0.30'], { kind: 'pod', name: 'webhook' });
  const client = network.addStack(['10.244.0.31'], { kind: 'pod', name: 'client' });
  const certs = await generateCerts('10.244.0.30');
  const server = serveHttps(pod, 8443, tls.createSecureContext({ cert: certs.cert, key: certs.key }), (_req, res) => res.end('ok'), { handshakeMs: 100, headersMs: 200, idleMs: 5000 });
  try {
    const silent = await client.connect({ ip: '10.244.0.30', port: 8443 }, {});
    assert.ok((await closed(silent)) < 2000, 'no ClientHello: closed after the handshake timeout');
    const conn = await client.connect({ ip: '10.244.0.30', port: 8443 }, {});
    const t = tls.connect({ socket: conn as unknown as Duplex, ca: certs.ca, servername: undefined, checkServerIdentity: () => undefined });
    await new Promise((r) => t.once('secureConnect', r));
    t.on('error', () => undefined);
    const body: Buffer[] = [];
    t.on('data', (d: Buffer) => body.push(d));
    t.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    const partial = closed(t);
    await new Promise((r) => setTimeout(r, 100));
    assert.match(Buffer.concat(body).toString(), /^HTTP\/1\.1 200 OK\r\n[\s\S]*\r\n\r\nok$/);
    t.write('GET / HTTP/1.1\r\nHost: x\r\n'); // the next request's headers never end
    assert.ok((await partial) < 2000, 'headers that never end: closed after the headers timeout');
  } finally { server.close(); }
});

test('a TLS handshake with a silent peer gives up after curl\'s default 300 s connect timeout', async () => {
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    const silent = new Duplex({ read() { /* never answers */ }, write(_c, _e, cb) { cb(); } });
    let result: unknown;
    void startTls(silent as unknown as Conn, { host: 'example.test', insecure: false }).then((r) => { result = r; });
    mock.timers.tick(DEFAULT_TLS_TIMEOUT_MS - 1);
    await new Promise((r) => setImmediate(r));
    assert.equal(result, undefined);
    mock.timers.tick(1);
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(result, { kind: 'timeout' });
  } finally { mock.timers.reset(); }
});
