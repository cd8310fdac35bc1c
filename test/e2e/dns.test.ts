// End-to-end: cluster DNS (issue 4, acceptance 4) with the host's real `dig` against
// `knet up --dns-port 0`, and resolution from inside pods (search path, nslookup, hostnames).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Knet, repoRoot, runCommand } from './harness.js';

const fixture = join(repoRoot, 'test', 'e2e', 'fixtures', 'services', 'dns.yaml');
const Z = 'cluster.local';

/** One parsed resource record of dig's output. */
interface RR { name: string; ttl: number; type: string; data: string }
/** What dig printed, parsed. */
interface Answer { status: string; flags: string[]; answer: RR[]; authority: RR[]; raw: string }

function parse(raw: string): Answer {
  const status = /status: ([A-Z]+)/.exec(raw)?.[1] ?? '';
  const flags = (/;; flags: ([a-z ]+);/.exec(raw)?.[1] ?? '').trim().split(' ');
  const answer: RR[] = [];
  const authority: RR[] = [];
  let section = '';
  for (const line of raw.split('\n')) {
    const sec = /^;; ([A-Z]+) SECTION:/.exec(line);
    if (sec) { section = sec[1]!; continue; }
    if (!line.trim() || line.startsWith(';')) continue;
    const [name = '', ttl = '', , type = '', ...data] = line.split(/\s+/);
    const rr = { name, ttl: Number(ttl), type, data: data.join(' ') };
    if (section === 'ANSWER') answer.push(rr); else if (section === 'AUTHORITY') authority.push(rr);
  }
  return { status, flags, answer, authority, raw };
}

