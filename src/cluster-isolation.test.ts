// Two clusters in one process (issue 7, section 3): each pod's DNS, each coredns pod's /ready and
// each image registry belong to the pod's own Cluster, and stopping one cluster leaves the other working.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import type { KObject } from './api/meta.js';
import { Cluster } from './cluster.js';
import { execInPod } from './node/kubelet/streams.js';
import type { ImageDef } from './images/types.js';

let a: Cluster, b: Cluster;
let bStopped = false;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function exec(c: Cluster, ns: string, pod: string, argv: string[]): Promise<{ code: number; out: string }> {
  const out = new PassThrough();
  let text = '';
  out.on('data', (d: Buffer) => (text += d.toString()));
  const code = await execInPod(c.agent, ns, pod, undefined, argv, { stdin: null, stdout: out, stderr: out, tty: false } as never);
  return { code, out: text };
}

type PodView = KObject & { status?: { podIP?: string; conditions?: { type: string; status: string }[] } };

/** Waits until a pod is Ready and returns its IP. */
async function ready(c: Cluster, ns: string, name: string): Promise<string> {
  for (let i = 0; i < 600; i++) {
    const p = c.client('test').get({ resource: 'pods' }, ns, name) as PodView | undefined;
    if (p?.status?.podIP && p.status.conditions?.some((x) => x.type === 'Ready' && x.status === 'True')) return p.status.podIP;
    await sleep(25);
  }
  throw new Error(`pod ${ns}/${name} never became ready`);
}

/** The Ready coredns pods' IPs (the kubeadm Deployment the cluster bootstraps). */
async function corednsIPs(c: Cluster): Promise<string[]> {
  for (let i = 0; i < 600; i++) {
    const pods = c.client('test').list({ resource: 'pods' }, 'kube-system') as PodView[];
    const ips = pods.filter((p) => p.metadata.labels?.['k8s-app'] === 'kube-dns' && p.status?.conditions?.some((x) => x.type === 'Ready' && x.status === 'True'))
      .map((p) => p.status?.podIP ?? '');
    if (ips.length > 0) return ips;
    await sleep(25);
  }
  throw new Error('no coredns pod became ready');
}

async function setup(c: Cluster, dbIP: string, extra?: string): Promise<void> {
  const cl = c.client('test');
  const svc = (name: string, clusterIP: string): KObject => ({ metadata: { name, namespace: 'default' }, spec: { clusterIP, ports: [{ name: 'http', port: 80 }] } } as KObject);
  await cl.create({ resource: 'services' }, svc('db', dbIP));
  if (extra) await cl.create({ resource: 'services' }, svc(extra, '10.96.200.9'));
  await cl.create({ resource: 'pods' }, { metadata: { name: 'tools', namespace: 'default' }, spec: { nodeName: 'knet-control-plane', containers: [{ name: 'c', image: 'busybox:1.36', command: ['sleep', '3600'] }] } });
  await ready(c, 'default', 'tools');
  await corednsIPs(c);
}

/** busybox nslookup of a name from the cluster's tools pod (through 10.96.0.10, the kube-dns Service). */
function lookup(c: Cluster, name: string): Promise<{ code: number; out: string }> {
  return exec(c, 'default', 'tools', ['nslookup', name]);
}

before(async () => {
  a = await Cluster.start({ ephemeral: true, apiPort: 0, nodes: 1 });
  b = await Cluster.start({ ephemeral: true, apiPort: 0, nodes: 1 });
  await Promise.all([setup(a, '10.96.100.1', 'only-a'), setup(b, '10.96.100.2')]);
});

after(async () => {
  await a?.stop();
  if (!bStopped) await b?.stop();
});

test("a pod resolves a Service name to its own cluster's ClusterIP", async () => {
  const ra = await lookup(a, 'db.default.svc.cluster.local');
  const rb = await lookup(b, 'db.default.svc.cluster.local');
  assert.equal(ra.code, 0, ra.out);
  assert.equal(rb.code, 0, rb.out);
  assert.match(ra.out, /Address:\s+10\.96\.100\.1\b/);
  assert.doesNotMatch(ra.out, /10\.96\.100\.2/);
  assert.match(rb.out, /Address:\s+10\.96\.100\.2\b/);
  assert.doesNotMatch(rb.out, /10\.96\.100\.1/);
  assert.match((await lookup(a, 'only-a.default.svc.cluster.local')).out, /Address:\s+10\.96\.200\.9\b/);
  const missing = await lookup(b, 'only-a.default.svc.cluster.local');
  assert.notEqual(missing.code, 0);
  assert.match(missing.out, /NXDOMAIN/);
});

