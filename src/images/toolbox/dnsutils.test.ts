// Unit tests (output goldens): jessie-dnsutils' dig, host and nslookup as BIND 9.9.5 prints them, and
// busybox 1.28's small nslookup (`Address 1: IP NAME`) beside the newer busybox one, against a fake
// cluster DNS over the virtual network. Column layout: bin/dig/dig.c (TTL 24, class 32, type 40,
// data 48) with lib/dns/masterdump.c indent(); busybox 1.28: networking/nslookup.c print_host().
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import dnsPacket from 'dns-packet';
import { createNetwork } from '../../net/network.js';
import type { NetStack } from '../../net/types.js';
import { MemoryFileSystem } from '../fs.js';
import { runProgram } from '../shell/testkit.js';
import { toolboxImages } from './index.js';
import { jessieDnsutilsImage } from './dnsutils.js';
import { oldBusybox } from './busybox-nslookup.js';
import { indent, whenStamp } from './bind.js';

const RESOLV = 'search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n';
const A: Record<string, string> = { 'kubernetes.default.svc.cluster.local': '10.96.0.1', 'kube-dns.kube-system.svc.cluster.local': '10.96.0.10' };
const PTR: Record<string, string> = { '1.0.96.10.in-addr.arpa': 'kubernetes.default.svc.cluster.local', '10.0.96.10.in-addr.arpa': 'kube-dns.kube-system.svc.cluster.local' };
const SOA = { type: 'SOA' as const, name: 'cluster.local', ttl: 30, data: { mname: 'ns.dns.cluster.local', rname: 'hostmaster.cluster.local', serial: 1765090000, refresh: 7200, retry: 1800, expire: 86400, minimum: 30 } };

let client: NetStack;

before(() => {
  const net = createNetwork();
  client = net.addStack(['10.244.0.5'], { kind: 'pod', name: 'test', namespace: 'default' });
  net.addStack(['10.96.0.10'], { kind: 'pod', name: 'coredns' }).listenUdp(53, (data, _from, reply) => {
    const q = dnsPacket.decode(data);
    const question = q.questions?.[0];
    if (!question) return;
    const name = question.name.toLowerCase();
    const answers: dnsPacket.Answer[] = [];
    if (question.type === 'A' && A[name]) answers.push({ type: 'A', name: question.name, ttl: 30, data: A[name] });
    if (question.type === 'PTR' && PTR[name]) answers.push({ type: 'PTR', name: question.name, ttl: 30, data: PTR[name] });
    const known = !!(A[name] ?? PTR[name]);
    reply(dnsPacket.encode({ type: 'response', id: q.id, flags: dnsPacket.AUTHORITATIVE_ANSWER | (known ? 0 : 3), questions: [question], answers, authorities: answers.length ? [] : [SOA] }));
  });
});

const run = (programs: Record<string, import('../types.js').Program>, argv: string[], image = 'busybox') =>
  runProgram(programs, argv, { fs: new MemoryFileSystem({ '/etc/resolv.conf': RESOLV, '/etc/hosts': '127.0.0.1\tlocalhost\n' }), net: client, pod: { image } });
const jessie = jessieDnsutilsImage.programs;
const busybox = toolboxImages.find((i) => i.repositories.includes('busybox'))!.programs;
/** dig's varying parts (query id, time, date) made fixed. */
const steady = (s: string) => s.replace(/id: \d+/, 'id: N').replace(/Query time: \d+ msec/, 'Query time: 0 msec').replace(/WHEN: .*/, 'WHEN: T');

test('BIND column moves: tabs across tab stops, one space past a column', () => {
  assert.equal(indent(11, 24), '\t\t');
  assert.equal(indent(37, 24), ' ');
  assert.equal(indent(39, 40), '\t');
  assert.equal(whenStamp(new Date('2026-03-05T07:08:09Z')), 'Thu Mar 05 07:08:09 UTC 2026');
});

test('jessie-dnsutils dig -x of the kubernetes Service IP', async () => {
  const r = await run(jessie, ['dig', '-x', '10.96.0.1']);
  assert.equal(r.code, 0);
  assert.equal(steady(r.stdout), [
    '', '; <<>> DiG 9.9.5-9+deb8u19-Debian <<>> -x 10.96.0.1', ';; global options: +cmd', ';; Got answer:',
    ';; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: N', ';; flags: qr aa rd; QUERY: 1, ANSWER: 1, AUTHORITY: 0, ADDITIONAL: 1',
    ';; WARNING: recursion requested but not available', '', ';; OPT PSEUDOSECTION:', '; EDNS: version: 0, flags:; udp: 4096',
    ';; QUESTION SECTION:', ';1.0.96.10.in-addr.arpa.\tIN\tPTR', '', ';; ANSWER SECTION:',
    '1.0.96.10.in-addr.arpa.\t30\tIN\tPTR\tkubernetes.default.svc.cluster.local.', '', ';; Query time: 0 msec',
    ';; SERVER: 10.96.0.10#53(10.96.0.10)', ';; WHEN: T', ';; MSG SIZE  rcvd: 123', '', ''].join('\n'));
  assert.equal((await run(jessie, ['dig', '+short', '-x', '10.96.0.10'])).stdout, 'kube-dns.kube-system.svc.cluster.local.\n');
});

