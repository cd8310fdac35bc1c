import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import dnsPacket from 'dns-packet';
import { createNetwork } from '../../net/network.js';
import type { NetStack, Network } from '../../net/types.js';
import { MemoryFileSystem } from '../fs.js';
import type { ImageDef } from '../types.js';
import { runProgram } from '../shell/testkit.js';
import { toolboxImages } from './index.js';
import { candidates, readResolvConf, resolveHost } from './resolver.js';

const RESOLV = 'search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n';
const HOSTS = '127.0.0.1\tlocalhost\n10.244.0.5\ttest\n';
const BODY = '<h1>Welcome to nginx!</h1>\n';
const RECORDS: Record<string, string> = { 'nginx-service.default.svc.cluster.local': '10.96.1.2', 'web.default.svc.cluster.local': '10.244.0.9', 'a.b.c.d.e.f': '10.244.0.9' };

let net: Network;
let client: NetStack;
const queries: string[] = [];

before(() => {
  net = createNetwork();
  client = net.addStack(['10.244.0.5'], { kind: 'pod', name: 'test', namespace: 'default' });
  const server = net.addStack(['10.244.0.9'], { kind: 'pod', name: 'web', namespace: 'default' });
  net.addStack(['10.96.1.2'], { kind: 'pod', name: 'svc-standin' }).listen(80, (c) => c.end(`HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nsvc`));
  server.listen(80, (c) => {
    let buf = '';
    c.on('data', (d: Buffer) => {
      buf += d.toString();
      if (!buf.includes('\r\n\r\n')) return;
      const path = buf.split(' ')[1];
      if (path === '/missing') c.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n');
      else if (path === '/moved') c.end('HTTP/1.1 301 Moved Permanently\r\nLocation: /\r\nContent-Length: 0\r\n\r\n');
      else c.end(`HTTP/1.1 200 OK\r\nServer: nginx/1.27.4\r\nContent-Type: text/html\r\nContent-Length: ${BODY.length}\r\n\r\n${BODY}`);
    });
  });
  const dns = net.addStack(['10.96.0.10'], { kind: 'pod', name: 'coredns' });
  dns.listenUdp(53, (data, _from, reply) => {
    const q = dnsPacket.decode(data);
    const question = q.questions?.[0];
    if (!question) return;
    queries.push(`${question.type} ${question.name}`);
    const ip = RECORDS[question.name];
    const answers = ip && question.type === 'A' ? [{ type: 'A' as const, name: question.name, ttl: 30, data: ip }] : [];
    reply(dnsPacket.encode({ type: 'response', id: q.id, flags: dnsPacket.AUTHORITATIVE_ANSWER | (ip ? 0 : 3), questions: [question], answers }));
  });
});
after(() => undefined);

const image = (name: string): ImageDef => toolboxImages.find((i) => i.repositories.includes(name))!;
const podFs = (img: ImageDef): MemoryFileSystem => new MemoryFileSystem({ ...img.files, '/etc/resolv.conf': RESOLV, '/etc/hosts': HOSTS });
const run = (img: string, argv: string[], fs?: MemoryFileSystem) => runProgram(image(img).programs, argv, { fs: fs ?? podFs(image(img)), net: client });

