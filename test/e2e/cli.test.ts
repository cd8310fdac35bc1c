// End-to-end: the `knet up` / `down` / `status` contract from the README, run as real processes.
// Every spawned knet and kubectl gets HOME, KUBECONFIG and XDG_STATE_HOME inside a temp dir, so
// the user's real ~/.kube/config and state folder are never touched.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { alive } from '../../src/runtime/liveness.js';
import { knetCmd, knetMain, kubectlPath, repoRoot, nodeBin, runCommand, squash, type Run } from './harness.js';

/** A temp HOME with its own kubeconfig and state folder. */
class Sandbox {
  readonly dir = mkdtempSync(join(tmpdir(), 'knet-cli-'));
  readonly kubeconfig = join(this.dir, 'kube', 'config');
  readonly env = { HOME: this.dir, KUBECONFIG: this.kubeconfig, XDG_STATE_HOME: join(this.dir, 'state') };
  private live: ChildProcess[] = [];
  private dataDirs = new Set<string>();

  path(...p: string[]): string { return join(this.dir, ...p); }

  /** Runs the knet CLI to completion. */
  knet(...args: string[]): Promise<Run> {
    const i = args.indexOf('--data-dir');
    if (i >= 0 && args[i + 1]) this.dataDirs.add(args[i + 1]!);
    return runCommand(nodeBin, [knetMain, ...args], { env: this.env, timeoutMs: 60_000 });
  }

  /** Runs the default kubectl (with the sandbox's KUBECONFIG unless a --kubeconfig is given). */
  kubectl(...args: string[]): Promise<Run> {
    return runCommand(kubectlPath(), ['--cache-dir', this.path('kube-cache'), ...args], { env: this.env });
  }

