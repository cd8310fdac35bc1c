/**
 * Benchmark (not a test): 1,000 pods from 10 Deployments on a real `knet up --ephemeral --nodes 10`
 * child (10 nodes because a node takes 110 pods and has a /24 pod CIDR; time to Running and Ready,
 * memory per pod), exec round trips, and pod-to-pod HTTP over the
 * virtual network against loopback TCP (in-process). Run after the build with
 * `node dist/bench/pods.js [image …]` (default: registry.k8s.io/pause:3.10 then nginx); prints a table.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApiClient, quantile } from './http.js';
import { ExecClient, kubectlExecTimes } from './pods-exec.js';
import { heapAfterGcKiB, inspectorUrl, medianRssKiB } from './pods-inspect.js';
import { podNetwork } from './pods-net.js';

const mainJs = join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'cli', 'main.js');
const DEPLOYMENTS = 10;
const REPLICAS = 100;
const NODES = 10;
const STALL_MS = 10_000;
const EXECS = 200;
const KUBECTL_EXECS = 10;
const NET_SECONDS = 1.5;
const DEADLINE_MS = 10 * 60_000;
const images = process.argv.slice(2).length ? process.argv.slice(2) : ['registry.k8s.io/pause:3.10', 'nginx'];

const tmp = mkdtempSync(join(tmpdir(), 'knet-bench-pods-'));
const kubeconfig = join(tmp, 'kubeconfig');
const env = { ...process.env, HOME: tmp, KUBECONFIG: kubeconfig, XDG_STATE_HOME: join(tmp, 'state') };
const rows: [string, string, string, string][] = [];
const live = new Set<ChildProcess>();
const killAll = () => { for (const c of live) c.kill('SIGKILL'); };
const ms = (n: number) => (n >= 100 ? `${n.toFixed(0)} ms` : `${n.toFixed(2)} ms`);
const sleep = (t: number) => new Promise((r) => setTimeout(r, t));
const stopping = new Set<ChildProcess>();
let closedWrites = 0;

interface PodView {
  metadata: { name: string; labels?: Record<string, string> };
  spec?: { nodeName?: string };
  status?: { phase?: string; conditions?: { type: string; status: string }[] };
}

/** Spawns `knet up --nodes 10` with the inspector on a loopback port; resolves at its ready line. */
function start(): Promise<{ child: ChildProcess; inspector?: string }> {
  const args = ['--inspect=127.0.0.1:0', mainJs, 'up', '--ephemeral', '--api-port', '0', '--nodes', String(NODES), '--kubeconfig', kubeconfig];
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  child.once('exit', () => live.delete(child));
  let err = '';
  let partial = '';
  child.stderr!.on('data', (d: Buffer) => {
    const lines = (partial + d.toString()).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      if (err.length < 100_000) err += line + '\n';
      if (/store is closed/.test(line)) closedWrites++;
      if (!stopping.has(child) && line && !/^Debugger (listening|attached|ending)|For help, see/.test(line)) process.stderr.write(`[knet] ${line}\n`);
    }
  });
  return new Promise((ok, fail) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (/^knet is ready/m.test(out)) ok({ child, inspector: inspectorUrl(err) });
    });
    child.once('exit', (c) => fail(new Error(`knet exited with ${c}:\n${out}\n${err}`)));
  });
}

/** Stops a child; its stderr is no longer echoed (the node agent logs status writes after the store closed). */
function stop(child: ChildProcess): Promise<void> {
  stopping.add(child);
  return new Promise((ok) => { child.once('exit', () => ok()); child.kill('SIGTERM'); });
}

const deployment = (name: string, image: string) => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'default' },
  spec: { replicas: REPLICAS, selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'main', image }] } } },
});

const isReady = (p: PodView) => p.status?.phase === 'Running' && !!p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');