test('curl outputs and exit codes', async () => {
  const cases: [string[], number, RegExp | string, (RegExp | string)?][] = [
    [['curl', '-s', 'http://10.244.0.9/'], 0, BODY, ''],
    [['curl', '-s', 'web'], 0, BODY],
    [['curl', '-s', 'nginx-service'], 0, 'svc'],
    [['curl', '-sS', 'nope'], 6, '', 'curl: (6) Could not resolve host: nope\n'],
    [['curl', '-sS', '10.244.0.9:81'], 7, '', /^curl: \(7\) Failed to connect to 10\.244\.0\.9 port 81 after \d+ ms: Couldn't connect to server\n$/],
    // curl 8: its own connect timer ends the dial with "Timeout was reached" (curl/curl#18484 shows the text).
    [['curl', '-sS', '--connect-timeout', '0.2', '10.244.7.7'], 28, '', /^curl: \(28\) Failed to connect to 10\.244\.7\.7 port 80 after 2\d\d ms: Timeout was reached\n$/],
    [['curl', '-s', '-o', '/dev/null', '-w', '%{http_code}\\n', '10.244.0.9/missing'], 0, '404\n'],
    [['curl', '-sf', '10.244.0.9/missing'], 22, '', ''],
    [['curl', '-sSL', '10.244.0.9/moved'], 0, BODY],
    [['curl', '-sI', '10.244.0.9'], 0, /^HTTP\/1\.1 200 OK\r\nServer: nginx\/1\.27\.4\r\n/],
    [['curl', '10.244.0.9'], 0, BODY, /^ {2}% Total {4}% Received % Xferd {2}Average Speed {3}Time {4}Time {5}Time {2}Current\n/],
  ];
  for (const [argv, code, out, err] of cases) {
    const r = await run('curlimages/curl', argv);
    assert.equal(r.code, code, argv.join(' ') + r.stderr);
    if (typeof out === 'string') assert.equal(r.stdout, out, argv.join(' ')); else assert.match(r.stdout, out);
    if (typeof err === 'string') assert.equal(r.stderr, err, argv.join(' ')); else if (err) assert.match(r.stderr, err, argv.join(' '));
  }
});

test('curl -v lines', async () => {
  const r = await run('curlimages/curl', ['curl', '-sv', 'web']);
  assert.match(r.stderr, /^\* Host web:80 was resolved\.\n\* IPv6: \(none\)\n\* IPv4: 10\.244\.0\.9\n\* {3}Trying 10\.244\.0\.9:80\.\.\.\n\* Connected to web \(10\.244\.0\.9\) port 80\n/);
  assert.match(r.stderr, /> GET \/ HTTP\/1\.1\n> Host: web\n> User-Agent: curl\/8\.\d+\.\d+\n> Accept: \*\/\*\n> \n/);
  assert.match(r.stderr, /< HTTP\/1\.1 200 OK\n/);
});

test('busybox wget', async () => {
  let r = await run('busybox', ['wget', '-qO-', 'http://web']);
  assert.deepEqual([r.code, r.stdout, r.stderr], [0, BODY, '']);
  r = await run('busybox', ['wget', '10.244.0.9']);
  assert.equal(r.code, 0);
  assert.match(r.stderr, /^Connecting to 10\.244\.0\.9 \(10\.244\.0\.9:80\)\nsaving to 'index\.html'\nindex\.html {11}100% \|\*{32}\| {4}27 {2}0:00:00 ETA\n'index\.html' saved\n$/);
  r = await run('busybox', ['wget', '-O-', '10.244.0.9:81']);
  assert.deepEqual([r.code, r.stderr], [1, "Connecting to 10.244.0.9:81 (10.244.0.9:81)\nwget: can't connect to remote host (10.244.0.9): Connection refused\n"]);
  r = await run('busybox', ['wget', '-q', 'foo']);
  assert.deepEqual([r.code, r.stderr], [1, "wget: bad address 'foo'\n"]);
});

test('nc -z in both flavours', async () => {
  let r = await run('busybox', ['nc', '-zv', '10.244.0.9', '80']);
  assert.deepEqual([r.code, r.stderr], [0, '10.244.0.9 (10.244.0.9:80) open\n']);
  r = await run('busybox', ['nc', '-zv', '-w', '1', '10.244.0.9', '81']);
  assert.deepEqual([r.code, r.stderr], [1, 'nc: 10.244.0.9 (10.244.0.9:81): Connection refused\n']);
  r = await run('nicolaka/netshoot', ['nc', '-zv', '10.244.0.9', '80']);
  assert.deepEqual([r.code, r.stderr], [0, 'Connection to 10.244.0.9 80 port [tcp/http] succeeded!\n']);
  r = await run('busybox', ['sh', '-c', 'printf "GET / HTTP/1.0\\r\\n\\r\\n" | nc 10.244.0.9 80 | tail -n 1']);
  assert.equal(r.stdout, BODY);
});

test('nslookup (busybox) format', async () => {
  let r = await run('busybox', ['nslookup', 'nginx-service']);
  assert.equal(r.code, 0);
  assert.ok(r.stdout.startsWith('Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n'), r.stdout);
  assert.ok(r.stdout.includes('Name:\tnginx-service.default.svc.cluster.local\nAddress: 10.96.1.2\n\n'), r.stdout);
  assert.ok(r.stdout.includes("** server can't find nginx-service.svc.cluster.local: NXDOMAIN\n\n"));
  r = await run('busybox', ['nslookup', 'nginx-service.default']);
  assert.equal(r.code, 1);
  assert.ok(r.stdout.includes("** server can't find nginx-service.default: NXDOMAIN\n"));
  r = await run('nicolaka/netshoot', ['nslookup', 'nginx-service']);
  assert.equal(r.stdout, 'Server:\t\t10.96.0.10\nAddress:\t10.96.0.10#53\n\nName:\tnginx-service.default.svc.cluster.local\nAddress: 10.96.1.2\n\n');
  r = await run('nicolaka/netshoot', ['dig', '+short', 'web.default.svc.cluster.local']);
  assert.equal(r.stdout, '10.244.0.9\n');
  // dig takes a record type wherever it stands, and +noall +answer prints only the answer lines.
  r = await run('nicolaka/netshoot', ['dig', 'A', 'web.default.svc.cluster.local', '+noall', '+answer']);
  // Columns as BIND lays them out (bin/dig/dig.c: TTL at 24, class 32, type 40, data 48; lib/dns/masterdump.c
  // indent(): a name past a column gets one space, a crossed tab stop a tab).
  assert.equal(r.stdout, 'web.default.svc.cluster.local. 30 IN\tA\t10.244.0.9\n');
});

test('resolver honours search list and ndots', async () => {
  const conf = readResolvConf(new MemoryFileSystem({ '/etc/resolv.conf': RESOLV }));
  assert.deepEqual(conf.ndots, 5);
  assert.deepEqual(candidates('web', conf), ['web.default.svc.cluster.local', 'web.svc.cluster.local', 'web.cluster.local', 'web']);
  assert.deepEqual(candidates('a.b.c.d.e.f', conf)[0], 'a.b.c.d.e.f');
  assert.deepEqual(candidates('x.', conf), ['x']);
  const fs = podFs(image('busybox'));
  queries.length = 0;
  const r = await resolveHost({ fs, net: client }, 'a.b.c.d.e.f');
  assert.deepEqual(r, { ok: true, addrs: ['10.244.0.9'], name: 'a.b.c.d.e.f' });
  assert.deepEqual(queries, ['A a.b.c.d.e.f']);
  queries.length = 0;
  assert.deepEqual(await resolveHost({ fs, net: client }, 'missing'), { ok: false, reason: 'NXDOMAIN' });
  assert.deepEqual(queries, ['A missing.default.svc.cluster.local', 'A missing.svc.cluster.local', 'A missing.cluster.local', 'A missing']);
  assert.deepEqual(await resolveHost({ fs, net: client }, 'test'), { ok: true, addrs: ['10.244.0.5'], name: 'test' });
});

test('alpine: curl appears only after apk add', async () => {
  const fs = podFs(image('alpine'));
  let r = await run('alpine', ['sh', '-c', 'curl -s web'], fs);
  assert.deepEqual([r.code, r.stderr], [127, 'sh: curl: not found\n']);
  r = await run('alpine', ['apk', 'add', '--no-cache', 'curl'], fs);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /^fetch https:\/\/dl-cdn\.alpinelinux\.org\/alpine\/v3\.21\/main\/x86_64\/APKINDEX\.tar\.gz\n/);
  assert.match(r.stdout, /\(9\/9\) Installing curl \(8\.12\.1-r1\)\n/);
  assert.match(r.stdout, /OK: \d+ MiB in \d+ packages\n$/);
  r = await run('alpine', ['sh', '-c', 'curl -s web'], fs);
  assert.deepEqual([r.code, r.stdout], [0, BODY]);
});