test("each cluster's handle carries its own DNS handler, and coredns's /ready reads that handle", async () => {
  assert.ok(a.services.dns && b.services.dns);
  assert.notEqual(a.services.dns, b.services.dns);
  const [ipA] = await corednsIPs(a), [ipB] = await corednsIPs(b);
  const readyz = async (c: Cluster, ip: string | undefined): Promise<string> => (await exec(c, 'default', 'tools', ['wget', '-q', '-O', '-', `http://${ip ?? ''}:8181/ready`])).out;
  assert.equal(await readyz(a, ipA), 'OK');
  assert.equal(await readyz(b, ipB), 'OK');
  // Take B's DNS away from its handle: B's coredns stops being ready and answering; A's is untouched.
  const dnsB = b.services.dns;
  delete b.services.dns;
  try {
    assert.match(await readyz(b, ipB), /503/);
    assert.equal(await readyz(a, ipA), 'OK');
    assert.match((await lookup(a, 'db.default.svc.cluster.local')).out, /Address:\s+10\.96\.100\.1\b/);
    assert.notEqual((await lookup(b, 'db.default.svc.cluster.local')).code, 0);
  } finally {
    b.services.dns = dnsB;
  }
  assert.equal(await readyz(b, ipB), 'OK');
});

test("an image registered in one cluster's registry runs there and is unknown to the other", async () => {
  const def: ImageDef = {
    repositories: ['example.com/team/hello'], entrypoint: ['/hello'], cmd: [],
    programs: {
      hello: async (ctx) => {
        if (ctx.argv[1] === 'say') { ctx.stdout.write(`hello from ${ctx.pod.namespace}/${ctx.pod.name}\n`); return 0; }
        await new Promise<void>((r) => ctx.signal.addEventListener('abort', () => r(), { once: true }));
        return 143;
      },
    },
  };
  a.images.register(def);
  assert.equal(a.images.resolve('example.com/team/hello:v1'), def);
  assert.equal(b.images.resolve('example.com/team/hello:v1'), undefined);
  // In b the image is unknown: a stand-in runs (whatever the command says) and serves the declared port.
  for (const c of [a, b]) {
    await c.client('test').create({ resource: 'pods' }, { metadata: { name: 'hello', namespace: 'default' }, spec: { nodeName: 'knet-control-plane', containers: [{ name: 'c', image: 'example.com/team/hello:v1', command: ['/hello'], ports: [{ containerPort: 8080 }] }] } });
    await ready(c, 'default', 'hello');
  }
  assert.deepEqual(await exec(a, 'default', 'hello', ['/hello', 'say']), { code: 0, out: 'hello from default/hello\n' });
  await assert.rejects(exec(b, 'default', 'hello', ['/hello', 'say']), /exec: "\/hello": stat \/hello: no such file or directory/);
  type Ev = KObject & { reason?: string; involvedObject?: { name?: string } };
  const standIn = (c: Cluster): boolean => (c.client('test').list({ resource: 'events' }, 'default') as Ev[]).some((e) => e.reason === 'StandIn' && e.involvedObject?.name === 'hello');
  for (let i = 0; i < 200 && !standIn(b); i++) await sleep(25);
  assert.ok(standIn(b), 'cluster b runs a stand-in for the image');
  assert.equal(standIn(a), false);
});

test("stopping one cluster leaves the other's DNS working", async () => {
  bStopped = true;
  await b.stop();
  assert.equal(b.services.dns, undefined);
  const r = await lookup(a, 'db.default.svc.cluster.local');
  assert.equal(r.code, 0, r.out);
  assert.match(r.out, /Address:\s+10\.96\.100\.1\b/);
  const [ipA] = await corednsIPs(a);
  assert.equal((await exec(a, 'default', 'tools', ['wget', '-q', '-O', '-', `http://${ipA ?? ''}:8181/ready`])).out, 'OK');
});