async function until<T>(what: string, f: () => Promise<T | undefined>, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const v = await f();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('cluster DNS', () => {
  const knet = new Knet(['--nodes', '2', '--dns-port', '0']);
  const k = (...args: string[]) => knet.kubectl(args);
  let port = 0;
  const dig = async (...args: string[]): Promise<Answer> => {
    const r = await runCommand('dig', ['@127.0.0.1', '-p', String(port), '+tries=1', '+time=2', '+noall', '+comments', '+answer', '+authority', ...args], { timeoutMs: 10_000 });
    return parse(r.stdout + r.stderr);
  };
  const ips = (a: Answer, type = 'A') => a.answer.filter((r) => r.type === type).map((r) => r.data).sort();
  const jp = async (args: string[], path: string) => (await k(...args, '-o', `jsonpath=${path}`)).stdout;
  let svcIP = '';
  let ready: { name: string; ip: string }[] = [];
  let unreadyIP = '';
  let h1IP = '';

  before(async () => {
    await knet.start();
    const m = /dns: 127\.0\.0\.1:(\d+)/.exec(knet.output);
    assert.ok(m, knet.output);
    port = Number(m[1]);
    const r = await k('apply', '-f', fixture);
    assert.equal(r.code, 0, r.stderr);
    await Promise.all([
      k('rollout', 'status', 'deployment/dnsweb', '--timeout=30s'),
      k('run', 'tools', '--image=nicolaka/netshoot', '--', 'sleep', '3600'),
      k('create', 'namespace', 'other'),
    ]);
    await k('run', 'tools', '-n', 'other', '--image=nicolaka/netshoot', '--', 'sleep', '3600');
    await k('wait', '--for=condition=Ready', 'pod/tools', 'pod/h1', '--timeout=30s');
    await k('wait', '-n', 'other', '--for=condition=Ready', 'pod/tools', '--timeout=30s');
    svcIP = await jp(['get', 'svc', 'web'], '{.spec.clusterIP}');
    const out = await jp(['get', 'pods', '-l', 'app=dnsweb,pod-template-hash'], '{range .items[*]}{.metadata.name} {.status.podIP}{"\\n"}{end}');
    ready = out.trim().split('\n').map((l) => { const [name = '', ip = ''] = l.split(' '); return { name, ip }; });
    unreadyIP = await until('the unready pod IP', async () => (await jp(['get', 'pod', 'unready'], '{.status.podIP}')) || undefined);
    h1IP = await jp(['get', 'pod', 'h1'], '{.status.podIP}');
    // The Services' endpoints have reached DNS once the headless name lists the three ready pods.
    await until('headless endpoints in DNS', async () => ips(await dig(`web-headless.default.svc.${Z}`)).length === 3 ? true : undefined);
  });
  after(async () => { await knet.cleanup(); });

  it('dns-version TXT, A for a ClusterIP Service with TTL 30, over UDP and TCP, case-insensitively', async () => {
    const v = await dig(`dns-version.${Z}`, 'TXT');
    assert.deepEqual(v.answer.map((r) => r.data), ['"1.1.0"']);
    for (const transport of ['+notcp', '+tcp']) {
      const a = await dig(transport, `web.default.svc.${Z}`);
      assert.equal(a.status, 'NOERROR');
      assert.ok(a.flags.includes('aa'), a.raw);
      assert.deepEqual(a.answer, [{ name: `web.default.svc.${Z}.`, ttl: 30, type: 'A', data: svcIP }]);
    }
    const mixed = await dig('WEB.Default.SVC.Cluster.Local');
    assert.deepEqual(mixed.answer.map((r) => `${r.name} ${r.data}`), [`WEB.Default.SVC.Cluster.Local. ${svcIP}`]);
  });

  it('SRV for named ports only, with the protocol in the name', async () => {
    const http = await dig(`_http._tcp.web.default.svc.${Z}`, 'SRV');
    assert.deepEqual(http.answer.map((r) => r.data), [`0 100 80 web.default.svc.${Z}.`]);
    const echo = await dig(`_echo._udp.web.default.svc.${Z}`, 'SRV');
    assert.deepEqual(echo.answer.map((r) => r.data), [`0 100 81 web.default.svc.${Z}.`]);
    const wrongProto = await dig(`_echo._tcp.web.default.svc.${Z}`, 'SRV');
    assert.equal(wrongProto.answer.length, 0);
    assert.equal(wrongProto.status, 'NXDOMAIN');
    const kubeDns = await dig(`_dns._udp.kube-dns.kube-system.svc.${Z}`, 'SRV');
    assert.deepEqual(kubeDns.answer.map((r) => r.data), [`0 100 53 kube-dns.kube-system.svc.${Z}.`]);
  });

  it('PTR for a ClusterIP and for a headless endpoint', async () => {
    const svc = await dig('-x', svcIP);
    assert.deepEqual(svc.answer.map((r) => r.data), [`web.default.svc.${Z}.`]);
    const pod = ready[0]!;
    const ptr = await dig('-x', pod.ip);
    assert.ok(ptr.answer.map((r) => r.data).includes(`${pod.ip.replace(/\./g, '-')}.web-headless.default.svc.${Z}.`), ptr.raw);
    const h1 = await dig('-x', h1IP);
    assert.ok(h1.answer.map((r) => r.data).includes(`h1.sub.default.svc.${Z}.`), h1.raw);
  });

  it('headless: one A per ready endpoint (not the unready pod), SRV per endpoint, hostname records', async () => {
    const a = await dig(`web-headless.default.svc.${Z}`);
    assert.deepEqual(ips(a), ready.map((p) => p.ip).sort());
    assert.ok(!ips(a).includes(unreadyIP));
    const srv = await dig(`_http._tcp.web-headless.default.svc.${Z}`, 'SRV');
    assert.deepEqual(srv.answer.map((r) => r.data.split(' ').slice(2).join(' ')).sort(),
      ready.map((p) => `8080 ${p.ip.replace(/\./g, '-')}.web-headless.default.svc.${Z}.`).sort());
    const host = await dig(`${ready[0]!.ip.replace(/\./g, '-')}.web-headless.default.svc.${Z}`);
    assert.deepEqual(ips(host), [ready[0]!.ip]);
    const h1 = await dig(`h1.sub.default.svc.${Z}`);
    assert.deepEqual(ips(h1), [h1IP]);
    const missing = await dig(`h2.sub.default.svc.${Z}`);
    assert.equal(missing.status, 'NXDOMAIN');
  });

  it('pod records a-b-c-d.<ns>.pod, ExternalName CNAME, in-cluster CNAME chased to its A', async () => {
    const p = await dig(`${h1IP.replace(/\./g, '-')}.default.pod.${Z}`);
    assert.deepEqual(ips(p), [h1IP]);
    const ext = await dig(`external-service.default.svc.${Z}`, 'CNAME');
    assert.deepEqual(ext.answer.map((r) => `${r.type} ${r.data}`), ['CNAME api.example.com.']);
    const alias = await dig(`alias.default.svc.${Z}`);
    assert.deepEqual(alias.answer.map((r) => `${r.name} ${r.type} ${r.data}`), [
      `alias.default.svc.${Z}. CNAME web.default.svc.${Z}.`, `web.default.svc.${Z}. A ${svcIP}`]);
  });

  it('negative answers: NXDOMAIN for names that do not exist, NOERROR without data for other types, both with the SOA', async () => {
    const soa = (a: Answer) => a.authority.find((r) => r.type === 'SOA')?.data ?? '';
    const nx = await dig(`nope.default.svc.${Z}`);
    assert.equal(nx.status, 'NXDOMAIN');
    assert.match(soa(nx), new RegExp(`^ns\\.dns\\.${Z}\\. hostmaster\\.${Z}\\. \\d+ 7200 1800 86400 30$`));
    for (const [name, type] of [[`web.default.svc.${Z}`, 'AAAA'], [`web.default.svc.${Z}`, 'TXT'], [`default.svc.${Z}`, 'A'], [`svc.${Z}`, 'A']] as const) {
      const a = await dig(name, type);
      assert.equal(a.status, 'NOERROR', `${name} ${type}: ${a.raw}`);
      assert.equal(a.answer.length, 0, `${name} ${type}`);
      assert.ok(soa(a), `${name} ${type} carries the SOA`);
    }
    assert.equal((await dig(`web.nonamespace.svc.${Z}`)).status, 'NXDOMAIN');
    assert.equal((await dig(`nonamespace.svc.${Z}`)).status, 'NXDOMAIN');
  });

  it('a large headless answer is truncated over UDP and complete over TCP', async () => {
    const addresses = Array.from({ length: 120 }, (_, i) => ({ ip: `10.250.${Math.floor(i / 200)}.${(i % 200) + 1}` }));
    const manifest = {
      apiVersion: 'v1', kind: 'List', items: [
        { apiVersion: 'v1', kind: 'Service', metadata: { name: 'many' }, spec: { clusterIP: 'None', ports: [{ port: 80 }] } },
        { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'many' }, subsets: [{ addresses, ports: [{ port: 80 }] }] },
      ],
    };
    const r = await knet.kubectl(['apply', '-f', '-'], { input: JSON.stringify(manifest) });
    assert.equal(r.code, 0, r.stderr);
    await until('120 endpoints over TCP', async () => ((await dig('+tcp', `many.default.svc.${Z}`)).answer.length === 120 ? true : undefined));
    const udp = await dig('+ignore', '+noedns', `many.default.svc.${Z}`);
    assert.ok(udp.flags.includes('tc'), `TC set over UDP: ${udp.flags.join(' ')}`);
    assert.ok(udp.raw.length > 0 && udp.answer.length < 120);
    const edns = await dig('+ignore', '+bufsize=1232', `many.default.svc.${Z}`);
    assert.ok(edns.flags.includes('tc'), 'TC with an EDNS0 buffer of 1232 too');
    const retried = await dig(`many.default.svc.${Z}`);
    assert.match(retried.raw, /;; Truncated, retrying in TCP mode\./);
    assert.deepEqual(ips(retried), addresses.map((a) => a.ip).sort());
  });

  it('from a pod: kubernetes.default, short names by the search path, hostname/subdomain, other namespaces', async () => {
    const ns = await k('exec', 'tools', '--', 'nslookup', 'kubernetes.default');
    assert.equal(ns.code, 0, ns.stderr);
    assert.match(ns.stdout, /Server:\s+10\.96\.0\.10\n/);
    assert.match(ns.stdout, /Name:\s+kubernetes\.default\.svc\.cluster\.local\nAddress:\s+10\.96\.0\.1\n/);
    const names = new Set(ready.map((p) => p.name));
    const curl = await k('exec', 'tools', '--', 'curl', '-s', 'web/hostname');
    assert.ok(names.has(curl.stdout), `curl web/hostname: ${curl.stdout} ${curl.stderr}`);
    const h1 = await k('exec', 'tools', '--', 'nslookup', 'h1.sub');
    assert.match(h1.stdout, new RegExp(`Name:\\s+h1\\.sub\\.default\\.svc\\.cluster\\.local\\nAddress:\\s+${h1IP.replace(/\./g, '\\.')}\\n`), h1.stdout + h1.stderr);
    const resolv = await k('exec', 'tools', '--', 'cat', '/etc/resolv.conf');
    assert.match(resolv.stdout, /^search default\.svc\.cluster\.local svc\.cluster\.local cluster\.local$/m);
    assert.match(resolv.stdout, /^nameserver 10\.96\.0\.10$/m);
    assert.match(resolv.stdout, /^options ndots:5$/m);
    // (busybox's nslookup ignores the search path, as the real one does; netshoot's follows it.)
    const other = await k('exec', '-n', 'other', 'tools', '--', 'nslookup', 'web.default');
    assert.match(other.stdout, new RegExp(`Name:\\s+web\\.default\\.svc\\.cluster\\.local\\nAddress:\\s+${svcIP.replace(/\./g, '\\.')}`), other.stdout + other.stderr);
    const hosts = await k('exec', 'h1', '--', 'cat', '/etc/hosts');
    if (hosts.code === 0) assert.match(hosts.stdout, new RegExp(`^${h1IP.replace(/\./g, '\\.')}\\s+h1\\.sub\\.default\\.svc\\.cluster\\.local\\s+h1$`, 'm'));
  });

  it('changes reach DNS at once: a Service deleted is NXDOMAIN, a pod turning unready leaves the headless answer', async () => {
    assert.equal((await k('delete', 'svc', 'alias')).code, 0);
    await until('alias gone', async () => ((await dig(`alias.default.svc.${Z}`)).status === 'NXDOMAIN' ? true : undefined), 2000);
    assert.equal((await k('scale', 'deployment/dnsweb', '--replicas=2')).code, 0);
    await until('two headless records', async () => (ips(await dig(`web-headless.default.svc.${Z}`)).length === 2 ? true : undefined), 5000);
  });
});