  /** Starts a foreground `knet up` and waits for its ready line. */
  async upForeground(...args: string[]): Promise<{ proc: ChildProcess; out: () => string; port: number }> {
    const proc = spawn(nodeBin, [knetMain, 'up', ...args], { env: { ...process.env, ...this.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    this.live.push(proc);
    let text = '';
    const port = await new Promise<number>((ok, fail) => {
      const timer = setTimeout(() => fail(new Error(`no ready line:\n${text}`)), 30_000);
      proc.stdout!.on('data', (d: Buffer) => {
        text += d.toString();
        const m = /^knet is ready: https:\/\/127\.0\.0\.1:(\d+)/m.exec(text);
        if (m) { clearTimeout(timer); ok(Number(m[1])); }
      });
      proc.stderr!.on('data', (d: Buffer) => { text += d.toString(); });
      proc.once('exit', (c) => { clearTimeout(timer); fail(new Error(`knet exited with ${c}:\n${text}`)); });
    });
    return { proc, out: () => text, port };
  }

  /** Stops whatever is still running and removes the temp dir. */
  async cleanup(): Promise<void> {
    for (const d of this.dataDirs) await this.knet('down', '--data-dir', d);
    for (const p of this.live) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
    rmSync(this.dir, { recursive: true, force: true });
  }
}

const runInfo = (dataDir: string) => JSON.parse(readFileSync(join(dataDir, 'knet.run.json'), 'utf8')) as { pid: number; apiPort: number; server: string };
const exited = (p: ChildProcess) => new Promise<number | null>((r) => (p.exitCode !== null ? r(p.exitCode) : p.once('exit', (c) => r(c))));

describe('knet up in the foreground', () => {
  const sb = new Sandbox();
  after(() => sb.cleanup());

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`prints progress and the ready line, answers kubectl, and ${signal} stops it cleanly (exit 0)`, async () => {
      const data = sb.path(`fg-${signal}`);
      const kc = sb.path(`fg-${signal}.kubeconfig`);
      const { proc, out, port } = await sb.upForeground('--api-port', '0', '--data-dir', data, '--kubeconfig', kc);
      const lines = out().split('\n');
      const ready = lines.findIndex((l) => l.startsWith('knet is ready'));
      assert.ok(ready >= 2, `progress lines before the ready line:\n${out()}`);
      assert.match(lines[0]!, /^Starting knet \(data dir /);
      assert.ok(port > 0);
      assert.equal(runInfo(data).apiPort, port);
      const r = await sb.kubectl('--kubeconfig', kc, 'get', 'ns', 'default', '-o', 'name');
      assert.equal(r.stdout.trim(), 'namespace/default', r.stderr);
      proc.kill(signal);
      assert.equal(await exited(proc), 0, out());
      assert.match(out(), new RegExp(`knet: ${signal} received, shutting down\\nknet stopped`));
      assert.equal(existsSync(join(data, 'knet.run.json')), false, 'run file removed');
      assert.notEqual((await sb.kubectl('--kubeconfig', kc, 'get', 'ns', '--request-timeout', '2s')).code, 0);
    });
  }
});

describe('knet up --detach, status and down', () => {
  const sb = new Sandbox();
  after(() => sb.cleanup());

  it('up --detach returns once ready; status says running; down stops it; status says not running', async () => {
    const data = sb.path('one');
    const kc = sb.path('one.kubeconfig');
    const st0 = await sb.knet('status', '--data-dir', data);
    assert.equal(st0.code, 1);
    assert.equal(st0.stdout.trim(), `knet is not running (data dir ${data})`);
    const up = await sb.knet('up', '--detach', '--api-port', '0', '--data-dir', data, '--kubeconfig', kc);
    assert.equal(up.code, 0, up.stderr);
    assert.match(up.stdout, new RegExp(String.raw`^knet is ready: https://127\.0\.0\.1:\d+ \(pid \d+, context knet-one, log .*knet\.log\); stop it with: ${knetCmd} down --data-dir `));
    const nodes = await sb.kubectl('--kubeconfig', kc, 'get', 'nodes', '-o', 'name');
    assert.equal(nodes.code, 0, nodes.stderr);
    assert.equal(nodes.stdout.trim(), 'node/knet-control-plane');
    const info = runInfo(data);
    const st = await sb.knet('status', '--data-dir', data);
    assert.equal(st.code, 0);
    assert.match(st.stdout, new RegExp(`^knet is running: https://127\\.0\\.0\\.1:${info.apiPort}\\n`));
    assert.match(st.stdout, new RegExp(`pid: +${info.pid}\\n`));
    const down = await sb.knet('down', '--data-dir', data);
    assert.equal(down.code, 0, down.stderr);
    assert.equal(down.stdout.trim(), `knet stopped (pid ${info.pid}, data dir ${data})`);
    assert.equal(alive(info.pid), false, 'process gone');
    const st2 = await sb.knet('status', '--data-dir', data);
    assert.equal(st2.code, 1);
    assert.match(st2.stdout, /^knet is not running/);
    const again = await sb.knet('down', '--data-dir', data);
    assert.equal(again.code, 0);
    assert.match(again.stdout, /^knet is not running/);
  });

  it('two clusters side by side with their own data dirs and ports', async () => {
    const dirs = [sb.path('a'), sb.path('b')];
    for (const d of dirs) {
      const up = await sb.knet('up', '-d', '--api-port', '0', '--data-dir', d, '--kubeconfig', `${d}.kubeconfig`);
      assert.equal(up.code, 0, up.stderr);
    }
    const [a, b] = dirs.map(runInfo) as [ReturnType<typeof runInfo>, ReturnType<typeof runInfo>];
    assert.notEqual(a.apiPort, b.apiPort);
    assert.notEqual(a.pid, b.pid);
    for (const d of dirs) {
      const st = await sb.knet('status', '--data-dir', d);
      assert.equal(st.code, 0);
      assert.ok(st.stdout.startsWith(`knet is running: ${runInfo(d).server}\n`), st.stdout);
    }
    // An object made in one cluster is not in the other.
    assert.equal((await sb.kubectl('--kubeconfig', `${dirs[0]}.kubeconfig`, 'create', 'configmap', 'only-a')).code, 0);
    const inB = await sb.kubectl('--kubeconfig', `${dirs[1]}.kubeconfig`, 'get', 'configmap', 'only-a');
    assert.equal(inB.stderr.trim(), 'Error from server (NotFound): configmaps "only-a" not found');
    assert.equal((await sb.knet('down', '--data-dir', dirs[0]!)).code, 0);
    assert.equal(alive(a.pid), false);
    assert.equal((await sb.knet('status', '--data-dir', dirs[0]!)).code, 1);
    assert.equal((await sb.knet('status', '--data-dir', dirs[1]!)).code, 0);
    assert.equal((await sb.kubectl('--kubeconfig', `${dirs[1]}.kubeconfig`, 'get', 'ns', 'default')).code, 0);
    assert.equal((await sb.knet('down', '--data-dir', dirs[1]!)).code, 0);
    assert.equal(alive(b.pid), false);
  });
});

describe('kubeconfig merging without --kubeconfig', () => {
  const sb = new Sandbox();
  after(() => sb.cleanup());

  it('merges a current context into $KUBECONFIG, keeps the others, and down removes it', async () => {
    const other = [
      'apiVersion: v1', 'kind: Config', 'clusters:', '- name: other', '  cluster:', '    server: https://127.0.0.1:1',
      'users:', '- name: other', '  user:', '    token: abc', 'contexts:', '- name: other', '  context:',
      '    cluster: other', '    user: other', '    namespace: team', 'current-context: other', '',
    ].join('\n');
    mkdirSync(sb.path('kube'), { recursive: true });
    writeFileSync(sb.kubeconfig, other);
    const data = sb.path('merged');
    const up = await sb.knet('up', '-d', '--api-port', '0', '--data-dir', data);
    assert.equal(up.code, 0, up.stderr);
    assert.equal((await sb.kubectl('config', 'current-context')).stdout.trim(), 'knet-merged');
    const ctx = squash((await sb.kubectl('config', 'get-contexts')).stdout);
    assert.match(ctx, /^\* knet-merged knet-merged knet-merged$/m);
    assert.match(ctx, /^other other other team$/m);
    const nodes = await sb.kubectl('get', 'nodes', '-o', 'name');
    assert.equal(nodes.stdout.trim(), 'node/knet-control-plane', nodes.stderr);
    const down = await sb.knet('down', '--data-dir', data);
    assert.equal(down.code, 0, down.stderr);
    const cfg = parse(readFileSync(sb.kubeconfig, 'utf8')) as { contexts: { name: string }[]; clusters: { name: string }[]; users: { name: string; user: unknown }[] };
    assert.deepEqual(cfg.contexts.map((c) => c.name), ['other']);
    assert.deepEqual(cfg.clusters.map((c) => c.name), ['other']);
    assert.deepEqual(cfg.users, [{ name: 'other', user: { token: 'abc' } }]);
    assert.notEqual((await sb.kubectl('config', 'current-context')).stdout.trim(), 'knet-merged');
  });
});

describe('errors exit non-zero with a helpful message', () => {
  const sb = new Sandbox();
  let busy: Server;
  let busyPort = 0;
  before(async () => {
    busy = createServer();
    await new Promise<void>((ok) => busy.listen(0, '127.0.0.1', ok));
    busyPort = (busy.address() as { port: number }).port;
  });
  after(async () => { busy.close(); await sb.cleanup(); });

  it('port already in use (foreground and --detach)', async () => {
    const msg = `error: port ${busyPort} on 127.0.0.1 is already in use; choose another with --api-port N (or stop what listens there, e.g. ${knetCmd} down)`;
    for (const extra of [[], ['--detach']]) {
      const r = await sb.knet('up', ...extra, '--ephemeral', '--api-port', String(busyPort), '--data-dir', sb.path('busy'), '--kubeconfig', sb.path('busy.kc'));
      assert.equal(r.code, 1, r.stdout);
      assert.ok(r.stderr.includes(msg), r.stderr);
      assert.equal(existsSync(join(sb.path('busy'), 'knet.run.json')), false);
    }
    assert.equal(existsSync(sb.path('busy.kc')), false, 'no kubeconfig written');
  });

  it('unwritable data dir', async () => {
    writeFileSync(sb.path('regular-file'), 'x');
    const bad = sb.path('regular-file', 'data');
    const r = await sb.knet('up', '--api-port', '0', '--data-dir', bad, '--kubeconfig', sb.path('x.kc'));
    assert.equal(r.code, 1);
    assert.equal(r.stderr.trim(), `error: cannot write to data dir ${bad} (ENOTDIR); choose another with --data-dir DIR or fix its permissions`);
  });

  it('unwritable kubeconfig: the cluster stops again', async () => {
    writeFileSync(sb.path('kc-file'), 'x');
    const data = sb.path('kc-bad');
    const r = await sb.knet('up', '--ephemeral', '--api-port', '0', '--data-dir', data, '--kubeconfig', sb.path('kc-file', 'config'));
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^error: cannot write kubeconfig .*kc-file\/config: (ENOTDIR|EEXIST): .*; choose another file with --kubeconfig FILE$/m);
    assert.equal(existsSync(join(data, 'knet.run.json')), false);
  });

  it('bad flags', async () => {
    const zero = await sb.knet('up', '--nodes', 'zero');
    assert.notEqual(zero.code, 0);
    assert.match(zero.stderr, /^error: option '--nodes <n>' argument 'zero' is invalid\. --nodes must be a whole number from 1 to 100\.$/m);
    const port = await sb.knet('up', '--api-port', '70000');
    assert.notEqual(port.code, 0);
    assert.match(port.stderr, /--api-port must be a whole number from 0 to 65535\./);
    const bogus = await sb.knet('up', '--bogus');
    assert.notEqual(bogus.code, 0);
    assert.match(bogus.stderr, /^error: unknown option '--bogus'$/m);
    const cmd = await sb.knet('upp');
    assert.notEqual(cmd.code, 0);
    assert.match(cmd.stderr, /^error: unknown command 'upp'/m);
  });

  it('a second up on a data dir that is already running', async () => {
    const data = sb.path('twice');
    const first = await sb.knet('up', '-d', '--ephemeral', '--api-port', '0', '--data-dir', data, '--kubeconfig', sb.path('twice.kc'));
    assert.equal(first.code, 0, first.stderr);
    const { pid, server } = runInfo(data);
    for (const extra of [[], ['-d']]) {
      const r = await sb.knet('up', ...extra, '--ephemeral', '--api-port', '0', '--data-dir', data, '--kubeconfig', sb.path('twice.kc'));
      assert.equal(r.code, 1);
      assert.equal(r.stderr.trim(), `knet is already running for data dir ${data} (pid ${pid}, ${server}); stop it with: ${knetCmd} down --data-dir ${data}`);
    }
    assert.equal(runInfo(data).pid, pid, 'the first one is untouched');
    assert.equal((await sb.knet('down', '--data-dir', data)).code, 0);
  });
});

describe('stores: --ephemeral and the durable default', () => {
  const sb = new Sandbox();
  after(() => sb.cleanup());
  const ls = (d: string) => readdirSync(d).sort();

  it('--ephemeral writes nothing in the data dir but the run file (and the log when detached)', async () => {
    const fg = sb.path('eph-fg');
    const { proc } = await sb.upForeground('--ephemeral', '--api-port', '0', '--data-dir', fg, '--kubeconfig', sb.path('eph.kc'));
    assert.equal((await sb.kubectl('--kubeconfig', sb.path('eph.kc'), 'create', 'configmap', 'c')).code, 0);
    assert.deepEqual(ls(fg), ['knet.run.json']);
    proc.kill('SIGTERM');
    assert.equal(await exited(proc), 0);
    assert.deepEqual(ls(fg), []);
    const bg = sb.path('eph-bg');
    assert.equal((await sb.knet('up', '-d', '--ephemeral', '--api-port', '0', '--data-dir', bg, '--kubeconfig', sb.path('eph.kc'))).code, 0);
    assert.equal((await sb.kubectl('--kubeconfig', sb.path('eph.kc'), 'create', 'configmap', 'c')).code, 0);
    assert.deepEqual(ls(bg), ['knet.log', 'knet.run.json']);
    assert.equal((await sb.knet('down', '--data-dir', bg)).code, 0);
    assert.deepEqual(ls(bg), ['knet.log']);
  });

  it('the durable default keeps objects across a restart', async () => {
    const data = sb.path('durable');
    const kc = sb.path('durable.kc');
    const start = async () => assert.equal((await sb.knet('up', '-d', '--api-port', '0', '--data-dir', data, '--kubeconfig', kc)).code, 0);
    await start();
    const c = await sb.kubectl('--kubeconfig', kc, 'create', 'configmap', 'kept', '--from-literal=k=v');
    assert.equal(c.stdout.trim(), 'configmap/kept created', c.stderr);
    assert.equal((await sb.knet('down', '--data-dir', data)).code, 0);
    await start();
    const g = await sb.kubectl('--kubeconfig', kc, 'get', 'configmap', 'kept', '-o', 'jsonpath={.data.k}');
    assert.equal(g.stdout, 'v', g.stderr);
    assert.equal((await sb.knet('down', '--data-dir', data)).code, 0);
  });
});

describe('knet up --nodes 3', () => {
  const sb = new Sandbox();
  after(() => sb.cleanup());

  it('registers three Ready nodes with kind-like names', async () => {
    const data = sb.path('three');
    const kc = sb.path('three.kc');
    assert.equal((await sb.knet('up', '-d', '--ephemeral', '--nodes', '3', '--api-port', '0', '--data-dir', data, '--kubeconfig', kc)).code, 0);
    const r = await sb.kubectl('--kubeconfig', kc, 'get', 'nodes');
    assert.equal(r.code, 0, r.stderr);
    const rows = squash(r.stdout).split('\n').map((l) => l.split(' ').slice(0, 3).join(' '));
    assert.deepEqual(rows, ['NAME STATUS ROLES', 'knet-control-plane Ready control-plane', 'knet-worker Ready <none>', 'knet-worker2 Ready <none>']);
  });
});

describe('knet habits (issue 11): --version, status, the previous context, naming bin/knet, the tainted control plane', () => {
  const sb = new Sandbox();
  after(() => sb.cleanup());

  it('knet --version prints the package version', async () => {
    const r = await sb.knet('--version');
    assert.equal(r.code, 0, r.stderr);
    const { version } = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string };
    assert.equal(r.stdout.trim(), `knet v${version} (node ${process.version}, ${process.platform}/${process.arch})`);
  });

  it('status prints the API URL, the DNS port and the address blocks; down gives back the context that was current', async () => {
    const data = sb.path('habits');
    // The user's kubeconfig already has a current context (as after `kind create cluster`).
    mkdirSync(sb.path('kube'), { recursive: true });
    writeFileSync(sb.kubeconfig, 'apiVersion: v1\nkind: Config\nclusters: [{name: kind-kind, cluster: {server: "https://127.0.0.1:1"}}]\n'
      + 'users: [{name: kind-kind, user: {}}]\ncontexts: [{name: kind-kind, context: {cluster: kind-kind, user: kind-kind}}]\ncurrent-context: kind-kind\n');
    const up = await sb.knet('up', '-d', '--ephemeral', '--api-port', '0', '--dns-port', '0', '--no-ingress', '--data-dir', data);
    assert.equal(up.code, 0, up.stderr);
    assert.equal((await sb.kubectl('config', 'current-context')).stdout.trim(), 'knet-habits');
    const info = runInfo(data) as ReturnType<typeof runInfo> & { dnsPort: number };
    const st = await sb.knet('status', '--data-dir', data);
    assert.equal(st.code, 0, st.stderr);
    assert.match(st.stdout, new RegExp(`\\n  API: +${info.server.replace(/\./g, '\\.')}\\n`));
    assert.ok(info.dnsPort > 0);
    assert.match(st.stdout, new RegExp(`\\n  DNS: +127\\.0\\.0\\.1:${info.dnsPort} \\(dig @127\\.0\\.0\\.1 -p ${info.dnsPort} kubernetes\\.default\\.svc\\.cluster\\.local\\)\\n`));
    assert.match(st.stdout, /\n {2}addresses: +pods 10\.244\.0\.0\/16, Services 10\.96\.0\.0\/12 /);
    const dig = await runCommand('dig', ['+short', '@127.0.0.1', '-p', String(info.dnsPort), 'kubernetes.default.svc.cluster.local']);
    assert.equal(dig.stdout.trim(), '10.96.0.1', 'the printed DNS port answers');
    const down = await sb.knet('down', '--data-dir', data);
    assert.equal(down.code, 0, down.stderr);
    assert.equal((await sb.kubectl('config', 'current-context')).stdout.trim(), 'kind-kind');
    assert.deepEqual((await sb.kubectl('config', 'get-contexts', '-o', 'name')).stdout.trim().split('\n'), ['kind-kind']);
  });

  it('messages name the command as the user can run it: bin/knet from the checkout, knet once it is on PATH', async () => {
    const data = sb.path('naming');
    const kc = sb.path('naming.kc');
    assert.equal((await sb.knet('status', '--data-dir', data)).code, 1, 'not running yet (and the sandbox stops it at the end)');
    const withoutKnet = { ...sb.env, PATH: '/usr/local/bin:/usr/bin:/bin' };
    const a = await runCommand(nodeBin, [knetMain, 'up', '-d', '--ephemeral', '--api-port', '0', '--no-ingress', '--data-dir', data, '--kubeconfig', kc], { env: withoutKnet, cwd: repoRoot });
    assert.equal(a.code, 0, a.stderr);
    assert.match(a.stdout, / stop it with: bin\/knet down --data-dir /);
    const shim = sb.path('onpath');
    mkdirSync(shim);
    symlinkSync(join(repoRoot, 'bin', 'knet'), join(shim, 'knet'));
    const b = await runCommand(nodeBin, [knetMain, 'up', '--api-port', '0', '--data-dir', data], { env: { ...withoutKnet, PATH: `${shim}:${withoutKnet.PATH}` }, cwd: repoRoot });
    assert.equal(b.code, 1);
    assert.match(b.stderr, / stop it with: knet down --data-dir /);
    const bin = await runCommand(join(shim, 'knet'), ['down', '--data-dir', data], { env: withoutKnet });
    assert.equal(bin.code, 0, bin.stderr);
  });

  it('with workers, the control plane is tainted NoSchedule as on kind: a Deployment lands on the workers; events in the kubelet\'s order', async () => {
    const data = sb.path('taint');
    const kc = sb.path('taint.kc');
    assert.equal((await sb.knet('up', '-d', '--ephemeral', '--nodes', '3', '--api-port', '0', '--no-ingress', '--data-dir', data, '--kubeconfig', kc)).code, 0);
    const k = (...a: string[]) => sb.kubectl('--kubeconfig', kc, ...a);
    const taints = await k('get', 'node', 'knet-control-plane', '-o', 'jsonpath={.spec.taints}');
    assert.equal(taints.stdout, '[{"effect":"NoSchedule","key":"node-role.kubernetes.io/control-plane"}]', taints.stderr);
    assert.equal((await k('create', 'deployment', 'web', '--image=nginx', '--replicas=4')).code, 0);
    assert.equal((await k('rollout', 'status', 'deployment/web', '--timeout=60s')).code, 0);
    const nodes = await k('get', 'pods', '-l', 'app=web', '-o', 'jsonpath={.items[*].spec.nodeName}');
    assert.deepEqual([...new Set(nodes.stdout.split(' '))].sort(), ['knet-worker', 'knet-worker2'], nodes.stdout);
    const pod = nodes.stdout && (await k('get', 'pods', '-l', 'app=web', '-o', 'jsonpath={.items[0].metadata.name}')).stdout;
    const ev = await k('get', 'events', '--field-selector', `involvedObject.name=${pod}`, '-o', 'jsonpath={range .items[*]}{.reason}{" "}{end}');
    assert.deepEqual(ev.stdout.trim().split(' '), ['Scheduled', 'Pulled', 'Created', 'Started'], 'listed in the order they happened (Scheduled first)');
    const dns = await k('get', 'pods', '-n', 'kube-system', '-l', 'k8s-app=kube-dns', '-o', 'jsonpath={.items[*].status.phase}');
    assert.match(dns.stdout, /^Running( Running)*$/, 'CoreDNS tolerates the taint');
    // Server-side dry run shows node ports a real create could get (in 30000-32767), reserving none.
    const dry = await k('create', 'service', 'nodeport', 'np', '--tcp=80', '--dry-run=server', '-o', 'jsonpath={.spec.ports[0].nodePort}');
    assert.equal(dry.code, 0, dry.stderr);
    assert.ok(Number(dry.stdout) >= 30000 && Number(dry.stdout) <= 32767, dry.stdout);
  });
});
