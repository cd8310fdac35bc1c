/**
 * Benchmark (not a test): a real `knet up --ephemeral` child (started with `ulimit -n 4096`, as in
 * issue 10) under each hostile local client of the issue, one at a time: RSS (before, peak, 2 s
 * after), file descriptors in use, and the latency of an API `get` on a kept-alive connection
 * while it runs (goal: p99 < 50 ms), plus how many fresh-connection GETs (what a new kubectl
 * does) failed. Everything is loopback and bounded in count and time (about 2 min). Run after the
 * build with `node dist/bench/faults.js`; prints a table.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApiClient, quantile } from './http.js';
import { ExecClient } from './pods-exec.js';
import { dnsPipelining, execFlood, idleConnections, pausedWatches, regexStall, type Hostile } from './faults-clients.js';

const mainJs = join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'cli', 'main.js');
const CHILD_NOFILE = 4096;
const IDLE_CONNECTIONS = 4200;
const DNS_CLIENTS = 4;
const DNS_MAX_BYTES = 64 << 20;
const WATCHERS = 50;
const WATCH_WRITES = 3000;
const REGEX_AS = 24;
const EXEC_PARALLEL = 16;
const EXEC_MAX = 3000;
const HOLD_S = 10;
const DEADLINE_MS = 5 * 60_000;

const tmp = mkdtempSync(join(tmpdir(), 'knet-bench-faults-'));
const kubeconfig = join(tmp, 'kubeconfig');
const env = { ...process.env, HOME: tmp, KUBECONFIG: kubeconfig, XDG_STATE_HOME: join(tmp, 'state') };
const sleep = (t: number) => new Promise((r) => setTimeout(r, t));
let child: ChildProcess | undefined;

function rssMiB(pid: number): number {
  const m = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}
const fds = (pid: number) => { try { return readdirSync(`/proc/${pid}/fd`).length; } catch { return NaN; } };
const openFilesLimit = (pid: number) => /^Max open files\s+(\S+)\s+(\S+)/m.exec(readFileSync(`/proc/${pid}/limits`, 'utf8'))?.slice(1, 3).join('/') ?? '?';

/** Spawns knet under `ulimit -n`; resolves with the child and its DNS port at the ready line. */
function start(): Promise<{ child: ChildProcess; dnsPort: number }> {
  const args = [mainJs, 'up', '--ephemeral', '--api-port', '0', '--dns-port', '0', '--no-ingress', '--data-dir', join(tmp, 'data'), '--kubeconfig', kubeconfig];
  const c = spawn('sh', ['-c', `ulimit -n ${CHILD_NOFILE} 2>/dev/null; exec "$0" "$@"`, process.execPath, ...args], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  child = c;
  return new Promise((ok, fail) => {
    let out = '';
    c.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const dns = /dns: 127\.0\.0\.1:(\d+)/.exec(out);
      if (/^knet is ready/m.test(out) && dns) ok({ child: c, dnsPort: Number(dns[1]) });
    });
    c.once('exit', (code) => fail(new Error(`knet exited with ${code}:\n${out}`)));
  });
}

async function ready(api: ApiClient, path: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    const r = await api.request('GET', path);
    const conds = (JSON.parse(r.body) as { status?: { conditions?: { type: string; status: string }[] } }).status?.conditions ?? [];
    if (conds.some((c) => c.type === 'Ready' && c.status === 'True')) return;
    await sleep(100);
  }
  throw new Error(`${path} not Ready in 30 s`);
}

interface Row { name: string; rss: string; fds: string; p50: string; p99: string; max: string; fresh: string; note: string }
const rows: Row[] = [];
const msf = (n: number) => (Number.isNaN(n) ? '-' : n >= 100 ? `${n.toFixed(0)} ms` : `${n.toFixed(1)} ms`);

/** Runs one hostile client for HOLD_S seconds while sampling the child and probing the API. */
async function measure(name: string, pid: number, api: ApiClient, begin: () => Promise<Hostile> | Hostile, holdS = HOLD_S): Promise<void> {
  const rss0 = rssMiB(pid);
  const fd0 = fds(pid);
  let rssPeak = rss0;
  let fdPeak = fd0;
  let probing = true;
  const sampler = setInterval(() => { rssPeak = Math.max(rssPeak, rssMiB(pid)); fdPeak = Math.max(fdPeak, fds(pid)); }, 100);
  const gets: number[] = [];
  let getErrors = 0;
  const prober = (async () => {
    while (probing) {
      try {
        const r = await Promise.race([api.request('GET', '/api/v1/namespaces/default/configmaps/probe'), sleep(30_000).then(() => undefined)]);
        if (r?.status === 200) gets.push(r.ms); else getErrors++;
      } catch { getErrors++; }
      await sleep(5);
    }
  })();
  let fresh = 0;
  let freshFailed = 0;
  const freshProber = (async () => {
    while (probing) {
      const c = new ApiClient(kubeconfig);
      try {
        const r = await Promise.race([c.request('GET', '/api/v1/namespaces/default/configmaps/probe'), sleep(5000).then(() => undefined)]);
        if (r?.status === 200) fresh++; else freshFailed++;
      } catch { freshFailed++; }
      c.close();
      await sleep(250);
    }
  })();
  const hostile = await begin();
  await sleep(holdS * 1000);
  const note = await hostile.stop();
  probing = false;
  await Promise.all([prober, freshProber]);
  clearInterval(sampler);
  await sleep(2000);
  rows.push({
    name, rss: `${rss0.toFixed(0)} → ${rssPeak.toFixed(0)} → ${rssMiB(pid).toFixed(0)}`, fds: `${fd0} → ${fdPeak} → ${fds(pid)}`,
    p50: msf(quantile(gets, 0.5)), p99: msf(quantile(gets, 0.99)), max: msf(gets.length ? Math.max(...gets) : NaN),
    fresh: `${fresh} ok, ${freshFailed} failed`, note: `${gets.length} gets${getErrors ? `, ${getErrors} failed` : ''}; ${note}`,
  });
}

