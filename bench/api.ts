/**
 * Benchmark (not a test): start-up time, idle memory and API latencies of a real
 * `knet up --ephemeral --api-port 0` child process, over loopback HTTPS with the kubeconfig's
 * client certificate. Run after the build with `node dist/bench/api.js`; prints a table.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApiClient, quantile, type Reply } from './http.js';

const mainJs = join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'cli', 'main.js');
const STARTS = 5;
const OBJECTS = 10_000;
const GETS = 2_000;
const LISTS_ALL = 20;
const LISTS_SELECTED = 200;
const UPDATES = 1_000;
const WATCHERS = 100;
const WRITES_PER_S = 20;
const WATCH_SECONDS = 10;
const DEADLINE_MS = 10 * 60_000;

const tmp = mkdtempSync(join(tmpdir(), 'knet-bench-'));
const kubeconfig = join(tmp, 'kubeconfig');
const env = { ...process.env, HOME: tmp, KUBECONFIG: kubeconfig, XDG_STATE_HOME: join(tmp, 'state') };
const rows: [string, string, string, string][] = [];
const live = new Set<ChildProcess>();
const killAll = () => { for (const c of live) c.kill('SIGKILL'); };
const ms = (n: number) => `${n.toFixed(2)} ms`;
const sleep = (t: number) => new Promise((r) => setTimeout(r, t));

/** Spawns knet and resolves with the child and the time until its ready line. */
function start(): Promise<{ child: ChildProcess; readyMs: number }> {
  const t0 = performance.now();
  const child = spawn(process.execPath, [mainJs, 'up', '--ephemeral', '--api-port', '0', '--data-dir', join(tmp, 'data'), '--kubeconfig', kubeconfig],
    { env, stdio: ['ignore', 'pipe', 'inherit'] });
  live.add(child);
  child.once('exit', () => live.delete(child));
  return new Promise((ok, fail) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (/^knet is ready/m.test(out)) ok({ child, readyMs: performance.now() - t0 });
    });
    child.once('exit', (c) => fail(new Error(`knet exited with ${c}:\n${out}`)));
  });
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((ok) => { child.once('exit', () => ok()); child.kill('SIGTERM'); });
}

function rssMiB(pid: number): number {
  const m = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

function record(what: string, samples: number[], note = ''): void {
  rows.push([what, ms(quantile(samples, 0.5)), ms(quantile(samples, 0.99)), note || `${samples.length} samples`]);
}

async function timed(n: number, op: (i: number) => Promise<Reply>, expect: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const r = await op(i);
    if (r.status !== expect) throw new Error(`HTTP ${r.status} (wanted ${expect}): ${r.body.slice(0, 300)}`);
    out.push(r.ms);
  }
  return out;
}

const cm = (ns: string, name: string, labels: Record<string, string> = {}) => ({
  apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns, labels }, data: { key: `value of ${name}`, sent: '' },
});

async function watchLatency(api: ApiClient): Promise<{ samples: number[]; expected: number }> {
  const ns = 'bench-watch';
  await api.request('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  const sentAt = new Map<string, number>();
  const samples: number[] = [];
  const watches = Array.from({ length: WATCHERS }, () => api.watch(`/api/v1/namespaces/${ns}/configmaps?watch=true`, (e) => {
    const t = e.type === 'ADDED' ? sentAt.get(e.object.metadata?.name ?? '') : undefined;
    if (t !== undefined) samples.push(e.at - t);
  }));
  await Promise.all(watches.map((w) => w.ready));
  await sleep(200);
  const writes = WRITES_PER_S * WATCH_SECONDS;
  for (let i = 0; i < writes; i++) {
    const due = performance.now() + 1000 / WRITES_PER_S;
    const name = `w-${i}`;
    sentAt.set(name, performance.now());
    const r = await api.request('POST', `/api/v1/namespaces/${ns}/configmaps`, cm(ns, name));
    if (r.status !== 201) throw new Error(`watch write: HTTP ${r.status}`);
    await sleep(Math.max(0, due - performance.now()));
  }
  const expected = writes * WATCHERS;
  const until = performance.now() + 5000;
  while (samples.length < expected && performance.now() < until) await sleep(20);
  for (const w of watches) w.close();
  return { samples, expected };
}

const loadAtStart = loadavg();

async function main(): Promise<void> {
  const readies: number[] = [];
  let child: ChildProcess | undefined;
  for (let i = 0; i < STARTS; i++) {
    const s = await start();
    readies.push(s.readyMs);
    if (i < STARTS - 1) await stop(s.child); else child = s.child;
  }
  const pid = child!.pid!;
  rows.push(['spawn → "knet is ready"', ms(quantile(readies, 0.5)), '', `median of ${STARTS} starts (min ${ms(Math.min(...readies))}, max ${ms(Math.max(...readies))})`]);
  await sleep(1000);
  rows.push(['idle RSS after start', `${rssMiB(pid).toFixed(1)} MiB`, '', '/proc/<pid>/status VmRSS, 1 s after ready']);

  const api = new ApiClient(kubeconfig);
  const ns = 'bench';
  await api.request('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  const base = `/api/v1/namespaces/${ns}/configmaps`;
  record('create ConfigMap', await timed(OBJECTS, (i) => api.request('POST', base, cm(ns, `cm-${i}`, { group: `g${i % (OBJECTS / 10)}` })), 201),
    `${OBJECTS} sequential POSTs`);
  rows.push(['RSS with 10,000 ConfigMaps', `${rssMiB(pid).toFixed(1)} MiB`, '', '']);
  record('get ConfigMap', await timed(GETS, (i) => api.request('GET', `${base}/cm-${(i * 7919) % OBJECTS}`), 200));
  record('update ConfigMap (PUT)', await timed(UPDATES, async (i) => {
    const name = `cm-${(i * 104729) % OBJECTS}`;
    const cur = JSON.parse((await api.request('GET', `${base}/${name}`)).body) as { data: Record<string, string> };
    cur.data['key'] = `updated ${i}`;
    return api.request('PUT', `${base}/${name}`, cur);
  }, 200));
  record('list all 10,000', await timed(LISTS_ALL, () => api.request('GET', base), 200));
  record('list labelSelector (10 of 10,000)', await timed(LISTS_SELECTED, (i) => api.request('GET', `${base}?labelSelector=group%3Dg${i}`), 200));
  record('patch ConfigMap (merge patch)', await timed(UPDATES, (i) => api.patch(`${base}/cm-${(i * 7907) % OBJECTS}`, { data: { patched: `${i}` } }), 200));
  record('delete ConfigMap', await timed(UPDATES, (i) => api.request('DELETE', `${base}/cm-${i}`), 200));
  const { samples, expected } = await watchLatency(api);
  record(`watch delivery (${WATCHERS} watchers, ${WRITES_PER_S} writes/s, ${WATCH_SECONDS} s)`, samples,
    `${samples.length}/${expected} events; from sending the POST to the event arriving`);
  api.close();
  await stop(child!);

  const w = [0, 1, 2].map((c) => Math.max(...rows.map((r) => r[c]!.length), ['measure', 'p50 / value', 'p99'][c]!.length));
  const line = (r: string[]) => r.map((c, i) => (i < 3 ? c.padEnd(w[i]!) : c)).join('  ');
  console.log(line(['measure', 'p50 / value', 'p99', 'notes']));
  for (const r of rows) console.log(line(r));
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
