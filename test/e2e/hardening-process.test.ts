// End-to-end (issue 10, findings 1, 6, 10, 11): the data dir is owner-only under umask 022; a
// killed knet that is a zombie does not hold the data dir; `knet down`/`up` and a crash behave as
// a node reboot (pod IPs kept, restartCount + 1, SandboxChanged, Never pods end Failed); `knet
// down` with many pods finishes under its deadline, pods getting their grace.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect } from 'node:net';
import { Knet, knetMain, nodeBin, runCommand, until, type Run } from './harness.js';
import { processState } from '../../src/runtime/liveness.js';
import { readRunInfo } from '../../src/runtime/state.js';
import { DOWN_DEADLINE_MS, POD_SHUTDOWN_GRACE_MS } from '../../src/runtime/shutdown.js';

const cli = (...args: string[]): Promise<Run> => runCommand(nodeBin, [knetMain, ...args], { timeoutMs: 60_000 });
const mode = (p: string): string => (statSync(p).mode & 0o777).toString(8);
const dataOf = (k: Knet): string => join(k.dir, 'data');

/** Every path below dir (depth first). */
function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    return e.isDirectory() ? [p, ...walk(p)] : [p];
  });
}

/** The pod as JSON. */
async function pod(k: Knet, name: string): Promise<{ status: Record<string, unknown> & { phase?: string; podIP?: string; containerStatuses?: Record<string, unknown>[] } }> {
  const r = await k.kubectl(['get', 'pod', name, '-o', 'json']);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as never;
}

