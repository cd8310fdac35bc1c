import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { Socket } from 'node:net';
import WebSocket from 'ws';
import { createNetwork } from '../net/network.js';
import { ImageRegistry, standInImage } from './registry.js';
import { curl, parseResponse, rawTcp, run, udpAsk, until } from './util/testkit.js';
import type { ImageDef } from './types.js';

const images = new ImageRegistry();

function setup(): { net: ReturnType<typeof createNetwork>; server: ReturnType<ReturnType<typeof createNetwork>['addStack']>; client: ReturnType<ReturnType<typeof createNetwork>['addStack']> } {
  const net = createNetwork();
  return { net, server: net.addStack(['10.244.0.5'], { kind: 'pod' }), client: net.addStack(['10.244.0.7'], { kind: 'pod' }) };
}

function img(name: string): ImageDef {
  const d = images.resolve(name);
  assert.ok(d, name);
  return d;
}

test('http-echo answers with -text and -status-code and logs requests', async () => {
  const { server, client } = setup();
  const p = run(img('hashicorp/http-echo'), ['/http-echo', '-text=hello world', '-status-code', '201'], server);
  await until(() => p.err().includes('server is listening on :5678'));
  const r = parseResponse(await curl(client, '10.244.0.5', 5678, '/anything?x=1'));
  assert.equal(r.status, 'HTTP/1.1 201 Created');
  assert.deepEqual(r.headers.map(([k]) => k), ['X-App-Name', 'X-App-Version', 'Date', 'Content-Length', 'Content-Type']);
  assert.equal(r.body, 'hello world\n');
  await until(() => p.out().includes('"GET /anything HTTP/1.1" 201 12 "curl/8.5.0"'));
  assert.match(p.out(), /^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d 10\.244\.0\.5:5678 10\.244\.0\.7:\d+ "GET \/anything HTTP\/1\.1" 201 12 "curl\/8\.5\.0" [\d.]+(µs|ms)\n$/);
  assert.equal(parseResponse(await curl(client, '10.244.0.5', 5678, '/health')).body, '{"status":"ok"}\n');
  assert.equal(await p.stop(), 2);
  const bad = run(img('hashicorp/http-echo'), ['/http-echo'], server, { env: { ECHO_TEXT: '' } });
  assert.equal(await bad.done, 127);
  assert.equal(bad.err(), 'Missing -text option or ECHO_TEXT env var!\n');
});

test('whoami prints hostname, IPs, remote address and the request', async () => {
  const { server, client } = setup();
  const p = run(img('traefik/whoami'), ['/whoami'], server, { pod: { hostname: 'whoami-7f9c' } });
  await until(() => p.err().includes('Starting up on port 80'));
  const r = parseResponse(await curl(client, '10.244.0.5', 80));
  assert.match(r.body, /^Hostname: whoami-7f9c\nIP: 127\.0\.0\.1\nIP: ::1\nIP: 10\.244\.0\.5\nIP: fe80::[0-9a-f:]+\nRemoteAddr: 10\.244\.0\.7:\d+\nGET \/ HTTP\/1\.1\r\nHost: 10\.244\.0\.5\r\nUser-Agent: curl\/8\.5\.0\r\nAccept: \*\/\*\r\n\r\n$/);
  await p.stop();
});

test('whoami /echo is a WebSocket that sends every message back (traefik/whoami echoHandler)', async () => {
  const { server, client } = setup();
  const p = run(img('traefik/whoami'), ['/whoami'], server);
  await until(() => p.err().includes('Starting up on port 80'));
  const conn = await client.connect({ ip: '10.244.0.5', port: 80 });
  const ws = new WebSocket('ws://10.244.0.5/echo', { createConnection: () => conn as unknown as Socket });
  await once(ws, 'open');
  const echoed = once(ws, 'message'); // in-memory connections may deliver the echo before send() returns
  ws.send('hello over the pod network');
  const [msg] = (await echoed) as [Buffer];
  assert.equal(msg.toString(), 'hello over the pod network');
  ws.close();
  await p.stop();
});

