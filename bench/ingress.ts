/**
 * Ingress benchmark: wrk (keep-alive, 64 connections) against knet's Ingress and, in the same run,
 * against nginx from Debian configured with the same host/path routes to comparable backends on
 * loopback (nginx's own `return 200` servers, as knet's backends are its own http-echo pods):
 * requests/s and p50/p99 over HTTP and HTTPS, new TLS handshakes/s, then the time from an Ingress
 * change to the proxy serving it with 1,000 Ingresses existing. A third peer, the smallest Node.js
 * reverse proxy (bench/ingress-node-peer), shows what one Node event loop allows for the same work.
 * Run with `node dist/bench/ingress.js [seconds=5] [ingresses=1000]` (needs wrk; nginx optional).
 */
import http from 'node:http';
import { once } from 'node:events';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Cluster } from '../src/cluster.js';
import type { Client } from '../src/client/client.js';
import { fileURLToPath } from 'node:url';
import { benchBackends, benchIngress, freePort, waitForPort, waitForStatus } from './ingress-fixtures.js';

const seconds = Number(process.argv[2] ?? '5');
const TOTAL = Number(process.argv[3] ?? '1000');
const HOST = 'bench.test';
const CONNECTIONS = 64;

/** wrk's summary: requests/s and latency percentiles in ms. */
interface WrkResult { rps: number; p50: number; p99: number }

function toMs(v: string): number {
  const m = /^([\d.]+)(us|ms|s|m)$/.exec(v);
  if (!m) return NaN;
  const n = Number(m[1]);
  return m[2] === 'us' ? n / 1000 : m[2] === 'ms' ? n : m[2] === 's' ? n * 1000 : n * 60_000;
}

/** Runs wrk as a child without blocking this process's event loop (the cluster under test runs on it). */
async function wrk(url: string, extra: string[] = []): Promise<WrkResult> {
  const p = spawn('wrk', ['-t2', `-c${CONNECTIONS}`, `-d${seconds}s`, '--latency', '-H', `Host: ${HOST}`, ...extra, url]);
  let stdout = '';
  let stderr = '';
  p.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
  p.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
  const [code] = (await once(p, 'close')) as [number | null];
  const r = { stdout, stderr, status: code };
  if (r.status !== 0) throw new Error(`wrk failed: ${r.stderr}`);
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(r.stdout)?.[1]);
  const pct = (p: string) => toMs(new RegExp(`^\\s+${p}%\\s+(\\S+)`, 'm').exec(r.stdout)?.[1] ?? '');
  const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(r.stdout)?.[1];
  if (non2xx) throw new Error(`${url}: ${non2xx} non-2xx responses`);
  // wrk exits 0 when it cannot connect at all: a dead peer must not look like a slow one.
  const refused = /Socket errors: connect (\d+)/.exec(r.stdout)?.[1];
  if ((refused && refused !== '0') || !(rps > 0)) throw new Error(`${url}: no requests served (${r.stdout.trim().split('\n').slice(-3).join('; ')})`);
  return { rps, p50: pct('50'), p99: pct('99') };
}

function nginxConf(dir: string, ports: { http: number; https: number; app: number; api: number }): string {
  const loc = (path: string, up: string) => `    location ${path} {
      proxy_pass http://${up};
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_set_header X-Real-IP $remote_addr;
      proxy_set_header X-Forwarded-For $remote_addr;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_set_header X-Request-ID $request_id;
    }\n`;
  return `worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log;
events { worker_connections 4096; }
http {
  access_log ${dir}/access.log combined buffer=64k;
  upstream app { server 127.0.0.1:${ports.app}; keepalive 320; }
  upstream api { server 127.0.0.1:${ports.api}; keepalive 320; }
  server { listen 127.0.0.1:${ports.app}; access_log off; location / { return 200 "app\\n"; } }
  server { listen 127.0.0.1:${ports.api}; access_log off; location / { return 200 "api\\n"; } }
  server {
    listen 127.0.0.1:${ports.http};
    listen 127.0.0.1:${ports.https} ssl;
    server_name ${HOST};
    ssl_certificate ${dir}/tls.crt;
    ssl_certificate_key ${dir}/tls.key;
    ssl_protocols TLSv1.2 TLSv1.3;
${loc('/', 'app')}${loc('/api', 'api')}  }
}
`;
}

async function startNginx(dir: string, started: ChildProcess[]): Promise<{ http: number; https: number } | undefined> {
  if (spawnSync('bash', ['-c', 'command -v nginx']).status !== 0) return undefined;
  const ports = { http: await freePort(), https: await freePort(), app: await freePort(), api: await freePort() };
  writeFileSync(join(dir, 'nginx.conf'), nginxConf(dir, ports));
  started.push(spawn('nginx', ['-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log')], { stdio: 'ignore' }));
  await waitForStatus(ports.http, HOST, '/', 200, 5000);
  await waitForPort(ports.https, 5000);
  return { http: ports.http, https: ports.https };
}

