// End-to-end fault matrix (issue 10): SIGKILL in the middle of concurrent writes, a namespace
// deletion and a rollout (after the restart nothing acknowledged is lost, the deletion and the
// rollout complete); a full disk under the store, on a tiny tmpfs when this machine lets us mount
// one and always with the store's simulated ENOSPC (KNET_TEST_STORE_FULL_FILE): writes fail with a
// 500 Status (kube-apiserver answers 500 when etcd refuses a write: "etcdserver: mvcc: database
// space exceeded"), reads keep working, nothing acknowledged is lost, writes succeed again when
// space returns.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import https from 'node:https';
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { Knet, until } from './harness.js';
import { client, jsonBody, loadCreds, type RawResponse } from './rawhttp.js';
import { STORE_SPACE_RESERVE } from '../../src/store/durable.js';
import { STORE_FULL_FILE_ENV } from '../../src/store/index.js';

const cm = (ns: string, name: string, pad = 200) => jsonBody({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns }, data: { pad: 'x'.repeat(pad) } });
const api = (knet: Knet) => client(knet.port, loadCreds(knet.kubeconfig));

/** Names of the ConfigMaps in a namespace, through the API. */
async function names(knet: Knet, ns = 'default'): Promise<Set<string>> {
  const r = await api(knet)('GET', `/api/v1/namespaces/${ns}/configmaps`);
  assert.equal(r.status, 200, r.text);
  return new Set((r.json as { items: { metadata: { name: string } }[] }).items.map((i) => i.metadata.name));
}

/** Creates ConfigMaps `prefix-N`, 8 at a time, until stop() or the server goes away; the names acknowledged with 201. */
function writeLoop(knet: Knet, prefix: string): { acked: string[]; stop: () => Promise<void> } {
  const agent = new https.Agent({ keepAlive: true, maxSockets: 8 });
  const req = api(knet);
  const acked: string[] = [];
  let stopped = false;
  let next = 0;
  const worker = async () => {
    while (!stopped) {
      const name = `${prefix}-${next++}`;
      try {
        const r = await req('POST', '/api/v1/namespaces/default/configmaps', { ...cm('default', name), agent, timeoutMs: 10_000 });
        if (r.status === 201) acked.push(name);
      } catch { stopped = true; } // the server is gone
    }
  };
  const all = Promise.all(Array.from({ length: 8 }, worker));
  return { acked, stop: async () => { stopped = true; await all; agent.destroy(); } };
}