/** A fresh child with a probe ConfigMap, an nginx pod behind a NodePort Service and a busybox pod, all ready. */
async function cluster(): Promise<{ pid: number; api: ApiClient; ex: ExecClient; nodePort: number; dnsPort: number; stop: () => Promise<void> }> {
  const { child: c, dnsPort } = await start();
  const api = new ApiClient(kubeconfig);
  const post = async (path: string, body: unknown) => {
    const r = await api.request('POST', path, body);
    if (r.status !== 201) throw new Error(`POST ${path}: HTTP ${r.status}: ${r.body.slice(0, 300)}`);
    return JSON.parse(r.body) as { spec?: { ports?: { nodePort?: number }[] } };
  };
  await post('/api/v1/namespaces/default/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'probe' }, data: { k: 'v' } });
  await post('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'watched' } });
  await post('/api/v1/namespaces/default/pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx' }] } });
  await post('/api/v1/namespaces/default/pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'bb' }, spec: { containers: [{ name: 'bb', image: 'busybox', command: ['sleep', '3600'] }] } });
  const svc = await post('/api/v1/namespaces/default/services', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { type: 'NodePort', selector: { app: 'web' }, ports: [{ port: 80 }] } });
  const nodePort = svc.spec?.ports?.[0]?.nodePort;
  if (!nodePort) throw new Error('no nodePort allocated');
  await ready(api, '/api/v1/namespaces/default/pods/web');
  await ready(api, '/api/v1/namespaces/default/pods/bb');
  await sleep(1000);
  const stop = async () => {
    api.close();
    await new Promise<void>((ok) => { c.once('exit', () => ok()); c.kill('SIGKILL'); });
  };
  return { pid: c.pid!, api, ex: new ExecClient(kubeconfig), nodePort, dnsPort, stop };
}

type Cluster = Awaited<ReturnType<typeof cluster>>;

/** Each hostile client, run against a fresh child so that one's memory does not carry into the next. */
const scenarios: [string, (c: Cluster) => Promise<Hostile> | Hostile, number?][] = [
  ['none (baseline)', () => ({ stop: async () => 'nothing else running' }), 5],
  [`${IDLE_CONNECTIONS} idle connections to a NodePort`, (c) => idleConnections('127.0.0.1', c.nodePort, IDLE_CONNECTIONS)],
  [`DNS over TCP, ${DNS_CLIENTS} clients pipelining, not reading`, (c) => dnsPipelining(c.dnsPort, DNS_CLIENTS, DNS_MAX_BYTES)],
  [`${WATCHERS} paused watches, ${WATCH_WRITES} writes of 1 KiB`, (c) => pausedWatches(c.api, 'watched', WATCHERS, WATCH_WRITES)],
  [`grep -E "(a+)+$" on ${REGEX_AS} a's`, (c) => regexStall(c.ex, 'bb', REGEX_AS), 1],
  [`exec flood (${EXEC_PARALLEL} at a time, WebSocket)`, (c) => execFlood(c.ex, 'bb', EXEC_PARALLEL, EXEC_MAX)],
];

async function main(): Promise<void> {
  const load = loadavg();
  let limits = '?';
  for (const [name, begin, holdS] of scenarios) {
    const c = await cluster();
    limits = openFilesLimit(c.pid);
    await measure(name, c.pid, c.api, () => begin(c), holdS);
    await c.stop();
  }

  const head: Row = { name: 'hostile client', rss: 'RSS MiB before → peak → after', fds: 'fds before → peak → after', p50: 'get p50', p99: 'get p99', max: 'get max', fresh: 'fresh-connection GETs', note: 'notes' };
  const keys = Object.keys(head) as (keyof Row)[];
  const w = keys.map((k) => Math.max(...[head, ...rows].map((r) => r[k].length)));
  for (const r of [head, ...rows]) console.log(keys.map((k, i) => (i < keys.length - 1 ? r[k].padEnd(w[i]!) : r[k])).join('  '));
  console.log(`knet's open-files limit (soft/hard): ${limits}; each client against a fresh knet; goal: get p99 < 50 ms under each client`);
  console.log(`machine: ${cpus()[0]?.model.trim() ?? 'unknown'}, ${cpus().length} cores, node ${process.version}; load average at the start: ${load.map((l) => l.toFixed(2)).join(' ')}`);
}

const guard = setTimeout(() => { console.error('benchmark exceeded its time limit'); child?.kill('SIGKILL'); process.exit(2); }, DEADLINE_MS);
try {
  await main();
} finally {
  clearTimeout(guard);
  child?.kill('SIGKILL');
  rmSync(tmp, { recursive: true, force: true });
}
