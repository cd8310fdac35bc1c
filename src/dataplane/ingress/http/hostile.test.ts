import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import tls from 'node:tls';
import type { Socket } from 'node:net';
import { createNetwork } from '../../../net/network.js';
import { bed, echoBackend, get, location, raw, selfSigned, server, table, upstream } from './testing.js';

const cert = selfSigned('Kubernetes Ingress Controller Fake Certificate', ['ingress.local']);

async function setup(global = {}) {
  const network = createNetwork();
  const a = echoBackend(network, '10.244.1.2', 'a');
  return bed(table([server('example.com', [location('/', upstream('web', [{ ip: a.ip, port: 8080 }]))])], (await cert).certificate, global), { network });
}

test('a header line over 8k → 400 Request Header Or Cookie Too Large, a request line over 8k → 414, both closing', async () => {
  const bd = await setup();
  try {
    const header = await raw(bd, `GET / HTTP/1.1\r\nHost: example.com\r\nCookie: ${'a'.repeat(9000)}\r\n\r\n`);
    assert.match(header, /^HTTP\/1\.1 400 Bad Request\r\n/);
    assert.match(header, /<title>400 Request Header Or Cookie Too Large<\/title>/);
    assert.match(header, /Connection: close/);
    const huge = await raw(bd, `GET / HTTP/1.1\r\nHost: example.com\r\n${Array.from({ length: 6 }, (_, i) => `X-${i}: ${'b'.repeat(7000)}\r\n`).join('')}\r\n`);
    assert.match(huge, /^HTTP\/1\.1 400 Bad Request\r\n/, 'headers over 4×8k in all');
    const uri = await raw(bd, `GET /${'u'.repeat(9000)} HTTP/1.1\r\nHost: example.com\r\n\r\n`);
    assert.match(uri, /^HTTP\/1\.1 414 Request-URI Too Large\r\n/);
    const uriHuge = await raw(bd, `GET /${'u'.repeat(40000)} HTTP/1.1\r\nHost: example.com\r\n\r\n`);
    assert.match(uriHuge, /^HTTP\/1\.1 414 Request-URI Too Large\r\n/);
    assert.equal((await get(bd, '/')).status, 200, 'good clients keep being served');
  } finally { bd.close(); }
});

test('request smuggling (Content-Length with Transfer-Encoding) and bad chunked encoding → 400 and close', async () => {
  const bd = await setup();
  try {
    const both = await raw(bd, 'POST / HTTP/1.1\r\nHost: example.com\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: example.com\r\n\r\n');
    assert.match(both, /^HTTP\/1\.1 400 Bad Request\r\n/);
    assert.doesNotMatch(both, /smuggled/);
    const bad = await raw(bd, 'POST / HTTP/1.1\r\nHost: example.com\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n');
    assert.match(bad, /HTTP\/1\.1 400 Bad Request\r\n/);
    const obsFold = await raw(bd, 'GET / HTTP/1.1\r\nHost: example.com\r\nX-A: 1\r\n folded\r\n\r\n');
    assert.match(obsFold, /^HTTP\/1\.1 400 Bad Request\r\n/);
  } finally { bd.close(); }
});

test('slowloris: a client that never finishes its headers gets 408 and is closed while others are served', async () => {
  const bd = await setup({ clientHeaderTimeoutMs: 200 });
  try {
    const conn = await bd.network.host.connect({ ip: bd.ip, port: 80 });
    const got: Buffer[] = [];
    conn.on('data', (d: Buffer) => got.push(d));
    const closed = new Promise((resolve) => conn.once('close', resolve));
    conn.write('GET / HTTP/1.1\r\nHost: exa');
    for (let i = 0; i < 3; i++) assert.equal((await get(bd, '/')).status, 200);
    const t = setInterval(() => { if (conn.writable) conn.write('x'); }, 50);
    await closed;
    clearInterval(t);
    assert.match(Buffer.concat(got).toString(), /^HTTP\/1\.1 408 Request Time-out\r\n/);
  } finally { bd.close(); }
});

