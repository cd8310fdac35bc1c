import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { createNetwork } from './network.js';
import type { Conn } from './types.js';

test("Node's http server and client run over virtual connections", async () => {
  const net = createNetwork();
  const a = net.addStack(['10.244.1.2'], { kind: 'pod' });
  const b = net.addStack(['10.244.1.3'], { kind: 'pod' });
  const server = http.createServer({ keepAliveTimeout: 50 }, (req, res) => res.end(`hello ${req.socket.remoteAddress} ${req.url}`));
  b.listen(80, (c) => server.emit('connection', c));
  for (const path of ['/a', '/b']) {
    const conn = await a.connect({ ip: '10.244.1.3', port: 80 });
    const body = await new Promise<string>((resolve, reject) => {
      const req = http.request({ host: '10.244.1.3', path, createConnection: () => conn as Conn & import('node:net').Socket }, (res) => {
        let s = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (s += d));
        res.on('end', () => resolve(`${res.statusCode} ${s}`));
      });
      req.on('error', reject);
      req.end();
    });
    assert.equal(body, `200 hello 10.244.1.2 ${path}`);
  }
  server.close();
});
