// End-to-end: with the durable (lmdb) store, every create acknowledged with 201 survives a SIGKILL
// at a random moment, and a clean SIGTERM exits 0 and keeps everything.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import https from 'node:https';
import { rmSync } from 'node:fs';
import { Knet } from './harness.js';
import { client, jsonBody, loadCreds } from './rawhttp.js';

const seed = Number(process.env['KNET_E2E_SEED'] ?? Date.now() % 1_000_000);
let state = seed;
/** A small deterministic PRNG (mulberry32) so a failing run can be repeated with KNET_E2E_SEED. */
function rand(): number {
  state = (state + 0x6d2b79f5) | 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

/** Names of the ConfigMaps in namespace default, through the API. */
async function names(knet: Knet): Promise<Set<string>> {
  const req = client(knet.port, loadCreds(knet.kubeconfig));
  const r = await req('GET', '/api/v1/namespaces/default/configmaps');
  assert.equal(r.status, 200, r.text);
  return new Set((r.json as { items: { metadata: { name: string } }[] }).items.map((i) => i.metadata.name));
}

/** Creates ConfigMaps with `inflight` concurrent requests, SIGKILLs knet 300-800 ms after the first 201, returns the acknowledged names. */
async function hammer(knet: Knet, round: number, inflight: number): Promise<{ acked: string[]; sent: number }> {
  const agent = new https.Agent({ keepAlive: true, maxSockets: inflight });
  const req = client(knet.port, loadCreds(knet.kubeconfig));
  const acked: string[] = [];
  let next = 0;
  let stop = false;
  const worker = async () => {
    while (!stop) {
      const name = `r${round}-${next++}`;
      try {
        const r = await req('POST', '/api/v1/namespaces/default/configmaps',
          { ...jsonBody({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { n: name, pad: 'x'.repeat(200) } }), agent, timeoutMs: 5000 });
        if (r.status === 201) acked.push(name);
        else { assert.fail(`unexpected ${r.status} for ${name}: ${r.text}`); }
      } catch (e) {
        if ((e as Error).name === 'AssertionError') throw e;
        stop = true; // connection refused/reset: the server is gone
      }
    }
  };
  const workers = Array.from({ length: inflight }, worker);
  const deadline = Date.now() + 20_000;
  while (acked.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10)); // load may slow the start
  const delay = 300 + Math.floor(rand() * 500);
  await new Promise((r) => setTimeout(r, delay));
  const code = await knet.stop('SIGKILL');
  assert.equal(code, null, 'killed by a signal');
  await Promise.all(workers);
  agent.destroy();
  return { acked, sent: next };
}

describe(`durability (seed ${seed})`, () => {
  const dirs = new Set<string>();
  after(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

  it('every acknowledged create survives SIGKILL and restart, over 3 rounds', async (t) => {
    let knet = await new Knet(['--durable']).start();
    dirs.add(knet.dir);
    const all: string[] = [];
    for (let round = 0; round < 3; round++) {
      const { acked, sent } = await hammer(knet, round, 8);
      assert.ok(acked.length > 0, `round ${round}: some creates were acknowledged (${sent} sent)`);
      all.push(...acked);
      t.diagnostic(`round ${round}: ${acked.length} acknowledged of ${sent} sent`);
      knet = await new Knet(['--durable'], { dir: knet.dir }).start();
      const have = await names(knet);
      const missing = all.filter((n) => !have.has(n));
      assert.deepEqual(missing, [], `round ${round}: ${missing.length} of ${all.length} acknowledged objects lost (seed ${seed})`);
      // Unacknowledged creates may or may not be there, but nothing else may appear.
      for (const n of have) if (n.startsWith('r')) assert.match(n, /^r\d+-\d+$/);
    }
    const k = await knet.kubectl(['get', 'cm', '-o', 'name']);
    assert.equal(k.code, 0, k.stderr);
    const listed = new Set(k.stdout.trim().split('\n'));
    for (const n of all) assert.ok(listed.has(`configmap/${n}`), `kubectl lists ${n}`);
    assert.equal(await knet.stop('SIGTERM'), 0);
  });

  it('a clean SIGTERM exits 0 and a restart keeps everything, with a later resourceVersion', async () => {
    const knet = await new Knet(['--durable']).start();
    dirs.add(knet.dir);
    for (const n of ['one', 'two', 'three']) {
      const r = await knet.kubectl(['create', 'configmap', n, `--from-literal=k=${n}`]);
      assert.equal(r.code, 0, r.stderr);
    }
    assert.equal((await knet.kubectl(['create', 'namespace', 'kept'])).code, 0);
    assert.equal((await knet.kubectl(['create', 'service', 'clusterip', 'web', '--tcp=80:8080', '-n', 'kept'])).code, 0);
    const before = JSON.parse((await knet.kubectl(['get', 'cm,svc', '-A', '-o', 'json'])).stdout) as { items: { metadata: { name: string; uid: string; resourceVersion: string } }[] };
    assert.equal(await knet.stop('SIGTERM'), 0);

    const again = await new Knet(['--durable'], { dir: knet.dir }).start();
    const after = JSON.parse((await again.kubectl(['get', 'cm,svc', '-A', '-o', 'json'])).stdout) as typeof before;
    const key = (i: (typeof before.items)[number]) => `${i.metadata.name} ${i.metadata.uid} ${i.metadata.resourceVersion}`;
    const afterKeys = new Set(after.items.map(key));
    for (const i of before.items) assert.ok(afterKeys.has(key(i)), `kept ${key(i)}`);
    const svc = await again.kubectl(['get', 'svc', 'web', '-n', 'kept', '-o', 'jsonpath={.spec.ports[0].targetPort}']);
    assert.equal(svc.stdout, '8080');
    const maxBefore = Math.max(...before.items.map((i) => Number(i.metadata.resourceVersion)));
    const c = await again.kubectl(['create', 'configmap', 'four', '-o', 'jsonpath={.metadata.resourceVersion}']);
    assert.ok(Number(c.stdout) > maxBefore, `new resourceVersion ${c.stdout} > ${maxBefore}`);
    assert.equal(await again.stop('SIGTERM'), 0);
  });

  it('SIGTERM exits promptly even after a pod was deleted', async () => {
    const knet = await new Knet(['--durable']).start();
    dirs.add(knet.dir);
    assert.equal((await knet.kubectl(['run', 'p', '--image=nginx'])).code, 0);
    assert.equal((await knet.kubectl(['delete', 'pod', 'p', '--wait=false'])).code, 0);
    await new Promise((r) => setTimeout(r, 500));
    const code = await Promise.race([knet.stop('SIGTERM'), new Promise<string>((r) => setTimeout(() => r('slow'), 5000))]);
    if (code === 'slow') await knet.stop('SIGKILL');
    assert.equal(code, 0, 'exited with 0 within 5 s of SIGTERM');
  });
});
