// What Linux clients show when a NetworkPolicy drops their packets (no RST, no ICMP): their own
// timeouts fire with the tools' own texts; without one they wait as long as the kernel's connect()
// (127 s here, so the tests stop them); with DNS dropped, the resolvers give up after their timeouts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import dnsPacket from 'dns-packet';
import { createNetwork } from '../../net/network.js';
import type { Filter } from '../../net/flow.js';
import { MemoryFileSystem } from '../fs.js';
import type { ImageDef } from '../types.js';
import { runProgram } from '../shell/testkit.js';
import { toolboxImages } from './index.js';

// Fast resolver timeouts so the DNS cases take 2 s: timeout 1 s, 2 attempts.
const RESOLV = 'search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5 timeout:1 attempts:2\n';
const net = createNetwork();
const client = net.addStack(['10.244.0.5'], { kind: 'pod', name: 'client', namespace: 'default' });
net.addStack(['10.244.0.9'], { kind: 'pod', name: 'web', namespace: 'default' }).listen(80, (c) => c.end('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok'));
net.addStack(['10.96.0.10'], { kind: 'pod', name: 'coredns', namespace: 'kube-system' }).listenUdp(53, (data, _from, reply) => {
  const q = dnsPacket.decode(data);
  reply(dnsPacket.encode({ type: 'response', id: q.id, flags: dnsPacket.AUTHORITATIVE_ANSWER, questions: q.questions, answers: [] }));
});
// Default-deny egress for the client, as a policy would: every flow it opens is dropped.
const deny: Filter = { name: 'deny', check: (r) => ({ allow: r.from.ip !== '10.244.0.5' }) };
net.addFilter(deny);

const image = (name: string): ImageDef => toolboxImages.find((i) => i.repositories.includes(name))!;
const run = (img: string, argv: string[], signal?: AbortSignal) =>
  runProgram(image(img).programs, argv, { fs: new MemoryFileSystem({ ...image(img).files, '/etc/resolv.conf': RESOLV }), net: client, signal });
const timed = async (img: string, argv: string[]) => {
  const t0 = Date.now();
  const r = await run(img, argv);
  return { ...r, ms: Date.now() - t0 };
};

test('curl: --connect-timeout and -m end a dropped dial with exit 28 "Timeout was reached"', async () => {
  const err = /^curl: \(28\) Failed to connect to 10\.244\.0\.9 port 80 after (\d+) ms: Timeout was reached\n$/;
  for (const argv of [['--connect-timeout', '0.3'], ['-m', '0.3'], ['--connect-timeout', '5', '-m', '0.3'], ['-m', '5', '--connect-timeout', '0.3']]) {
    const r = await timed('curlimages/curl', ['curl', '-sS', ...argv, 'http://10.244.0.9/']);
    assert.equal(r.code, 28, argv.join(' '));
    const m = err.exec(r.stderr);
    assert.ok(m, r.stderr);
    assert.ok(Number(m[1]) >= 290 && Number(m[1]) < 1500 && r.ms >= 290, `${argv.join(' ')}: ${r.ms} ms`);
  }
});

test('without a timeout of their own curl, wget and nc keep waiting (the kernel gives up after 127 s)', async () => {
  for (const [img, argv] of [['curlimages/curl', ['curl', '-s', '10.244.0.9']], ['busybox', ['wget', '-q', '-O-', 'http://10.244.0.9/']], ['busybox', ['nc', '10.244.0.9', '80']], ['nicolaka/netshoot', ['nc', '-z', '10.244.0.9', '80']]] as const) {
    const ac = new AbortController();
    let settled = false;
    const p = run(img, [...argv], ac.signal).then((r) => { settled = true; return r; });
    await new Promise((r) => setTimeout(r, 150));
    assert.equal(settled, false, `${argv.join(' ')} still waiting`);
    ac.abort('SIGINT');
    assert.equal((await p).code, 130, argv.join(' '));
  }
});