/** Creates the Deployments and watches pods until all are Ready; returns per-pod times and the total. */
async function rollOut(api: ApiClient, image: string): Promise<{ perPod: number[]; total: number; nodes: Map<string, number> }> {
  const createdAt = new Map<string, number>();
  const readyAt = new Map<string, number>();
  const nodeOf = new Map<string, string>();
  const want = DEPLOYMENTS * REPLICAS;
  let allReady: () => void = () => undefined;
  const done = new Promise<void>((ok) => (allReady = ok));
  let lastProgress = performance.now();
  const w = api.watch('/api/v1/namespaces/default/pods?watch=true', (e) => {
    const p = e.object as PodView;
    if (e.type === 'DELETED' || readyAt.has(p.metadata.name) || !isReady(p)) return;
    readyAt.set(p.metadata.name, e.at);
    lastProgress = e.at;
    nodeOf.set(p.metadata.name, p.spec?.nodeName ?? '?');
    if (readyAt.size >= want) allReady();
  });
  await w.ready;
  const t0 = performance.now();
  for (let i = 0; i < DEPLOYMENTS; i++) {
    const name = `bench-${i}`;
    createdAt.set(name, performance.now());
    const r = await api.request('POST', '/apis/apps/v1/namespaces/default/deployments', deployment(name, image));
    if (r.status !== 201) throw new Error(`create deployment: HTTP ${r.status}: ${r.body.slice(0, 300)}`);
  }
  const timer = setInterval(() => { if (performance.now() - lastProgress > STALL_MS) allReady(); }, 500);
  await done;
  clearInterval(timer);
  w.close();
  const last = Math.max(...readyAt.values());
  if (readyAt.size < want) {
    const r = await api.request('GET', '/api/v1/namespaces/default/pods');
    const items = (JSON.parse(r.body) as { items: PodView[] }).items;
    const phases = new Map<string, number>();
    for (const p of items) { const k = `${p.status?.phase ?? 'none'}${isReady(p) ? '/Ready' : ''}`; phases.set(k, (phases.get(k) ?? 0) + 1); }
    console.error(`only ${readyAt.size}/${want} pods Ready (none became Ready for ${STALL_MS / 1000} s); ${items.length} pods exist: ${[...phases].map(([k, v]) => `${k} ${v}`).join(', ')}`);
  }
  const perPod: number[] = [];
  const nodes = new Map<string, number>();
  const podsOf = new Map<string, number>();
  for (const [pod, at] of readyAt) {
    const dep = /^(bench-\d+)-/.exec(pod)?.[1] ?? '';
    podsOf.set(dep, (podsOf.get(dep) ?? 0) + 1);
    perPod.push(at - (createdAt.get(dep) ?? t0));
    const n = nodeOf.get(pod) ?? '?';
    nodes.set(n, (nodes.get(n) ?? 0) + 1);
  }
  return { perPod, total: last - t0, nodes };
}