test('agnhost netexec: /hostname /echo /clientip /dial /shell and the UDP commands', async () => {
  const { server, client, net } = setup();
  const other = net.addStack(['10.244.1.9'], { kind: 'pod' });
  const p = run(img('registry.k8s.io/e2e-test-images/agnhost:2.53'), ['/agnhost', 'netexec', '--http-port=8080', '--udp-port=8081'], server);
  const q = run(img('registry.k8s.io/e2e-test-images/agnhost:2.53'), ['/agnhost', 'netexec'], other, { pod: { hostname: 'netserver-1', name: 'netserver-1' } });
  await until(() => p.err().includes('Started HTTP server on port 8080') && q.err().includes('Started HTTP server'));
  const get = async (path: string): Promise<{ status: string; body: string }> => parseResponse(await curl(client, '10.244.0.5', 8080, path));
  assert.equal((await get('/hostname')).body, 'web-0');
  const echo = await get('/echo?msg=hi%20there');
  assert.deepEqual([echo.status, echo.body], ['HTTP/1.1 200 OK', 'hi there']);
  assert.equal((await get('/echo?msg=x&code=503')).status, 'HTTP/1.1 503 Service Unavailable');
  assert.match((await get('/clientip')).body, /^10\.244\.0\.7:\d+$/);
  assert.equal((await get('/healthz')).status, 'HTTP/1.1 200 OK');
  assert.match((await get('/')).body, /^NOW: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{9} \+0000 UTC m=\+\d+\.\d{9}$/);
  assert.equal((await get('/dial?request=hostname&protocol=http&host=10.244.1.9&port=8080&tries=2')).body, '{"responses":["netserver-1","netserver-1"]}');
  assert.equal((await get('/dial?request=hostname&protocol=udp&host=10.244.1.9&port=8081&tries=1')).body, '{"responses":["netserver-1"]}');
  assert.equal((await get('/dial?request=hostname&protocol=http&host=10.244.1.9&port=9999')).body,
    '{"errors":["Get \\"http://10.244.1.9:9999/hostname\\": dial tcp 10.244.1.9:9999: connect: connection refused"]}');
  const bad = await get('/dial?protocol=http&host=10.244.1.9&port=8080');
  assert.deepEqual([bad.status, bad.body], ['HTTP/1.1 400 Bad Request', 'request parameter not specified. <nil>\n']);
  assert.equal((await get('/shell?cmd=echo%20hello')).body, '{"output":"hello\\n"}');
  assert.equal(await udpAsk(client, { ip: '10.244.0.5', port: 8081 }, 'hostname'), 'web-0');
  assert.equal(await udpAsk(client, { ip: '10.244.0.5', port: 8081 }, 'echo Hello\n'), 'hello');
  assert.match(await udpAsk(client, { ip: '10.244.0.5', port: 8081 }, 'clientip') ?? '', /^10\.244\.0\.7:\d+$/);
  assert.match(p.err(), /\d\d:\d\d:\d\d GET \/echo\?msg=hi there&code=\n/);
  assert.equal(await p.stop(), 2);
  await q.stop();
});

