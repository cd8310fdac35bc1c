import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { Socket } from 'node:net';
import tls from 'node:tls';
import { WebSocketServer, WebSocket } from 'ws';
import { createNetwork } from '../../../net/network.js';
import { bed, location, selfSigned, server, table, upstream, type Bed } from './testing.js';

/** A `ws` echo backend at 10.244.1.9:8080 behind the proxy; `closeOn` makes it close on that message. */
async function setup(): Promise<{ bd: Bed; wss: WebSocketServer; backendClosed: Promise<void>[]; open(secure: boolean): Promise<WebSocket> }> {
  const network = createNetwork();
  const stack = network.addStack(['10.244.1.9'], { kind: 'pod' });
  const wss = new WebSocketServer({ noServer: true });
  const backendClosed: Promise<void>[] = [];
  const backend = http.createServer();
  backend.on('upgrade', (req, socket, head) => wss.handleUpgrade(req, socket, head, (ws) => {
    // The backend's TCP close, which follows its close handshake.
    backendClosed.push(new Promise((resolve) => socket.once('close', () => resolve())));
    ws.on('message', (m: Buffer) => {
      if (m.toString() === 'bye') ws.close(1000, 'backend done');
      else ws.send(`echo ${m.toString()}`);
    });
  }));
  stack.listen(8080, (c) => backend.emit('connection', c));
  const fake = await selfSigned('fake', ['fake']);
  const bd = bed(table([server('example.com', [location('/', upstream('ws', [{ ip: '10.244.1.9', port: 8080 }]), { sslRedirect: false })])], fake.certificate), { network });
  const open = async (secure: boolean): Promise<WebSocket> => {
    const c = await bd.network.host.connect({ ip: bd.ip, port: secure ? 443 : 80 });
    const sock = secure ? tls.connect({ socket: c as unknown as Socket, rejectUnauthorized: false, servername: 'example.com', ALPNProtocols: ['http/1.1'] }) : c;
    const ws = new WebSocket(`${secure ? 'wss' : 'ws'}://example.com/chat`, { createConnection: () => sock as Socket } as never);
    await new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject); });
    return ws;
  };
  return { bd, wss, backendClosed, open };
}

/** Resolves with the close code and reason, or rejects when the close takes longer than `ms` (ws waits 30 s for a TCP close that never comes). */
function closed(ws: WebSocket, ms = 3000): Promise<[number, string]> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no close within ${ms} ms`)), ms);
    ws.once('close', (code: number, reason: Buffer) => { clearTimeout(t); resolve([code, reason.toString()]); });
  });
}

test('WebSocket: the backend closes first; the client gets the close handshake and the TCP close at once (HTTP and HTTPS)', async () => {
  const { bd, wss, backendClosed, open } = await setup();
  try {
    for (const secure of [false, true]) {
      const ws = await open(secure);
      const done = closed(ws);
      ws.send('bye');
      const t0 = Date.now();
      assert.deepEqual(await done, [1000, 'backend done']);
      assert.ok(Date.now() - t0 < 3000);
      await backendClosed.at(-1);
    }
    assert.equal(backendClosed.length, 2);
  } finally {
    bd.close();
    wss.close();
  }
});

test('WebSocket: the client closes first; the backend sees the handshake and both TCP connections close at once (HTTP and HTTPS)', async () => {
  const { bd, wss, backendClosed, open } = await setup();
  try {
    for (const secure of [false, true]) {
      const ws = await open(secure);
      const got = new Promise<string>((resolve) => ws.once('message', (m: Buffer) => resolve(m.toString())));
      ws.send('hi');
      assert.equal(await got, 'echo hi');
      const serverSide = [...wss.clients].at(-1)!;
      const serverClose = new Promise<number>((resolve) => serverSide.once('close', (code: number) => resolve(code)));
      const done = closed(ws);
      ws.close(4001, 'client done');
      assert.deepEqual(await done, [4001, 'client done']);
      assert.equal(await serverClose, 4001);
      await backendClosed.at(-1);
    }
  } finally {
    bd.close();
    wss.close();
  }
});