async function podsRun(image: string, withExec: boolean): Promise<void> {
  const { child, inspector } = await start();
  const pid = child.pid!;
  await sleep(1000);
  const rss0 = await medianRssKiB(pid);
  const heap0 = inspector ? await heapAfterGcKiB(inspector) : NaN;
  const rss0gc = inspector ? await medianRssKiB(pid, 3) : NaN;
  const api = new ApiClient(kubeconfig);
  const { perPod, total, nodes } = await rollOut(api, image);
  const n = perPod.length;
  const short = image.replace(/^registry\.k8s\.io\//, '');
  rows.push([`${short}: Deployment created → pod Ready`, ms(quantile(perPod, 0.5)), ms(quantile(perPod, 0.99)),
    `${n} pods; per pod, from its Deployment's POST to the watch event showing Running + Ready`]);
  rows.push([`${short}: all ${n} pods Ready`, ms(total), '', `first POST → last Ready; nodes: ${[...nodes].map(([k, v]) => `${k} ${v}`).join(', ')}`]);
  await sleep(2000);
  const rss1 = await medianRssKiB(pid);
  rows.push([`${short}: RSS per pod`, `${((rss1 - rss0) / n).toFixed(1)} KiB`, '',
    `(median VmRSS 2 s after all Ready − before) / ${n}; ${(rss0 / 1024).toFixed(1)} → ${(rss1 / 1024).toFixed(1)} MiB; no GC forced`]);
  if (inspector) {
    const heap1 = await heapAfterGcKiB(inspector);
    const rss2 = await medianRssKiB(pid, 3);
    rows.push([`${short}: JS heap per pod after GC`, `${((heap1 - heap0) / n).toFixed(1)} KiB`, '',
      `forced full GC over the inspector; heap ${(heap0 / 1024).toFixed(1)} → ${(heap1 / 1024).toFixed(1)} MiB, RSS then ${(rss2 / 1024).toFixed(1)} MiB`]);
    rows.push([`${short}: RSS per idle pod after GC`, `${((rss2 - rss0gc) / n).toFixed(1)} KiB`, '',
      `(VmRSS after a forced GC with all pods idle − after a forced GC before) / ${n}; ${(rss0gc / 1024).toFixed(1)} → ${(rss2 / 1024).toFixed(1)} MiB`]);
  }
  if (withExec) await execRuns(api);
  api.close();
  await stop(child);
}

async function execRuns(api: ApiClient): Promise<void> {
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'exec-target' }, spec: { containers: [{ name: 'bb', image: 'busybox', command: ['sleep', '3600'] }] } };
  const r = await api.request('POST', '/api/v1/namespaces/default/pods', pod);
  if (r.status !== 201) throw new Error(`create exec pod: HTTP ${r.status}: ${r.body.slice(0, 300)}`);
  for (let i = 0; ; i++) {
    const g = await api.request('GET', '/api/v1/namespaces/default/pods/exec-target');
    if (isReady(JSON.parse(g.body) as PodView)) break;
    if (i > 500) throw new Error('exec pod not Ready in 10 s');
    await sleep(20);
  }
  const ex = new ExecClient(kubeconfig);
  const first = await ex.exec('default', 'exec-target', ['echo', 'hi']);
  if (first.stdout !== 'hi\n' || first.status.status !== 'Success') throw new Error(`exec echo: ${JSON.stringify(first)}`);
  const samples: number[] = [];
  for (let i = 0; i < EXECS; i++) {
    const e = await ex.exec('default', 'exec-target', ['true']);
    if (e.status.status !== 'Success') throw new Error(`exec true: ${JSON.stringify(e.status)}`);
    samples.push(e.ms);
  }
  rows.push(['exec `true` over WebSocket v5.channel.k8s.io', ms(quantile(samples, 0.5)), ms(quantile(samples, 0.99)),
    `${EXECS} sequential sessions (TLS connect, upgrade, run, Status on channel 3, close), 1,001 pods present`]);
  const k = kubectlExecTimes(kubeconfig, env, 'exec-target', ['true'], KUBECTL_EXECS);
  if (typeof k === 'string') rows.push(['`kubectl exec exec-target -- true`', 'n/a', '', k]);
  else rows.push(['`kubectl exec exec-target -- true`', ms(quantile(k, 0.5)), ms(Math.max(...k)), `${KUBECTL_EXECS} runs, wall clock of the whole kubectl process (p99 column: max)`]);
}

const loadAtStart = loadavg();

async function main(): Promise<void> {
  for (const [i, image] of images.entries()) await podsRun(image, i === 0);
  const net = await podNetwork(NET_SECONDS);
  const f = (x: number) => (Number.isNaN(x) ? '' : x >= 100 ? x.toFixed(0) : x.toFixed(1));
  for (const [label, v, l, unit] of net.rows) {
    rows.push([`pod → pod: ${label}`, `${f(v)} ${unit}`, '', Number.isNaN(l) ? 'no loopback counterpart' : `loopback 127.0.0.1: ${f(l)} ${unit} (virtual/loopback ${(v / l).toFixed(2)}×)`]);
  }
  const w = [0, 1, 2].map((c) => Math.max(...rows.map((r) => r[c]!.length), ['measure', 'p50 / value', 'p99'][c]!.length));
  const line = (r: string[]) => r.map((c, i) => (i < 3 ? c.padEnd(w[i]!) : c)).join('  ');
  console.log(line(['measure', 'p50 / value', 'p99', 'notes']));
  for (const r of rows) console.log(line(r));
  console.log(`pod network: ${net.note}`);
  if (closedWrites + net.closedWrites) console.log(`shutdown: ${closedWrites + net.closedWrites} "knet: pod status: Error: store is closed" messages (the node agent writes pod status after the store closed)`);
  console.log(`machine: ${cpus()[0]?.model.trim() ?? 'unknown'}, ${cpus().length} cores, node ${process.version}`);
  console.log(`load average at the start: ${loadAtStart.map((l) => l.toFixed(2)).join(' ')} (other work on the machine skews the figures)`);
}

const guard = setTimeout(() => { console.error('benchmark exceeded its time limit'); killAll(); process.exit(2); }, DEADLINE_MS);
try {
  await main();
} finally {
  clearTimeout(guard);
  killAll();
  rmSync(tmp, { recursive: true, force: true });
}