test('agnhost serve-hostname answers over TCP and UDP; connect exits 0 or 1', async () => {
  const { server, client } = setup();
  const ag = img('registry.k8s.io/e2e-test-images/agnhost:2.53');
  const p = run(ag, ['/agnhost', 'serve-hostname', '--tcp', '--udp', '--http=false', '--port=9376'], server, { pod: { hostname: 'hostnames-abc' } });
  await until(() => p.err().includes('Serving on port 9376.'));
  assert.equal(await rawTcp(client, { ip: '10.244.0.5', port: 9376 }, ''), 'hostnames-abc');
  assert.equal(await udpAsk(client, { ip: '10.244.0.5', port: 9376 }, 'x'), 'hostnames-abc');
  const h = run(ag, ['/agnhost', 'serve-hostname', '--port=8000'], server, { pod: { hostname: 'hostnames-abc' } });
  await until(() => h.err().includes('Serving on port 8000.'));
  assert.equal(parseResponse(await curl(client, '10.244.0.5', 8000)).body, 'hostnames-abc');
  const bothModes = run(ag, ['/agnhost', 'serve-hostname', '--tcp'], server);
  assert.equal(await bothModes.done, 1);
  assert.match(bothModes.err(), /Can't server TCP\/UDP mode and HTTP mode at the same time\n$/);

  const ok = run(ag, ['/agnhost', 'connect', '10.244.0.5:9376', '--timeout=1s', '--protocol=tcp'], client);
  assert.equal(await ok.done, 0);
  const refused = run(ag, ['/agnhost', 'connect', '10.244.0.5:81', '--timeout=1s', '--protocol=tcp'], client);
  assert.equal(await refused.done, 1);
  assert.equal(refused.err(), 'REFUSED\n');
  const udp = run(ag, ['/agnhost', 'connect', '10.244.0.5:9376', '--timeout=1s', '--protocol=udp'], client);
  assert.equal(await udp.done, 0);
  const noPort = run(ag, ['/agnhost', 'connect', '10.244.0.5', '--timeout=1s'], client);
  assert.equal(await noPort.done, 1);
  assert.equal(noPort.err(), 'UNKNOWN: address 10.244.0.5: missing port in address\n');
  void p.stop('SIGKILL');
  void h.stop('SIGKILL');
  assert.equal(await p.done, 137);
});

test('agnhost porter and pause; registry.k8s.io/pause waits until stopped', async () => {
  const { server, client } = setup();
  const ag = img('registry.k8s.io/e2e-test-images/agnhost:2.53');
  const p = run(ag, ['/agnhost', 'porter'], server, { env: { SERVE_PORT_9001: 'foo', SERVE_UDP_PORT_9002: 'bar' } });
  await until(() => p.err().includes('Started UDP server on port 9002'));
  assert.equal(parseResponse(await curl(client, '10.244.0.5', 9001)).body, 'foo');
  assert.equal(await udpAsk(client, { ip: '10.244.0.5', port: 9002 }, 'x'), 'bar');
  await p.stop();
  const pa = run(ag, ['/agnhost', 'pause'], server);
  await until(() => pa.out() === 'Paused\n');
  assert.equal(await pa.stop(), 2);
  const k = run(img('registry.k8s.io/pause:3.10'), ['/pause'], server);
  assert.equal(await k.stop(), 0);
  assert.equal(k.err(), 'Shutting down, got signal: Terminated\n');
});

test('the stand-in answers HTTP with the pod identity, echoes other TCP and UDP, and runs until stopped', async () => {
  const { server, client } = setup();
  const s = standInImage('myorg/api:1.2');
  const p = run(s, ['/knet-stand-in'], server, { pod: { image: 'myorg/api:1.2', name: 'api-1' }, ports: [{ containerPort: 3000, protocol: 'TCP' }, { containerPort: 5353, protocol: 'UDP' }] });
  await until(() => p.out().includes('serving 3000/TCP, 5353/UDP'));
  const r = parseResponse(await curl(client, '10.244.0.5', 3000, '/v1/items'));
  assert.equal(r.status, 'HTTP/1.1 200 OK');
  assert.match(r.body, /^message: image myorg\/api:1\.2 is not runnable here; knet runs a stand-in\npod: api-1\nnamespace: default\nip: 10\.244\.0\.5\n/);
  assert.match(r.body, /request: GET \/v1\/items HTTP\/1\.1\n/);
  const j = parseResponse(await curl(client, '10.244.0.5', 3000, '/', 'Accept: application/json\r\n'));
  assert.equal((JSON.parse(j.body) as { pod: string }).pod, 'api-1');
  assert.equal(await rawTcp(client, { ip: '10.244.0.5', port: 3000 }, 'ping\n'), 'ping\n');
  assert.equal(await udpAsk(client, { ip: '10.244.0.5', port: 5353 }, 'dgram'), 'dgram');
  assert.equal(await p.stop(), 143);
});