test('dig +search walks the search list; without it the name is asked as given; NXDOMAIN shows the SOA', async () => {
  const r = await run(jessie, ['dig', '+search', 'kubernetes.default', '+noall', '+answer']);
  assert.equal(r.stdout, 'kubernetes.default.svc.cluster.local. 30 IN A\t10.96.0.1\n');
  const plain = await run(jessie, ['dig', 'kubernetes.default']);
  assert.match(plain.stdout, /status: NXDOMAIN/);
  assert.match(plain.stdout, /\n;kubernetes\.default\.\t\tIN\tA\n/);
  assert.match(plain.stdout, /;; AUTHORITY SECTION:\ncluster\.local\.\t\t30\tIN\tSOA\tns\.dns\.cluster\.local\. hostmaster\.cluster\.local\. 1765090000 7200 1800 86400 30\n/);
  const at = await run(jessie, ['dig', '@10.96.0.10', '-t', 'A', 'kubernetes.default.svc.cluster.local', '+short']);
  assert.equal(at.stdout, '10.96.0.1\n');
  const netshoot = await run(toolboxImages.find((i) => i.repositories.includes('nicolaka/netshoot'))!.programs, ['dig', 'kubernetes.default.svc.cluster.local']);
  assert.match(netshoot.stdout, /; <<>> DiG 9\.20\.4 <<>>[\s\S]*udp: 1232[\s\S]*;; SERVER: 10\.96\.0\.10#53\(10\.96\.0\.10\) \(UDP\)\n/);
});

test('jessie-dnsutils host and nslookup', async () => {
  assert.deepEqual(await run(jessie, ['host', 'kubernetes.default']), { code: 0, stdout: 'kubernetes.default.svc.cluster.local has address 10.96.0.1\n', stderr: '' });
  assert.deepEqual(await run(jessie, ['host', '10.96.0.1']), { code: 0, stdout: '1.0.96.10.in-addr.arpa domain name pointer kubernetes.default.svc.cluster.local.\n', stderr: '' });
  assert.deepEqual(await run(jessie, ['host', 'nope']), { code: 1, stdout: 'Host nope not found: 3(NXDOMAIN)\n', stderr: '' });
  const ns = await run(jessie, ['nslookup', 'kubernetes.default']);
  assert.equal(ns.stdout, 'Server:\t\t10.96.0.10\nAddress:\t10.96.0.10#53\n\nName:\tkubernetes.default.svc.cluster.local\nAddress: 10.96.0.1\n\n');
  const rev = await run(jessie, ['nslookup', '10.96.0.1']);
  assert.equal(rev.stdout, 'Server:\t\t10.96.0.10\nAddress:\t10.96.0.10#53\n\n1.0.96.10.in-addr.arpa\tname = kubernetes.default.svc.cluster.local.\n\n');
});

test('busybox:1.28 nslookup resolves through the search list and names every address', async () => {
  const r = await run(busybox, ['nslookup', 'kubernetes.default'], 'busybox:1.28');
  assert.deepEqual(r, {
    code: 0, stderr: '',
    stdout: 'Server:    10.96.0.10\nAddress 1: 10.96.0.10 kube-dns.kube-system.svc.cluster.local\n\nName:      kubernetes.default\nAddress 1: 10.96.0.1 kubernetes.default.svc.cluster.local\n\n',
  });
  const missing = await run(busybox, ['nslookup', 'nope'], 'busybox:1.28.4');
  assert.deepEqual(missing, { code: 1, stdout: 'Server:    10.96.0.10\nAddress 1: 10.96.0.10 kube-dns.kube-system.svc.cluster.local\n\n', stderr: "nslookup: can't resolve 'nope'\n" });
  const newer = await run(busybox, ['nslookup', 'kubernetes.default'], 'busybox:1.36');
  assert.equal(newer.code, 1);
  assert.ok(newer.stdout.startsWith('Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n'), newer.stdout);
  assert.match(newer.stdout, /\*\* server can't find kubernetes\.default: NXDOMAIN/);
});

test('which busybox tags have the small nslookup', () => {
  assert.deepEqual(['busybox:1.28', 'docker.io/library/busybox:1.28.4-glibc', 'busybox:1.27.2'].map(oldBusybox), [true, true, true]);
  assert.deepEqual(['busybox', 'busybox:latest', 'busybox:1.29', 'busybox:1.36.1', 'alpine:1.2'].map(oldBusybox), [false, false, false, false, false]);
});