describe('hardening: the knet process', () => {
  const cleanups: (() => Promise<unknown> | void)[] = [];
  after(async () => { for (const c of cleanups.reverse()) await c(); });

  it('finding 1: under umask 022 the data dir and knet\'s folders are 0700, its files 0600 (store, lmdb files, run file, log, pki, kubeconfig), and an older wide data dir is narrowed', async () => {
    const k = new Knet();
    cleanups.push(() => rmSync(k.dir, { recursive: true, force: true }));
    const data = dataOf(k);
    mkdirSync(join(data, 'store'), { recursive: true });
    chmodSync(data, 0o755); // as an older knet left it
    chmodSync(join(data, 'store'), 0o755);
    writeFileSync(join(data, 'notes.txt'), 'mine', { mode: 0o644 });
    const old = process.umask(0o022);
    let up: Run;
    try {
      up = await cli('up', '--detach', '--api-port', '0', '--data-dir', data, '--kubeconfig', k.kubeconfig, '--no-ingress');
    } finally {
      process.umask(old);
    }
    cleanups.push(() => cli('down', '--data-dir', data));
    assert.equal(up.code, 0, up.stdout + up.stderr);
    assert.match(up.stdout, new RegExp(`^knet: data dir ${data}: 2 files and folders were open to other users; they are owner-only now \\(folders 0700, files 0600\\)$`, 'm'));
    assert.equal((await k.kubectl(['create', 'secret', 'generic', 's', '--from-literal=password=hunter2'])).code, 0);
    const mine = join(data, 'notes.txt');
    const paths = [data, ...walk(data)].filter((p) => p !== mine);
    for (const f of ['store', 'store/data.mdb', 'store/lock.mdb', 'store/knet.lock', 'knet.run.json', 'knet.log', 'host-network.json', 'pki', 'pki/ca.key']) {
      assert.ok(paths.includes(join(data, f)), `${f} exists`);
    }
    const wrong = paths.filter((p) => mode(p) !== (statSync(p).isDirectory() ? '700' : '600')).map((p) => `${mode(p)} ${p}`);
    assert.deepEqual(wrong, [], 'folders 0700, files 0600');
    assert.equal(mode(k.kubeconfig), '600');
    assert.equal(mode(mine), '644', 'a file of the user\'s in the data dir is left alone');
    const down = await cli('down', '--data-dir', data);
    assert.equal(down.code, 0, down.stderr);
  });

  it('finding 6: a killed knet that its parent has not reaped (a zombie) holds nothing: status says not running and up takes the data dir', async () => {
    const k = new Knet(['--durable']);
    const data = dataOf(k);
    // sh starts knet, prints its pid and becomes a sleep that never reaps it.
    const upArgs = [knetMain, 'up', '--api-port', '0', '--data-dir', data, '--kubeconfig', k.kubeconfig, '--no-ingress'];
    const reaper: ChildProcess = spawn('sh', ['-c', '"$@" >/dev/null 2>&1 & echo $!; exec sleep 120', 'sh', nodeBin, ...upArgs], { stdio: ['ignore', 'pipe', 'ignore'] });
    cleanups.push(() => k.cleanup(), () => { reaper.kill('SIGKILL'); });
    const pid = await new Promise<number>((ok) => reaper.stdout!.once('data', (d: Buffer) => ok(Number(d.toString().trim()))));
    await until('the first knet is ready', async () => (readRunInfo(data)?.pid === pid ? true : undefined), 30_000);
    process.kill(pid, 'SIGKILL');
    await until('it is a zombie', async () => (processState(pid) === 'Z' ? true : undefined), 5000, 20);
    const st = await cli('status', '--data-dir', data);
    assert.equal(st.code, 1);
    assert.equal(st.stdout.trim(), `knet is not running (data dir ${data})`);
    await k.start(); // before the fix: "data directory … is locked by another running process (pid …)"
    assert.equal(processState(pid), 'Z', 'the zombie is still there');
    const again = await cli('status', '--data-dir', data);
    assert.equal(again.code, 0, again.stdout);
    assert.match(again.stdout, /^knet is running: https:\/\/127\.0\.0\.1:\d+\n {2}pid: {8}(\d+)$/m);
    assert.notEqual(Number(/pid: +(\d+)/.exec(again.stdout)?.[1]), pid);
    assert.equal((await k.kubectl(['get', 'ns', 'default', '-o', 'name'])).stdout.trim(), 'namespace/default');
  });

  it('finding 10: down/up and a crash are node reboots: pod IPs kept, restartCount + 1 with SandboxChanged, a Never pod ends Failed', async () => {
    let k = await new Knet(['--durable']).start();
    const dir = k.dir;
    cleanups.push(() => k.cleanup());
    const kc = (...args: string[]) => k.kubectl(args);
    assert.equal((await kc('run', 'web', '--image=nginx')).code, 0);
    assert.equal((await kc('run', 'client', '--image=busybox', '--', 'sleep', '3600')).code, 0);
    assert.equal((await kc('run', 'once', '--image=busybox', '--restart=Never', '--', 'sleep', '3600')).code, 0);
    const ready = await kc('wait', '--for=condition=Ready', 'pod/web', 'pod/client', 'pod/once', '--timeout=60s');
    assert.equal(ready.code, 0, ready.stderr);
    const ips = { web: (await pod(k, 'web')).status.podIP, client: (await pod(k, 'client')).status.podIP };

    const down = await cli('down', '--data-dir', dataOf(k));
    assert.equal(down.code, 0, down.stderr);
    k = await new Knet(['--durable'], { dir }).start();
    const web = await until('web runs again', async () => {
      const p = await pod(k, 'web');
      return p.status.phase === 'Running' && p.status.containerStatuses?.[0]?.['restartCount'] === 1 && p.status.containerStatuses[0]['ready'] ? p : undefined;
    });
    assert.equal(web.status.podIP, ips.web, 'the pod IP survives');
    assert.equal((await pod(k, 'client')).status.podIP, ips.client);
    const last = (web.status.containerStatuses?.[0]?.['lastState'] as { terminated?: Record<string, unknown> }).terminated;
    assert.equal(last?.['exitCode'], 255);
    assert.equal(last?.['reason'], 'Unknown');
    const events = await kc('get', 'events', '--field-selector', 'involvedObject.name=web,reason=SandboxChanged', '-o', 'jsonpath={.items[*].message}');
    assert.equal(events.stdout, 'Pod sandbox changed, it will be killed and re-created.');
    const once = await until('the Never pod ends', async () => { const p = await pod(k, 'once'); return p.status.phase === 'Failed' ? p : undefined; });
    const cs = once.status.containerStatuses?.[0] as { restartCount: number; state: { terminated?: { exitCode: number; reason: string } } };
    assert.deepEqual([cs.restartCount, cs.state.terminated?.exitCode, cs.state.terminated?.reason], [0, 255, 'Unknown']);
    await until('client runs', async () => ((await pod(k, 'client')).status.containerStatuses?.[0]?.['ready'] ? true : undefined));
    const get = await kc('exec', 'client', '--', 'wget', '-q', '-O', '-', `http://${ips.web}`);
    assert.match(get.stdout, /Welcome to nginx!/, `curl <pod-ip> keeps working: ${get.stderr}`);
    assert.equal((await kc('run', 'late', '--image=nginx')).code, 0);
    const late = await until('late gets an IP', async () => (await pod(k, 'late')).status.podIP);
    assert.ok(late !== ips.web && late !== ips.client, `a new pod (${late}) never takes a kept IP`);

    assert.equal(await k.stop('SIGKILL'), null); // a crash
    k = await new Knet(['--durable'], { dir }).start();
    const crashed = await until('web runs after the crash', async () => {
      const p = await pod(k, 'web');
      return p.status.containerStatuses?.[0]?.['restartCount'] === 2 && p.status.containerStatuses[0]['ready'] ? p : undefined;
    });
    assert.equal(crashed.status.podIP, ips.web);
    assert.equal((await pod(k, 'once')).status.phase, 'Failed', 'a Failed pod stays Failed');
  });

  it(`finding 11: knet down with 30 pods that ignore SIGTERM, just after a namespace deletion and with an idle API client, gives them grace (${POD_SHUTDOWN_GRACE_MS / 1000} s at most) and stops under its ${DOWN_DEADLINE_MS / 1000} s deadline`, async () => {
    const k = await new Knet().start();
    cleanups.push(() => k.cleanup());
    const kc = (...args: string[]) => k.kubectl(args);
    assert.equal((await kc('create', 'namespace', 'many')).code, 0);
    // agnhost serve-hostname keeps serving for 60 s after SIGTERM; the default grace period is 30 s.
    assert.equal((await kc('-n', 'many', 'create', 'deployment', 'hold', '--image=registry.k8s.io/e2e-test-images/agnhost:2.53', '--replicas=30', '--', '/agnhost', 'serve-hostname')).code, 0);
    assert.equal((await kc('create', 'deployment', 'stay', '--image=registry.k8s.io/e2e-test-images/agnhost:2.53', '--', '/agnhost', 'serve-hostname')).code, 0);
    const st = await kc('-n', 'many', 'rollout', 'status', 'deployment/hold', '--timeout=60s');
    assert.equal(st.code, 0, st.stderr);
    assert.equal((await kc('rollout', 'status', 'deployment/stay', '--timeout=60s')).code, 0);
    assert.equal((await kc('delete', 'namespace', 'many', '--wait=false')).code, 0);
    // A client that connected to the API server and never sent a byte: before the fix the server's close waited for it.
    const idle = connect(k.port, '127.0.0.1');
    idle.on('error', () => undefined);
    cleanups.push(() => { idle.destroy(); });
    const t0 = Date.now();
    const down = await cli('down', '--data-dir', dataOf(k));
    const took = Date.now() - t0;
    assert.equal(down.code, 0, down.stderr);
    assert.match(down.stdout.trim(), /^knet stopped \(pid \d+, data dir .*\)$/);
    assert.equal(down.stderr, '');
    assert.ok(took < DOWN_DEADLINE_MS - 1000, `down took ${took} ms`);
    assert.ok(took >= POD_SHUTDOWN_GRACE_MS - 500, `the pods got their grace (down took ${took} ms)`);
    assert.match(k.output, /knet: SIGTERM received, shutting down\nknet stopped\n/);
  });
});
