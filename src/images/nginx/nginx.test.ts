import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createNetwork } from '../../net/network.js';
import { ImageRegistry } from '../registry.js';
import { curl, parseResponse, rawTcp, run, until } from '../util/testkit.js';
import { nginxVersion } from './version.js';

const images = new ImageRegistry();

const ACCESS = /^10\.244\.0\.7 - - \[\d\d\/[A-Z][a-z]{2}\/\d{4}:\d\d:\d\d:\d\d \+0000\] "GET \/ HTTP\/1\.1" 200 615 "-" "curl\/8\.5\.0" "-"$/;

test('nginx tags map to versions', () => {
  assert.equal(nginxVersion('1.27.3'), '1.27.3');
  assert.equal(nginxVersion('1.27'), '1.27.5');
  assert.equal(nginxVersion('1.25-alpine'), '1.25.5');
  assert.match(nginxVersion(undefined), /^1\.\d*[13579]\.\d+$/);
  assert.match(nginxVersion('stable-alpine'), /^1\.\d*[02468]\.\d+$/);
});

test('nginx serves the welcome page, 404s, HEAD and keep-alive, and logs like the official image', async () => {
  const net = createNetwork();
  const server = net.addStack(['10.244.0.5'], { kind: 'pod', name: 'web-0' });
  const client = net.addStack(['10.244.0.7'], { kind: 'pod' });
  const img = images.resolve('nginx:1.27.3');
  assert.ok(img);
  const p = run(img, ['/docker-entrypoint.sh', 'nginx', '-g', 'daemon off;'], server, { pod: { image: 'nginx:1.27.3' } });
  await until(() => p.err().includes('start worker process'));
  assert.match(p.out(), /^\/docker-entrypoint\.sh: \/docker-entrypoint\.d\/ is not empty, will attempt to perform configuration\n/);
  assert.match(p.out(), /10-listen-on-ipv6-by-default\.sh: info: Enabled listen on IPv6 in \/etc\/nginx\/conf\.d\/default\.conf\n/);
  assert.match(p.out(), /Configuration complete; ready for start up\n$/);
  assert.match(p.err(), /^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d \[notice\] 1#1: using the "epoll" event method\n.*\[notice\] 1#1: nginx\/1\.27\.3\n/);

  const r = parseResponse(await curl(client, '10.244.0.5', 80));
  assert.equal(r.status, 'HTTP/1.1 200 OK');
  assert.deepEqual(r.headers.map(([k]) => k), ['Server', 'Date', 'Content-Type', 'Content-Length', 'Last-Modified', 'Connection', 'ETag', 'Accept-Ranges']);
  assert.deepEqual(r.headers.filter(([k]) => k !== 'Date'), [['Server', 'nginx/1.27.3'], ['Content-Type', 'text/html'], ['Content-Length', '615'],
    ['Last-Modified', 'Tue, 26 Nov 2024 15:55:00 GMT'], ['Connection', 'keep-alive'], ['ETag', '"6745ef54-267"'], ['Accept-Ranges', 'bytes']]);
  assert.equal(r.body.length, 615);
  assert.match(r.body, /^<!DOCTYPE html>\n<html>\n<head>\n<title>Welcome to nginx!<\/title>/);
  await until(() => p.out().includes('"GET / HTTP/1.1"'));
  const line = p.out().trim().split('\n').pop() ?? '';
  assert.match(line, ACCESS);

  const nf = parseResponse(await curl(client, '10.244.0.5', 80, '/nope'));
  assert.equal(nf.status, 'HTTP/1.1 404 Not Found');
  assert.equal(nf.body, '<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx/1.27.3</center>\r\n</body>\r\n</html>\r\n');
  assert.equal(nf.headers.find(([k]) => k === 'Content-Length')?.[1], '153');

  // Keep-alive: two requests on one connection, the second a HEAD; then an HTTP/1.0 request closes.
  const two = await rawTcp(client, { ip: '10.244.0.5', port: 80 }, 'GET /index.html HTTP/1.1\r\nHost: x\r\n\r\nHEAD / HTTP/1.1\r\nHost: x\r\n\r\n');
  assert.equal(two.split('HTTP/1.1 200 OK').length, 3);
  assert.ok(two.endsWith('Accept-Ranges: bytes\r\n\r\n'), 'HEAD has no body');
  const old = await rawTcp(client, { ip: '10.244.0.5', port: 80 }, 'GET / HTTP/1.0\r\n\r\n', 2000);
  assert.match(old, /Connection: close\r\n/);
  await until(() => p.out().includes('"HEAD / HTTP/1.1" 200 0 "-" "-" "-"'));

  const moved = parseResponse(await curl(client, '10.244.0.5', 80, '/nope/../'));
  assert.equal(moved.status, 'HTTP/1.1 200 OK');
  const post = parseResponse(await rawTcp(client, { ip: '10.244.0.5', port: 80 }, 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n'));
  assert.equal(post.status, 'HTTP/1.1 405 Not Allowed');

  assert.equal(await p.stop('SIGTERM'), 0);
  assert.match(p.err(), /\[notice\] 1#1: signal 3 \(SIGQUIT\) received, shutting down\n/);
  assert.match(p.err(), /\[notice\] 1#1: exit\n$/);
  await assert.rejects(client.connect({ ip: '10.244.0.5', port: 80 }));
});

test('current nginx serves the new welcome page; httpd says It works!', async () => {
  const net = createNetwork();
  const server = net.addStack(['10.244.0.5'], { kind: 'pod' });
  const client = net.addStack(['10.244.0.7'], { kind: 'pod' });
  const img = images.resolve('nginx');
  assert.ok(img);
  const p = run(img, ['nginx', '-g', 'daemon off;'], server, { pod: { image: 'nginx' } });
  await until(() => p.err().includes('start worker process'));
  assert.equal(p.out(), '', 'no entrypoint notices when the command replaces the entrypoint');
  const r = parseResponse(await curl(client, '10.244.0.5', 80));
  assert.match(r.body, /Welcome to nginx!/);
  assert.match(r.headers.find(([k]) => k === 'Server')?.[1] ?? '', /^nginx\/1\.\d+\.\d+$/);
  await p.stop();

  const httpd = images.resolve('httpd:2.4.62');
  assert.ok(httpd);
  const h = run(httpd, ['httpd-foreground'], server, { pod: { image: 'httpd:2.4.62' } });
  await until(() => h.err().includes('AH00094'));
  const hr = parseResponse(await curl(client, '10.244.0.5', 80));
  assert.equal(hr.body, '<html><body><h1>It works!</h1></body></html>\n');
  assert.deepEqual(hr.headers.slice(1), [['Server', 'Apache/2.4.62 (Unix)'], ['Last-Modified', 'Mon, 11 Jun 2007 18:53:14 GMT'],
    ['ETag', '"2d-432a5e4a73a80"'], ['Accept-Ranges', 'bytes'], ['Content-Length', '45'], ['Content-Type', 'text/html']]);
  await until(() => h.out().includes('"GET / HTTP/1.1" 200 45'));
  assert.equal(await h.stop(), 0);
});