test('wget -T and nc -w bound the dial', async () => {
  let r = await timed('busybox', ['wget', '-T', '1', '-q', '-O-', 'http://10.244.0.9/']);
  assert.deepEqual([r.code, r.stderr], [1, 'wget: download timed out\n']);
  assert.ok(r.ms >= 950 && r.ms < 3000, `${r.ms} ms`);
  r = await timed('busybox', ['nc', '-w', '1', '10.244.0.9', '80']);
  assert.deepEqual([r.code, r.stderr], [1, 'nc: 10.244.0.9 (10.244.0.9:80): Connection timed out\n']);
  assert.ok(r.ms >= 950 && r.ms < 3000, `${r.ms} ms`);
});

test('DNS dropped: nslookup, dig and curl give up after the resolver timeouts', async () => {
  const [bb, bind, dig, digShort, curl, wget] = await Promise.all([
    timed('busybox', ['nslookup', '-timeout=1', 'web']),
    timed('nicolaka/netshoot', ['nslookup', 'web']),
    timed('nicolaka/netshoot', ['dig', '@10.96.0.10', 'web.default.svc.cluster.local']),
    timed('nicolaka/netshoot', ['dig', '+short', '+tries=1', 'web.default.svc.cluster.local']),
    timed('curlimages/curl', ['curl', '-sS', 'http://web/']),
    timed('busybox', ['wget', '-q', 'http://web/']),
  ]);
  // busybox networking/nslookup.c: no header without a reply.
  assert.deepEqual([bb.code, bb.stdout], [1, ';; connection timed out; no servers could be reached\n\n']);
  assert.ok(bb.ms >= 950, `${bb.ms}`);
  // BIND 9.18+ (bin/dig/dighost.c): a communications error per try (resolv.conf attempts), then the verdict.
  const tries = ';; communications error to 10.96.0.10#53: timed out\n'.repeat(2);
  assert.deepEqual([bind.code, bind.stdout], [1, `${tries};; no servers could be reached\n`]);
  assert.ok(bind.ms >= 1900, `${bind.ms}`);
  assert.equal(dig.code, 9);
  assert.equal(dig.stdout, `${tries}\n; <<>> DiG 9.20.4 <<>> @10.96.0.10 web.default.svc.cluster.local\n; (1 server found)\n;; global options: +cmd\n;; no servers could be reached\n`);
  assert.deepEqual([digShort.code, digShort.stdout], [9, ';; communications error to 10.96.0.10#53: timed out\n;; no servers could be reached\n']);
  assert.deepEqual([curl.code, curl.stderr], [6, 'curl: (6) Could not resolve host: web\n']);
  assert.ok(curl.ms >= 1900, `curl waited the resolver's timeouts: ${curl.ms}`);
  assert.deepEqual([wget.code, wget.stderr], [1, "wget: bad address 'web'\n"]);
});

test('DNS dropped, jessie-dnsutils (BIND 9.9): no per-try communications errors, only "connection timed out; no servers could be reached"', async () => {
  const img = 'e2e-test-images/jessie-dnsutils';
  const [ns, dig, digShort] = await Promise.all([
    timed(img, ['nslookup', 'web']),
    timed(img, ['dig', '@10.96.0.10', 'web.default.svc.cluster.local']),
    timed(img, ['dig', '+short', '+tries=1', 'web.default.svc.cluster.local']),
  ]);
  assert.deepEqual([ns.code, ns.stdout], [1, ';; connection timed out; no servers could be reached\n']);
  assert.ok(ns.ms >= 1900, `${ns.ms}`);
  assert.equal(dig.code, 9);
  assert.equal(dig.stdout, '\n; <<>> DiG 9.9.5-9+deb8u19-Debian <<>> @10.96.0.10 web.default.svc.cluster.local\n; (1 server found)\n;; global options: +cmd\n;; connection timed out; no servers could be reached\n');
  assert.deepEqual([digShort.code, digShort.stdout], [9, ';; connection timed out; no servers could be reached\n']);
});
