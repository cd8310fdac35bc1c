// End-to-end: pod readiness gates (issue 7, §6). A pod whose gate condition is absent is not Ready
// (kubelet generate.go: reason ReadinessGatesNotReady), so it is no ready endpoint and a headless
// Service over such pods answers NXDOMAIN (Kubernetes DNS spec: A records for ready endpoints only).
// A status patch setting the condition, as a controller would send it, makes the pod Ready.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Knet, runCommand, squash, until } from './harness.js';

const GATE = 'www.example.com/feature-1';
const NAME = 'gated.default.svc.cluster.local';

const manifest = {
  apiVersion: 'v1', kind: 'List', items: [
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'gated' }, spec: { clusterIP: 'None', selector: { app: 'gated' }, ports: [{ name: 'http', port: 80 }] } },
    {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'gated' },
      spec: {
        replicas: 2, selector: { matchLabels: { app: 'gated' } },
        template: {
          metadata: { labels: { app: 'gated' } },
          spec: { readinessGates: [{ conditionType: GATE }], containers: [{ name: 'web', image: 'nginx', ports: [{ containerPort: 80 }] }] },
        },
      },
    },
  ],
};

describe('readiness gates', () => {
  const knet = new Knet(['--dns-port', '0']);
  const k = (...args: string[]) => knet.kubectl(args);
  let port = 0;
  /** dig's status word and A records for a name. */
  const lookup = async (name: string): Promise<{ status: string; a: string[]; raw: string }> => {
    const r = await runCommand('dig', ['@127.0.0.1', '-p', String(port), '+tries=1', '+time=2', '+noall', '+comments', '+answer', name], { timeoutMs: 10_000 });
    const a = r.stdout.split('\n').filter((l) => !l.startsWith(';') && /\sIN\s+A\s/.test(l)).map((l) => l.trim().split(/\s+/).pop() ?? '').sort();
    return { status: /status: ([A-Z]+)/.exec(r.stdout)?.[1] ?? '', a, raw: r.stdout + r.stderr };
  };
  /** `kubectl get pod -o wide` rows by pod name: READY, STATUS and READINESS GATES. */
  const wide = async (): Promise<Map<string, { ready: string; status: string; gates: string }>> => {
    const r = await k('get', 'pods', '-l', 'app=gated', '-o', 'wide');
    assert.equal(r.code, 0, r.stderr);
    const [head = '', ...rows] = squash(r.stdout).split('\n');
    assert.equal(head, 'NAME READY STATUS RESTARTS AGE IP NODE NOMINATED NODE READINESS GATES');
    return new Map(rows.map((l) => { const f = l.split(' '); return [f[0] ?? '', { ready: f[1] ?? '', status: f[2] ?? '', gates: f.at(-1) ?? '' }]; }));
  };
  const readyCondition = async (pod: string): Promise<string> =>
    (await k('get', 'pod', pod, '-o', 'jsonpath={range .status.conditions[?(@.type=="Ready")]}{.status}|{.reason}|{.message}{end}')).stdout;
  let pods: { name: string; ip: string }[] = [];

  before(async () => {
    await knet.start();
    const m = /dns: 127\.0\.0\.1:(\d+)/.exec(knet.output);
    assert.ok(m, knet.output);
    port = Number(m[1]);
    const r = await knet.kubectl(['apply', '-f', '-'], { input: JSON.stringify(manifest) });
    assert.equal(r.code, 0, r.stderr);
    await until('two pods with ready containers', async () => {
      const out = (await k('get', 'pods', '-l', 'app=gated', '-o', 'jsonpath={range .items[*]}{.metadata.name} {.status.podIP} {.status.containerStatuses[0].ready}{"\\n"}{end}')).stdout;
      const rows = out.trim().split('\n').map((l) => l.split(' '));
      return rows.length === 2 && rows.every((f) => f[2] === 'true') ? rows.map(([name = '', ip = '']) => ({ name, ip })) : undefined;
    }).then((p) => { pods = p.sort((a, b) => a.name.localeCompare(b.name)); });
  });
  after(async () => { await knet.cleanup(); });

  it('a pod whose gate condition is absent is not Ready: ReadinessGatesNotReady, READY per containers, 0/1 gates', async () => {
    for (const p of pods) {
      assert.equal(await readyCondition(p.name), `False|ReadinessGatesNotReady|corresponding condition of pod readiness gate "${GATE}" does not exist.`);
      const cr = await k('get', 'pod', p.name, '-o', 'jsonpath={.status.conditions[?(@.type=="ContainersReady")].status}');
      assert.equal(cr.stdout, 'True');
    }
    const rows = await wide();
    for (const p of pods) assert.deepEqual(rows.get(p.name), { ready: '1/1', status: 'Running', gates: '0/1' });
  });

  it('the gated pods are not ready endpoints, so the headless Service name is NXDOMAIN', async () => {
    const want = pods.map((p) => `${p.ip}=false`).sort().join(' ');
    await until(`endpoints ${want}`, async () => {
      const slice = await k('get', 'endpointslices', '-l', 'kubernetes.io/service-name=gated', '-o', 'jsonpath={range .items[*].endpoints[*]}{.addresses[0]}={.conditions.ready}{"\\n"}{end}');
      return slice.stdout.trim().split('\n').sort().join(' ') === want ? true : undefined;
    });
    const a = await lookup(NAME);
    assert.equal(a.status, 'NXDOMAIN', a.raw);
    assert.deepEqual(a.a, []);
  });

  it('a status patch setting the gate condition True makes that pod Ready and its A record appear; the other stays out', async () => {
    const [first, second] = pods;
    assert.ok(first && second);
    const cond = { type: GATE, status: 'True', lastProbeTime: null, lastTransitionTime: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z') };
    const r = await k('patch', 'pod', first.name, '--subresource=status', '--type=json', '-p', JSON.stringify([{ op: 'add', path: '/status/conditions/-', value: cond }]));
    assert.equal(r.code, 0, r.stderr);
    await until('the patched pod Ready', async () => ((await readyCondition(first.name)) === 'True||' ? true : undefined));
    const a = await until('one A record', async () => { const x = await lookup(NAME); return x.a.length ? x : undefined; });
    assert.equal(a.status, 'NOERROR');
    assert.deepEqual(a.a, [first.ip]);
    // The kubelet's later status writes keep the patched condition.
    const kept = await k('get', 'pod', first.name, '-o', `jsonpath={.status.conditions[?(@.type=="${GATE}")].status}`);
    assert.equal(kept.stdout, 'True');
    const rows = await wide();
    assert.deepEqual(rows.get(first.name), { ready: '1/1', status: 'Running', gates: '1/1' });
    assert.deepEqual(rows.get(second.name), { ready: '1/1', status: 'Running', gates: '0/1' });
    assert.equal(await readyCondition(second.name), `False|ReadinessGatesNotReady|corresponding condition of pod readiness gate "${GATE}" does not exist.`);
  });

  it('setting the condition False again makes the pod unready with the kubelet\'s message, and the name NXDOMAIN again', async () => {
    const first = pods[0]!;
    const r = await k('patch', 'pod', first.name, '--subresource=status', '--type=strategic', '-p', JSON.stringify({ status: { conditions: [{ type: GATE, status: 'False' }] } }));
    assert.equal(r.code, 0, r.stderr);
    await until('the pod unready', async () => ((await readyCondition(first.name)).startsWith('False') ? true : undefined));
    assert.equal(await readyCondition(first.name), `False|ReadinessGatesNotReady|the status of pod readiness gate "${GATE}" is not "True", but False`);
    const a = await until('NXDOMAIN again', async () => { const x = await lookup(NAME); return x.status === 'NXDOMAIN' ? x : undefined; });
    assert.deepEqual(a.a, []);
    assert.equal((await wide()).get(first.name)?.gates, '0/1');
  });
});