const WEB = (image: string) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 4
  selector: {matchLabels: {app: web}}
  strategy: {rollingUpdate: {maxSurge: 1, maxUnavailable: 1}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: nginx
        image: ${image}
        readinessProbe: {httpGet: {path: /, port: 80}, initialDelaySeconds: 1, periodSeconds: 1}
`;

describe('fault matrix', () => {
  const dirs = new Set<string>();
  after(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

  it('SIGKILL during writes, a namespace deletion and a rollout, 3 rounds: nothing acknowledged is lost, both complete after the restart', { timeout: 240_000 }, async (t) => {
    let knet = await new Knet(['--durable']).start();
    dirs.add(knet.dir);
    assert.equal((await knet.kubectl(['apply', '-f', '-'], { input: WEB('nginx') })).code, 0);
    assert.equal((await knet.kubectl(['rollout', 'status', 'deploy/web', '--timeout=60s'])).code, 0);
    const acked: string[] = [];
    for (const [round, image] of ['nginx:1.27', 'nginx:1.26', 'nginx'].entries()) {
      const k = (...args: string[]) => knet.kubectl(args);
      const doomed = `doomed-${round}`;
      assert.equal((await k('create', 'namespace', doomed)).code, 0);
      assert.equal((await k('create', 'deployment', 'sleepers', '-n', doomed, '--image=busybox', '--replicas=3', '--', 'sleep', '3600')).code, 0);
      assert.equal((await k('create', 'service', 'clusterip', 'svc', '-n', doomed, '--tcp=80')).code, 0);
      const req = api(knet);
      await Promise.all(Array.from({ length: 40 }, (_, i) => req('POST', `/api/v1/namespaces/${doomed}/configmaps`, cm(doomed, `c${i}`))));
      const held = await req('POST', `/api/v1/namespaces/${doomed}/configmaps`, jsonBody({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'held', finalizers: ['faults.knet.test/hold'] } }));
      assert.equal(held.status, 201, held.text);

      const writes = writeLoop(knet, `r${round}`);
      await until('first acknowledged write', async () => (writes.acked.length > 0 ? true : undefined));
      assert.equal((await knet.kubectl(['apply', '-f', '-'], { input: WEB(image) })).code, 0);
      assert.equal((await k('delete', 'namespace', doomed, '--wait=false')).code, 0);
      const delay = 100 + Math.floor(Math.random() * 900);
      await new Promise((r) => setTimeout(r, delay));
      const dep = (await req('GET', '/apis/apps/v1/namespaces/default/deployments/web')).json as { status: { updatedReplicas?: number; availableReplicas?: number } };
      assert.equal(await knet.stop('SIGKILL'), null);
      await writes.stop();
      acked.push(...writes.acked);
      t.diagnostic(`round ${round}: killed ${delay} ms into the rollout (updated ${dep.status.updatedReplicas ?? 0}, available ${dep.status.availableReplicas ?? 0}) with ${writes.acked.length} writes acknowledged`);

      knet = await new Knet(['--durable'], { dir: knet.dir }).start();
      const have = await names(knet);
      assert.deepEqual(acked.filter((n) => !have.has(n)), [], `round ${round}: acknowledged writes survive`);
      const ns = await knet.kubectl(['get', 'namespace', doomed, '-o', 'jsonpath={.status.phase}']);
      assert.equal(ns.stdout, 'Terminating', 'the deletion is still under way (a finalizer holds it)');
      const rollout = await knet.kubectl(['rollout', 'status', 'deploy/web', '--timeout=60s']);
      assert.equal(rollout.code, 0, rollout.stdout + rollout.stderr);
      const img = await knet.kubectl(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.template.spec.containers[0].image} {.status.readyReplicas} {.status.updatedReplicas}']);
      assert.equal(img.stdout, `${image} 4 4`);
      await until(`only the held ConfigMap left in ${doomed}`, async () => ((await names(knet, doomed)).size === 1 ? true : undefined), 60_000);
      const unhold = await knet.kubectl(['patch', 'configmap', 'held', '-n', doomed, '--type=merge', '-p', '{"metadata":{"finalizers":null}}']);
      assert.equal(unhold.code, 0, unhold.stderr);
      const gone = await knet.kubectl(['wait', '--for=delete', `namespace/${doomed}`, '--timeout=60s']);
      assert.equal(gone.code, 0, gone.stdout + gone.stderr);
    }
    assert.equal(await knet.stop('SIGTERM'), 0);
  });

  /** Fills the disk, checks that writes fail with 500 and reads go on, frees it, checks recovery and a SIGKILL restart. */
  async function fullDisk(t: { diagnostic(m: string): void }, knet: Knet, fill: () => Promise<string[]>, free: () => void): Promise<void> {
    const req = api(knet);
    const before: string[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await req('POST', '/api/v1/namespaces/default/configmaps', cm('default', `before-${i}`));
      assert.equal(r.status, 201, r.text);
      before.push(`before-${i}`);
    }
    const filled = await fill();
    const refused: RawResponse = await req('POST', '/api/v1/namespaces/default/configmaps', cm('default', 'refused', 300_000));
    assert.equal(refused.status, 500, refused.text);
    const st = refused.json as Record<string, unknown>;
    assert.deepEqual([st['kind'], st['status'], st['code'], st['reason']], ['Status', 'Failure', 500, undefined]);
    assert.match(String(st['message']), /^store: the write was not kept: No space left on device/);
    const pad = join(knet.dir, 'pad.txt');
    writeFileSync(pad, 'y'.repeat(300_000));
    const kc = await knet.kubectl(['create', 'configmap', 'refused2', `--from-file=pad=${pad}`]);
    assert.equal(kc.code, 1);
    assert.match(kc.stderr, /^error: failed to create configmap: store: the write was not kept: No space left on device/);
    const listed = await knet.kubectl(['get', 'configmaps', '-o', 'name']);
    assert.equal(listed.code, 0, listed.stderr);
    for (const n of [...before, ...filled]) assert.match(listed.stdout, new RegExp(`^configmap/${n}$`, 'm'));
    assert.doesNotMatch(listed.stdout, /refused/);
    t.diagnostic(`${filled.length} large writes acknowledged before the disk was full`);

    free();
    const back = await req('POST', '/api/v1/namespaces/default/configmaps', cm('default', 'after', 300_000));
    assert.equal(back.status, 201, back.text);
    const dep = await knet.kubectl(['create', 'deployment', 'after', '--image=nginx']);
    assert.equal(dep.code, 0, dep.stderr);
    assert.equal((await knet.kubectl(['rollout', 'status', 'deploy/after', '--timeout=60s'])).code, 0, 'the controllers work again');
    assert.equal(await knet.stop('SIGKILL'), null);
    const again = await new Knet(['--durable'], { dir: knet.dir }).start();
    const have = await names(again);
    assert.deepEqual([...before, ...filled, 'after'].filter((n) => !have.has(n)), [], 'acknowledged writes survive');
    assert.ok(!have.has('refused') && !have.has('refused2'));
    assert.equal(await again.stop('SIGTERM'), 0);
  }

  it('a full disk (simulated ENOSPC in the store): 500, reads go on, recovery', { timeout: 120_000 }, async (t) => {
    const flag = join(mkdtempSync(join(tmpdir(), 'knet-full-')), 'full');
    dirs.add(join(flag, '..'));
    process.env[STORE_FULL_FILE_ENV] = flag; // the child inherits it when start() spawns it, synchronously
    const starting = new Knet(['--durable']).start();
    delete process.env[STORE_FULL_FILE_ENV];
    const knet = await starting;
    dirs.add(knet.dir);
    await fullDisk(t, knet, async () => { writeFileSync(flag, ''); return []; }, () => unlinkSync(flag));
  });

  const mountable = (() => {
    const probe = mkdtempSync(join(tmpdir(), 'knet-tmpfs-probe-'));
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', probe], { stdio: 'ignore' });
      execFileSync('umount', [probe], { stdio: 'ignore' });
      return true;
    } catch { return false; } finally { rmSync(probe, { recursive: true, force: true }); }
  })();

  it('a full disk (a tmpfs the store fills): 500, reads go on, recovery', { timeout: 120_000, skip: !mountable && 'mounting a tmpfs needs root (the simulated ENOSPC covers this)' }, async (t) => {
    const knet = new Knet(['--durable']);
    const data = join(knet.dir, 'data');
    mkdirSync(data);
    const size = (bytes: number) => execFileSync('mount', ['-o', `remount,size=${bytes}`, data]);
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${STORE_SPACE_RESERVE + (3 << 20)}`, 'tmpfs', data]);
    try {
      await knet.start();
      await fullDisk(t, knet, async () => {
        const req = api(knet);
        const filled: string[] = [];
        for (let i = 0; i < 40; i++) {
          const r = await req('POST', '/api/v1/namespaces/default/configmaps', cm('default', `big-${i}`, 250_000));
          if (r.status !== 201) { assert.equal(r.status, 500, r.text); return filled; }
          filled.push(`big-${i}`);
        }
        assert.fail('40 writes of 250 kB fitted in 3 MiB');
      }, () => size(64 << 20));
    } finally {
      await knet.stop('SIGKILL');
      execFileSync('umount', ['-l', data]);
      dirs.add(knet.dir);
    }
  });
});