/** The minimal Node.js proxy of bench/ingress-node-peer in its own process(es), as nginx is. */
async function startNodePeer(dir: string, processes: number, started: ChildProcess[]): Promise<{ http: number; https: number }> {
  const ports = { http: await freePort(), https: await freePort() };
  const script = fileURLToPath(new URL('./ingress-node-peer.js', import.meta.url));
  const args = [script, String(ports.http), String(ports.https), join(dir, 'tls.crt'), join(dir, 'tls.key'), String(processes)];
  // Its stdin stays open while this process lives: the peer exits when it ends, even if the bench is killed.
  started.push(spawn(process.execPath, args, { stdio: ['pipe', 'ignore', 'inherit'] }));
  await waitForStatus(ports.http, HOST, '/', 200, 10_000);
  await waitForPort(ports.https, 10_000);
  return ports;
}

/** Milliseconds from creating an Ingress for a new host until the proxy answers 200 for it. */
async function changeToServed(client: Client, port: number, i: number): Promise<number> {
  const host = `new-${i}.bench`;
  const t0 = performance.now();
  await client.create({ resource: 'ingresses', group: 'networking.k8s.io' }, benchIngress(`new-${i}`, host));
  await waitForStatus(port, host, '/', 200, 10_000, 0);
  return performance.now() - t0;
}

const pct = (xs: number[], p: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))] ?? NaN;
const fmt = (r: WrkResult) => `${Math.round(r.rps)} req/s, p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms`;
const ratio = (a: WrkResult, b: WrkResult | undefined, peer: string) => (b ? `${(a.rps / b.rps).toFixed(2)}× ${peer}'s requests/s, p99 ${(a.p99 / b.p99).toFixed(2)}× ${peer}'s` : '');

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'knet-bench-ingress-'));
  spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', `/CN=${HOST}`, '-addext', `subjectAltName=DNS:${HOST}`,
    '-keyout', join(dir, 'tls.key'), '-out', join(dir, 'tls.crt')], { stdio: 'ignore' });
  const ports = { httpPort: await freePort(), httpsPort: await freePort() };
  const cluster = await Cluster.start({ ephemeral: true, apiPort: 0, nodes: 1, ingress: ports });
  const peers: ChildProcess[] = [];
  const cores = availableParallelism();
  try {
    const nginx = await startNginx(dir, peers);
    const node = await startNodePeer(dir, 1, peers);
    const nodeAll = await startNodePeer(dir, cores, peers);
    const client = cluster.client('bench');
    await benchBackends(client, readFileSync(join(dir, 'tls.crt'), 'utf8'), readFileSync(join(dir, 'tls.key'), 'utf8'));
    await waitForStatus(ports.httpPort, HOST, '/api', 200, 30_000);
    console.log(`wrk -t2 -c${CONNECTIONS} -d${seconds}s, keep-alive; node ${process.version}; nginx: ${nginx ? 'worker_processes 1' : 'not installed'}`);
    const measure = async (name: string, scheme: 'http' | 'https', extra: string[] = []) => {
      const url = (port: number) => `${scheme}://127.0.0.1:${port}/api`;
      const knetUrl = url(scheme === 'http' ? ports.httpPort : ports.httpsPort);
      await wrk(knetUrl, ['-d1s', ...extra]); // warm-up (connections, JIT), each peer alike
      if (nginx) await wrk(url(nginx[scheme]), ['-d1s', ...extra]);
      await wrk(url(node[scheme]), ['-d1s', ...extra]);
      await wrk(url(nodeAll[scheme]), ['-d1s', ...extra]);
      const k = await wrk(knetUrl, extra);
      const n = nginx ? await wrk(url(nginx[scheme]), extra) : undefined;
      const p = await wrk(url(node[scheme]), extra);
      const a = await wrk(url(nodeAll[scheme]), extra);
      console.log(`${name.padEnd(28)} knet ${fmt(k)}${n ? `; nginx ${fmt(n)}` : ''}`);
      console.log(`${''.padEnd(28)} node proxy, one loop ${fmt(p)}; ${cores} processes ${fmt(a)}`);
      const vs = [ratio(k, n, 'nginx'), ratio(k, p, 'the one-loop node proxy'), n ? `node with ${cores} processes: ${(a.rps / n.rps).toFixed(2)}× nginx's requests/s` : ''];
      console.log(`${''.padEnd(28)} ${vs.filter(Boolean).join('; ')}`);
    };
    await measure('HTTP  /api', 'http');
    await measure('HTTPS /api', 'https');
    await measure('new TLS handshakes (close)', 'https', ['-H', 'Connection: close']);
    for (let i = 0; i < TOTAL; i++) await client.create({ resource: 'ingresses', group: 'networking.k8s.io' }, benchIngress(`bulk-${i}`, `bulk-${i}.bench`));
    await new Promise((r) => setTimeout(r, 1000));
    const samples: number[] = [];
    for (let i = 0; i < 100; i++) samples.push(await changeToServed(client, ports.httpPort, i));
    console.log(`Ingress change → served, ${TOTAL} Ingresses: p50 ${pct(samples, 0.5).toFixed(1)} ms, p99 ${pct(samples, 0.99).toFixed(1)} ms (100 samples)`);
  } finally {
    await Promise.all(peers.map(async (p) => {
      if (p.exitCode === null && p.signalCode === null) { p.kill(); await once(p, 'exit'); }
    }));
    await cluster.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

http.globalAgent = new http.Agent({ keepAlive: true });
await main();