test('slowloris over TLS: an HTTP/1.1 client that never finishes its headers is closed too', async () => {
  const bd = await setup({ clientHeaderTimeoutMs: 200 });
  try {
    const conn = await bd.network.host.connect({ ip: bd.ip, port: 443 });
    const t = tls.connect({ socket: conn as unknown as Socket, servername: 'example.com', rejectUnauthorized: false, ALPNProtocols: ['http/1.1'] });
    t.on('error', () => undefined);
    await new Promise((resolve) => t.once('secureConnect', resolve));
    const closed = new Promise((resolve) => t.once('close', resolve));
    t.write('GET / HTTP/1.1\r\nHost: exa');
    const drip = setInterval(() => { if (t.writable) t.write('x'); }, 50);
    const timeout = new Promise((resolve) => setTimeout(() => resolve('still open'), 3000));
    const outcome = await Promise.race([closed.then(() => 'closed'), timeout]);
    clearInterval(drip);
    t.destroy();
    assert.equal(outcome, 'closed');
  } finally { bd.close(); }
});

test('a connection that never sends a request is closed after client-header-timeout, plain and over TLS (nginx closes it too)', async () => {
  const bd = await setup({ clientHeaderTimeoutMs: 200 });
  try {
    const closedWithin = (d: import('node:stream').Duplex, ms: number): Promise<string> => {
      d.on('error', () => undefined);
      return Promise.race([new Promise<string>((r) => d.once('close', () => r('closed'))), new Promise<string>((r) => setTimeout(() => r('still open'), ms))]);
    };
    const plain = await bd.network.host.connect({ ip: bd.ip, port: 80 });
    const conn = await bd.network.host.connect({ ip: bd.ip, port: 443 });
    const t = tls.connect({ socket: conn as unknown as Socket, servername: 'example.com', rejectUnauthorized: false, ALPNProtocols: ['http/1.1'] });
    t.on('error', () => undefined);
    await new Promise((resolve) => t.once('secureConnect', resolve));
    t.resume();
    assert.deepEqual(await Promise.all([closedWithin(plain, 3000), closedWithin(t, 3000)]), ['closed', 'closed']);
    assert.equal((await get(bd, '/')).status, 200);
  } finally { bd.close(); }
});

test('a request body that stalls gets 408 after client-body-timeout (nginx client_body_timeout) and is closed', async () => {
  const bd = await setup({ clientBodyTimeoutMs: 200 });
  try {
    const conn = await bd.network.host.connect({ ip: bd.ip, port: 80 });
    const got: Buffer[] = [];
    conn.on('data', (d: Buffer) => got.push(d));
    const ended = new Promise((resolve) => conn.once('end', resolve));
    conn.write('POST / HTTP/1.1\r\nHost: example.com\r\nContent-Length: 100\r\n\r\nonly part of it');
    await ended;
    conn.destroy();
    assert.match(Buffer.concat(got).toString(), /^HTTP\/1\.1 408 Request Time-out\r\n/);
    assert.equal((await get(bd, '/')).status, 200);
  } finally { bd.close(); }
});

test('concurrent connections per listener are capped, logged once', async () => {
  const network = createNetwork();
  const a = echoBackend(network, '10.244.1.2', 'a');
  const bd = bed(table([server('example.com', [location('/', upstream('web', [{ ip: a.ip, port: 8080 }]))])], (await cert).certificate), { network, maxConnections: 2 });
  try {
    const held = [await network.host.connect({ ip: bd.ip, port: 80 }), await network.host.connect({ ip: bd.ip, port: 80 })];
    const third = await network.host.connect({ ip: bd.ip, port: 80 });
    third.on('error', () => undefined);
    await new Promise((resolve) => third.once('close', resolve));
    const fourth = await network.host.connect({ ip: bd.ip, port: 80 });
    fourth.on('error', () => undefined);
    await new Promise((resolve) => fourth.once('close', resolve));
    assert.equal(bd.errors.filter((l) => l.includes('worker_connections are not enough')).length, 1);
    for (const c of held) c.destroy();
    await new Promise((r) => setTimeout(r, 10));
    assert.equal((await get(bd, '/')).status, 200);
  } finally { bd.close(); }
});

