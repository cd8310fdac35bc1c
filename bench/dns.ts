/**
 * DNS benchmark: dnsperf on loopback against knet's host listener and against dnsmasq serving the
 * same names (a generated hosts file plus SRV/TXT records), in the same run; prints queries/s, loss,
 * average latency and the knet/dnsmasq ratio. Needs the Debian packages dnsperf and dnsmasq(-base);
 * skips with a note when either is missing. Run: `node dist/bench/dns.js [seconds] [services]`.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { promisify } from 'node:util';
import { Registry } from '../src/api/registry.js';
import { allKinds } from '../src/api/kinds/index.js';
import type { KObject } from '../src/api/meta.js';
import { openStore } from '../src/store/index.js';
import { namespaceLifecycle } from '../src/apiserver/admission.js';
import { Client } from '../src/client/client.js';
import { ClusterView } from '../src/client/view.js';
import { startClusterDNS } from '../src/dataplane/dns/index.js';

const run = promisify(execFile);
const seconds = Number(process.argv[2] ?? '5');
const count = Number(process.argv[3] ?? '100');
const ZONE = 'cluster.local';

interface Result { qps: number; lost: string; latency: string; codes: string }

async function has(cmd: string, args: string[]): Promise<boolean> {
  return run(cmd, args).then(() => true, (e: NodeJS.ErrnoException) => e.code !== 'ENOENT');
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

async function dnsperf(port: number, file: string): Promise<Result> {
  const args = ['-s', '127.0.0.1', '-p', String(port), '-d', file, '-l', String(seconds), '-c', '4', '-T', '1', '-q', '200', '-t', '2'];
  const { stdout } = await run('dnsperf', args, { timeout: (seconds + 20) * 1000 });
  const pick = (re: RegExp): string => re.exec(stdout)?.[1]?.trim() ?? '?';
  return { qps: Number(pick(/Queries per second:\s+([\d.]+)/)), lost: pick(/Queries lost:\s+(.*)/), latency: pick(/Average Latency \(s\):\s+(\S+)/), codes: pick(/Response codes:\s+(.*)/) };
}

async function main(): Promise<number> {
  if (!(await has('dnsperf', ['-h'])) || !(await has('dnsmasq', ['--version']))) {
    console.log('bench/dns: skipped — needs dnsperf and dnsmasq (Debian packages dnsperf, dnsmasq-base); not installing them here.');
    return 0;
  }
  const dir = mkdtempSync(join(tmpdir(), 'knet-dns-bench-'));
  const store = await openStore({ ephemeral: true });
  const client = new Client(store, new Registry(allKinds), namespaceLifecycle(store), 'bench');
  let dnsmasq: ChildProcess | undefined;
  const view = new ClusterView(client);
  const dns = await startClusterDNS({ view, hostPort: 0, forward: { servers: [] } });
  try {
    await client.create({ resource: 'namespaces' }, { metadata: { name: 'bench' } });
    const hosts: string[] = [];
    const queries: string[] = [];
    const extra: string[] = [`--txt-record=dns-version.${ZONE},1.1.0`];
    for (let i = 0; i < count; i++) {
      const ip = `10.96.${1 + Math.floor(i / 250)}.${1 + (i % 250)}`;
      const name = `svc-${i}.bench.svc.${ZONE}`;
      await client.create({ resource: 'services' }, { metadata: { namespace: 'bench', name: `svc-${i}` }, spec: { clusterIP: ip, ports: [{ name: 'http', port: 80 }] } } as KObject);
      hosts.push(`${ip} ${name}`);
      extra.push(`--srv-host=_http._tcp.${name},${name},80,0,100`);
      queries.push(`${name} A`, `${name} A`, `${name} AAAA`, `_http._tcp.${name} SRV`, `nope-${i}.bench.svc.${ZONE} A`);
    }
    queries.push(`dns-version.${ZONE} TXT`);
    writeFileSync(join(dir, 'hosts'), hosts.join('\n') + '\n');
    writeFileSync(join(dir, 'queries.txt'), queries.join('\n') + '\n');
    const port = await freePort();
    dnsmasq = spawn('dnsmasq', ['--keep-in-foreground', '--conf-file=/dev/null', '--no-resolv', '--no-hosts', `--addn-hosts=${join(dir, 'hosts')}`,
      `--port=${port}`, '--listen-address=127.0.0.1', '--bind-interfaces', '--cache-size=0', `--local=/${ZONE}/`, '--pid-file=', '--user=', ...extra], { stdio: 'ignore' });
    await new Promise((r) => setTimeout(r, 300));
    const { stdout: check } = await run('dig', ['@127.0.0.1', '-p', String(port), '+short', `svc-0.bench.svc.${ZONE}`]).catch(() => ({ stdout: '(dig missing)' }));
    console.log(`dnsperf ${seconds}s each, ${queries.length} query lines (${count} Services: A, AAAA, SRV, NXDOMAIN, TXT); dnsmasq check: ${check.trim()}`);
    const knet = await dnsperf(dns.port!, join(dir, 'queries.txt'));
    const ref = await dnsperf(port, join(dir, 'queries.txt'));
    const row = (n: string, r: Result): string => `${n.padEnd(8)} ${r.qps.toFixed(0).padStart(9)} q/s  lost ${r.lost}  avg ${r.latency}s  ${r.codes}`;
    console.log(row('knet', knet));
    console.log(row('dnsmasq', ref));
    const ratio = knet.qps / ref.qps;
    console.log(`ratio knet/dnsmasq: ${ratio.toFixed(2)}  (goals: ≥ 60000 q/s ${knet.qps >= 60000 ? 'met' : 'NOT met'}; ≥ 0.3× dnsmasq ${ratio >= 0.3 ? 'met' : 'NOT met'})`);
    return 0;
  } finally {
    dnsmasq?.kill();
    await dns.stop();
    view.stop();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const guard = setTimeout(() => { console.error('bench/dns: time limit reached'); process.exit(1); }, (seconds * 2 + 60) * 1000);
guard.unref();
main().then((c) => process.exit(c), (e: Error) => { console.error(`bench/dns: ${e.message}`); process.exit(1); });
