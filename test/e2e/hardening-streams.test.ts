// End-to-end: listeners and streams under hostile local clients (issue 10, findings 2, 3, 4 and 7),
// scaled to CI, against a knet that runs under `ulimit -n 256`: watch timeoutSeconds edges, paused
// watches while ConfigMaps are written, DNS-over-TCP clients that pipeline without reading, and
// idle connections to a NodePort until its cap. Loopback only; the NodePort is dialled on the
// cluster's own node address, so no fixed host port is needed.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Knet, knetMain, nodeBin, runCommand, until } from './harness.js';
import { loadCreds, rawRequest, type Creds } from './rawhttp.js';
import { runFile, type RunInfo } from '../../src/runtime/state.js';

const NOFILE = 256;
const MiB = 1024 * 1024;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A DNS query for `name` (type A, recursion desired), with the 2-byte length prefix of DNS over TCP. */
function tcpQuery(name: string, id: number): Buffer {
  const labels = name.split('.').map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l)]));
  const msg = Buffer.concat([Buffer.from([id >> 8, id & 0xff, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0]), ...labels, Buffer.from([0, 0, 1, 0, 1])]);
  return Buffer.concat([Buffer.from([msg.length >> 8, msg.length & 0xff]), msg]);
}

describe('hardening: listeners and streams under ulimit -n 256', () => {
  const knet = new Knet(['--dns-port', '0'], { nofile: NOFILE });
  const k = (...args: string[]) => knet.kubectl(args);
  let creds: Creds;
  let pid = 0;
  let dnsPort = 0;
  const rss = (): number => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;
  const dig = (...args: string[]) => runCommand('dig', ['@127.0.0.1', '-p', String(dnsPort), '+tries=1', '+time=3', '+short', ...args], { timeoutMs: 10_000 });

  before(async () => {
    await knet.start();
    creds = loadCreds(knet.kubeconfig);
    pid = (JSON.parse(readFileSync(runFile(join(knet.dir, 'data')), 'utf8')) as RunInfo).pid;
    dnsPort = Number(/dns: 127\.0\.0\.1:(\d+)/.exec(knet.output)?.[1]);
  });
  after(() => knet.cleanup());

  it('knet up and knet status report the open-files limit it runs under', async () => {
    assert.match(knet.output, new RegExp(`open files: limit ${NOFILE}\\n`));
    assert.match(knet.output, /descriptors: limit 256, \d+ in use; host listeners hold at most \d+ connections \(\d+ each\), the API server \d+/);
    const st = await runCommand(nodeBin, [knetMain, 'status', '--data-dir', join(knet.dir, 'data')]);
    assert.match(st.stdout, new RegExp(`open files: \\d+ in use; limit ${NOFILE} soft, ${NOFILE} hard`));
  });

  it('watch timeoutSeconds as kube-apiserver reads it: negative ends at once, 2147484 does not, garbage is a 400', async () => {
    const base = '/api/v1/namespaces/default/configmaps';
    const negative = await rawRequest(knet.port, creds, 'GET', `${base}?watch=1&timeoutSeconds=-1`, { timeoutMs: 5000 });
    assert.equal(negative.status, 200);
    assert.equal(negative.text, '');
    await assert.rejects(rawRequest(knet.port, creds, 'GET', `${base}?watch=1&timeoutSeconds=2147484`, { timeoutMs: 1500 }), /timeout/,
      'a timeout past 2^31-1 ms must not end the watch at once');
    const r = await k('get', '--raw', `${base}?timeoutSeconds=abc`);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /Error from server \(BadRequest\): strconv\.ParseInt: parsing "abc": invalid syntax/);
    const big = await rawRequest(knet.port, creds, 'GET', `${base}?watch=1&timeoutSeconds=99999999999999999999`);
    assert.equal(big.status, 400);
    assert.equal((big.json as { message?: string }).message, 'strconv.ParseInt: parsing "99999999999999999999": value out of range');
  });

  // The 50 watches × 3,000 ConfigMaps of 1 KiB, scaled: fewer watches, larger objects, so that
  // each paused watch is sent more than the kernel's socket buffers on loopback hold (a few MiB).
  it('12 paused watches while 2,000 ConfigMaps (8 KiB) are written: the paused ones are closed, RSS stays bounded, a reading one gets everything', async (t) => {
    const list = await rawRequest(knet.port, creds, 'GET', '/api/v1/namespaces/default/configmaps');
    const rv = (list.json as { metadata: { resourceVersion: string } }).metadata.resourceVersion;
    const path = `/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=${rv}`;
    const open = (): Promise<{ text: () => string; sock: tls.TLSSocket; ended: Promise<void> }> => new Promise((resolve, reject) => {
      let text = '';
      const sock = tls.connect({ host: '127.0.0.1', port: knet.port, ca: creds.ca, cert: creds.cert, key: creds.key });
      sock.on('error', reject);
      let done: () => void = () => undefined;
      const ended = new Promise<void>((r) => { done = r; sock.once('close', () => r()); });
      sock.on('data', (d: Buffer) => {
        const first = !text;
        text += d.toString();
        if (first) resolve({ text: () => text, sock, ended });
        if (text.endsWith('\r\n0\r\n\r\n')) done();
      });
      sock.once('secureConnect', () => sock.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`));
    });
    const paused = await Promise.all(Array.from({ length: 12 }, open));
    for (const w of paused) w.sock.pause();
    const reading = await open();
    const before = rss();
    const agent = new https.Agent({ keepAlive: true, maxSockets: 8, ca: creds.ca, cert: creds.cert, key: creds.key });
    const body = (i: number) => JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${i}` }, data: { v: 'x'.repeat(8192) } });
    let next = 0;
    const t0 = Date.now();
    await Promise.all(Array.from({ length: 8 }, async () => {
      while (next < 2000) {
        const i = next++;
        const r = await rawRequest(knet.port, creds, 'POST', '/api/v1/namespaces/default/configmaps', { body: body(i), headers: { 'Content-Type': 'application/json' }, agent });
        assert.equal(r.status, 201, r.text);
      }
    }));
    agent.destroy();
    t.diagnostic(`writes took ${Date.now() - t0} ms`);
    await sleep(500);
    const grown = rss() - before;
    t.diagnostic(`RSS grew by ${(grown / MiB).toFixed(0)} MiB`);
    assert.ok(grown < 80 * MiB, `RSS grew by ${(grown / MiB).toFixed(0)} MiB`);
    const events = (t: string): number => (t.match(/"type":"ADDED"/g) ?? []).length;
    await until('the reading watch to see every ConfigMap', async () => (events(reading.text()) === 2000 ? true : undefined), 20_000);
    t.diagnostic(`the reading watch had everything after ${Date.now() - t0} ms`);
    for (const w of paused) w.sock.resume();
    await Promise.race([Promise.all(paused.map((w) => w.ended)), sleep(20_000).then(() => assert.fail('paused watches were not closed'))]);
    t.diagnostic(`paused watches ended after ${Date.now() - t0} ms`);
    for (const w of paused) {
      assert.ok(events(w.text()) < 2000, `a paused watch got ${events(w.text())} events`);
      assert.match(w.text(), /\r\n0\r\n\r\n$/, 'a clean end: client-go and kubectl watch again from the last resourceVersion');
    }
    reading.sock.destroy();
    assert.equal((await k('get', 'configmap', 'cm-1999', '-o', 'name')).stdout.trim(), 'configmap/cm-1999');
  });

  it('four TCP DNS clients pipelining queries without reading: they stop being read, RSS stays bounded, others are answered', async (t) => {
    const before = rss();
    const hogs: net.Socket[] = [];
    let sent = 0;
    await Promise.all(Array.from({ length: 4 }, async (_, h) => {
      const s = net.connect({ host: '127.0.0.1', port: dnsPort });
      s.on('error', () => undefined);
      hogs.push(s);
      await new Promise((r) => s.once('connect', r));
      s.pause();
      const deadline = Date.now() + 3000;
      const q = Buffer.concat(Array.from({ length: 64 }, (_, i) => tcpQuery('kubernetes.default.svc.cluster.local', h * 1000 + i)));
      while (Date.now() < deadline && !s.destroyed) {
        sent += 64;
        if (!s.write(q)) await Promise.race([new Promise((r) => s.once('drain', r)), sleep(100)]);
      }
    }));
    assert.match((await dig('+tcp', 'kubernetes.default.svc.cluster.local')).stdout, /^10\.96\.0\.1$/m);
    assert.match((await dig('kubernetes.default.svc.cluster.local')).stdout, /^10\.96\.0\.1$/m);
    assert.equal((await k('get', 'ns', 'default', '-o', 'name')).stdout.trim(), 'namespace/default');
    const grown = rss() - before;
    for (const s of hogs) s.destroy();
    t.diagnostic(`RSS grew by ${(grown / MiB).toFixed(0)} MiB; ${sent} queries sent`);
    assert.ok(sent > 0);
    assert.ok(grown < 64 * MiB, `RSS grew by ${(grown / MiB).toFixed(0)} MiB`);
  });

  it('idle connections to a NodePort stop at its cap (a log line, a Warning event on the Service); kubectl and DNS keep working', async () => {
    assert.equal((await k('run', 'web', '--image=nginx', '--port=80')).code, 0);
    assert.equal((await k('expose', 'pod', 'web', '--type=NodePort', '--port=80')).code, 0);
    const nodePort = Number((await k('get', 'svc', 'web', '-o', 'jsonpath={.spec.ports[0].nodePort}')).stdout);
    const ip = knet.hostNetwork.nodeIPs[0]!;
    await until('the NodePort to answer', async () => ((await runCommand('curl', ['-s', '-m', '2', '-o', '/dev/null', '-w', '%{http_code}', `http://${ip}:${nodePort}/`])).stdout === '200' ? true : undefined), 30_000);
    const each = Number(/host listeners hold at most \d+ connections \((\d+) each\)/.exec(knet.output)?.[1]);
    const conns: net.Socket[] = [];
    try {
      // More than the process has descriptors: without a cap the API server could not accept any more.
      for (let i = 0; i < NOFILE + 50; i++) {
        const s = net.connect({ host: ip, port: nodePort });
        s.on('error', () => undefined);
        conns.push(s);
        if (i % 25 === 24) await sleep(20);
      }
      await sleep(500);
      const open = conns.filter((s) => !s.destroyed && !s.readableEnded).length;
      assert.equal(open, each, `${open} idle connections held, the listener's cap is ${each}`);
      assert.equal((await k('get', 'pod', 'web', '-o', 'jsonpath={.status.phase}')).stdout, 'Running');
      assert.match((await dig('+tcp', 'web.default.svc.cluster.local')).stdout, /^10\.\d+\.\d+\.\d+$/m);
      assert.match(knet.output, new RegExp(`service proxy: ${ip.replace(/\./g, '\\.')}:${nodePort}/tcp \\(nodePort ${nodePort} for Service default/web[^)]*\\): refusing new connections: ${each} connections are open there`));
      const ev = await until('the Warning event', async () => {
        const out = (await k('get', 'events', '--field-selector', 'reason=ConnectionLimitReached', '-o', 'jsonpath={range .items[*]}{.type} {.involvedObject.kind}/{.involvedObject.name}{"\\n"}{end}')).stdout.trim();
        return out || undefined;
      });
      assert.equal(ev.split('\n')[0], 'Warning Service/web');
    } finally {
      for (const s of conns) s.destroy();
    }
    await until('the NodePort to take connections again', async () => ((await runCommand('curl', ['-s', '-m', '2', '-o', '/dev/null', '-w', '%{http_code}', `http://${ip}:${nodePort}/`])).stdout === '200' ? true : undefined), 10_000);
  });
});