test('ubuntu: apt-get needs update, then installs curl', async () => {
  const fs = podFs(image('ubuntu'));
  let r = await run('ubuntu', ['bash', '-c', 'curl web'], fs);
  assert.deepEqual([r.code, r.stderr], [127, 'bash: line 1: curl: command not found\n']);
  r = await run('ubuntu', ['apt-get', 'install', '-y', 'curl'], fs);
  assert.deepEqual([r.code, r.stderr], [100, 'E: Unable to locate package curl\n']);
  r = await run('ubuntu', ['bash', '-c', 'apt-get update >/dev/null && apt-get install -y curl >/dev/null && curl -s web'], fs);
  assert.deepEqual([r.code, r.stdout], [0, BODY]);
});

test('ping and ip addr', async () => {
  let r = await run('busybox', ['ping', '-c', '2', '-i', '0.01', '10.244.0.9']);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /^PING 10\.244\.0\.9 \(10\.244\.0\.9\): 56 data bytes\n64 bytes from 10\.244\.0\.9: seq=0 ttl=64 time=0\.\d{3} ms\n/);
  assert.match(r.stdout, /2 packets transmitted, 2 packets received, 0% packet loss\n/);
  r = await run('busybox', ['ip', 'addr']);
  assert.match(r.stdout, /inet 10\.244\.0\.5\/24 brd 10\.244\.0\.255 scope global eth0/);
});

test('curlimages/curl entrypoint passes options to curl', async () => {
  const r = await run('curlimages/curl', ['/entrypoint.sh', '-s', 'web']);
  assert.equal(r.stdout, BODY);
});