test('backpressure: a client that does not read pauses the upstream instead of buffering its response', async () => {
  const network = createNetwork();
  let written = 0;
  let blocked = false;
  const chunk = Buffer.alloc(64 * 1024, 120);
  echoBackend(network, '10.244.1.2', 'big', 8080, (_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
    const pump = (): void => {
      while (written < 64 * 1024 * 1024) {
        written += chunk.length;
        if (!res.write(chunk)) { blocked = true; res.once('drain', pump); return; }
      }
      res.end();
    };
    pump();
    return true;
  });
  const bd = bed(table([server('example.com', [location('/', upstream('big', [{ ip: '10.244.1.2', port: 8080 }]))])], (await cert).certificate), { network });
  try {
    const conn = await network.host.connect({ ip: bd.ip, port: 80 });
    const req = http.request({ path: '/', headers: { Host: 'example.com' }, createConnection: () => conn as unknown as Socket });
    const res = await new Promise<http.IncomingMessage>((resolve) => { req.once('response', resolve); req.end(); });
    res.pause();
    await new Promise((r) => setTimeout(r, 200));
    assert.ok(blocked, 'the backend saw backpressure');
    assert.ok(written < 4 * 1024 * 1024, `only a bounded amount was produced while the client did not read (${written} bytes)`);
    let received = 0;
    res.on('data', (d: Buffer) => { received += d.length; });
    res.resume();
    await new Promise((resolve) => res.once('end', resolve));
    assert.equal(received, 64 * 1024 * 1024);
  } finally { bd.close(); }
});

// nginx logs requests it refuses while reading them: `$request` is what it got of the request line
// (ngx_http_variable_request_line: up to CR/LF, or `-`), no upstream (`[] [] - - - -`), a fresh $req_id.
test('requests refused by the parser (400, 414, 408) get access-log lines with nginx\'s "-" fields', async () => {
  const bd = await setup({ clientHeaderTimeoutMs: 200 });
  try {
    const refused = (status: number, request: string): RegExp => new RegExp(
      `^\\S+ - - \\[\\d\\d/\\w{3}/\\d{4}:\\d\\d:\\d\\d:\\d\\d \\+0000\\] ${request} ${status} \\d+ "-" "-" \\d+ \\d+\\.\\d{3} \\[\\] \\[\\] - - - - [0-9a-f]{32}$`);
    await raw(bd, 'POST /s HTTP/1.1\r\nHost: example.com\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n');
    assert.match(bd.access.at(-1) ?? '', refused(400, '"POST /s HTTP/1.1"'));
    await raw(bd, `GET /${'u'.repeat(40000)} HTTP/1.1\r\nHost: example.com\r\n\r\n`);
    assert.match(bd.access.at(-1) ?? '', refused(414, '"GET /u{8187}"'), 'the request line as far as one 8k buffer holds it');
    await raw(bd, Buffer.from([0x16, 0x03, 0x01, 0x00, 0xa5, 0x01, 0x00, 0x00, 0xa1, 0x03, 0x03])); // a TLS ClientHello on the HTTP port
    assert.match(bd.access.at(-1) ?? '', refused(400, '"\\\\x16\\\\x03\\\\x01\\\\x00\\\\xA5\\\\x01\\\\x00\\\\x00\\\\xA1\\\\x03\\\\x03"'));
    await raw(bd, 'GET /slow HTTP/1.1\r\nHost: exa', 1500);
    assert.match(bd.access.at(-1) ?? '', refused(408, '"-"'));
    assert.equal(bd.access.length, 4);
  } finally { bd.close(); }
});
