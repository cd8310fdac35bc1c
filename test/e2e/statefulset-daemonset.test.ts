// End-to-end: apps/v1 StatefulSet and DaemonSet (issue 11) on `knet up --nodes 3` with the real
// kubectl (default, and 1.27 for `rollout status`): ordered pods with stable DNS names
// (web-0.web.default.svc.cluster.local), scale down from the highest ordinal, partitioned rolling
// updates, `rollout status/history/undo`, and one daemon pod per eligible node.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Knet, squash, until } from './harness.js';

// A headless Service and a StatefulSet with the kinds and structure of the Kubernetes tutorial's `web` example.
const web = `
apiVersion: v1
kind: Service
metadata:
  name: web
  labels: {app: web}
spec:
  clusterIP: None
  selector: {app: web}
  ports: [{name: http, port: 80}]
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
spec:
  serviceName: web
  replicas: 3
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: nginx
        image: nginx:1.25
        ports: [{name: http, containerPort: 80}]
        volumeMounts: [{name: www, mountPath: /usr/share/nginx/html}]
  volumeClaimTemplates:
  - metadata: {name: www}
    spec:
      accessModes: [ReadWriteOnce]
      resources: {requests: {storage: 1Gi}}
---
apiVersion: v1
kind: Pod
metadata:
  name: tools
spec:
  containers:
  - name: tools
    image: busybox:1.36
    command: [sleep, '3600']
`;

const daemon = (name: string, extra = '') => `
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: ${name}
spec:
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}
    spec:${extra}
      containers:
      - name: agent
        image: busybox:1.36
        command: [sleep, '3600']
`;

interface PodInfo { metadata: { name: string; uid: string; creationTimestamp: string; deletionTimestamp?: string }; spec: { nodeName?: string; containers: { image: string }[] }; status: { podIP?: string; conditions?: { type: string; status: string; lastTransitionTime: string }[] } }
interface NodeInfo { metadata: { name: string }; spec: { taints?: { effect: string }[] } }

describe('StatefulSet and DaemonSet', () => {
  const knet = new Knet(['--nodes', '3']);
  const k = (...args: string[]) => knet.kubectl(args);
  const pods = async (selector: string): Promise<PodInfo[]> =>
    (JSON.parse((await k('get', 'pods', '-l', selector, '-o', 'json')).stdout) as { items: PodInfo[] }).items;
  before(async () => { await knet.start(); });
  after(async () => { await knet.cleanup(); });

  it('StatefulSet web: pods in order, stable DNS, scale down from web-2, printers', async () => {
    const a = await knet.kubectl(['apply', '-f', '-'], { input: web });
    assert.equal(a.code, 0, a.stderr);
    const st = await k('rollout', 'status', 'sts/web', '--timeout=120s');
    assert.equal(st.code, 0, st.stderr);
    // kubectl reports a (defaulted, partition 0) rollingUpdate as a partitioned roll out.
    assert.match(st.stdout, /partitioned roll out complete: 3 new pods have been updated\.\.\./);
    const list = (await pods('app=web')).sort((x, y) => x.metadata.name.localeCompare(y.metadata.name));
    assert.deepEqual(list.map((p) => p.metadata.name), ['web-0', 'web-1', 'web-2']);
    // OrderedReady: each pod is created only once the one before it is Ready.
    for (let i = 1; i < list.length; i++) {
      const readyAt = Date.parse(list[i - 1]!.status.conditions?.find((c) => c.type === 'Ready')?.lastTransitionTime ?? '');
      assert.ok(Date.parse(list[i]!.metadata.creationTimestamp) >= readyAt, `web-${i} created after web-${i - 1} was Ready`);
    }
    const events = (await k('get', 'events', '--field-selector', 'involvedObject.kind=StatefulSet,reason=SuccessfulCreate', '-o', 'jsonpath={range .items[*]}{.message}{"\\n"}{end}')).stdout;
    assert.deepEqual(events.trim().split('\n'), [0, 1, 2].flatMap((i) => [
      `create Claim www-web-${i} Pod web-${i} in StatefulSet web success`, `create Pod web-${i} in StatefulSet web successful`,
    ]));

    const get = squash((await k('get', 'sts')).stdout);
    assert.match(get, /^NAME READY AGE\nweb 3\/3 \d+s$/);
    assert.match(squash((await k('get', 'statefulset', 'web', '-o', 'wide')).stdout), /^NAME READY AGE CONTAINERS IMAGES\nweb 3\/3 \d+s nginx nginx:1\.25$/);

    await until('tools running', async () => ((await k('get', 'pod', 'tools', '-o', 'jsonpath={.status.phase}')).stdout === 'Running' ? true : undefined), 60_000);
    const ip0 = list[0]!.status.podIP!;
    const ns = await until('web-0 in DNS', async () => {
      const r = await k('exec', 'tools', '--', 'nslookup', 'web-0.web.default.svc.cluster.local');
      return r.code === 0 ? r : undefined;
    }, 30_000);
    assert.match(ns.stdout, new RegExp(`Name:\\s+web-0\\.web\\.default\\.svc\\.cluster\\.local\\nAddress:\\s+${ip0.replace(/\./g, '\\.')}\\n`), ns.stdout);

    // Each pod has its own claim www-web-N; web-0's data outlives the pod.
    const claims = squash((await k('get', 'pvc', '-o', 'custom-columns=NAME:.metadata.name,STATUS:.status.phase', '--no-headers')).stdout);
    assert.equal(claims, 'www-web-0 Bound\nwww-web-1 Bound\nwww-web-2 Bound');
    assert.equal((await k('exec', 'web-0', '--', 'sh', '-c', 'echo kept > /usr/share/nginx/html/index.html')).code, 0);
    const uid0 = list[0]!.metadata.uid;
    assert.equal((await k('delete', 'pod', 'web-0')).code, 0);
    await until('web-0 replaced', async () => {
      const p0 = (await pods('app=web')).find((p) => p.metadata.name === 'web-0');
      return p0 && p0.metadata.uid !== uid0 && p0.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ? true : undefined;
    }, 60_000);
    assert.equal((await k('exec', 'web-0', '--', 'cat', '/usr/share/nginx/html/index.html')).stdout, 'kept\n');

    assert.equal((await k('scale', 'sts', 'web', '--replicas=1')).stdout.trim(), 'statefulset.apps/web scaled');
    await until('one replica', async () => ((await pods('app=web')).map((p) => p.metadata.name).join() === 'web-0' ? true : undefined), 90_000);
    // web-2 goes first; web-1 is deleted only after web-2 is gone (events are named by time).
    const deletes = (await k('get', 'events', '--field-selector', 'involvedObject.kind=StatefulSet,reason=SuccessfulDelete', '-o', 'jsonpath={range .items[*]}{.message}{"\\n"}{end}')).stdout;
    assert.deepEqual(deletes.trim().split('\n'), ['delete Pod web-2 in StatefulSet web successful', 'delete Pod web-1 in StatefulSet web successful']);
    await k('scale', 'sts', 'web', '--replicas=3');
    const back = await k('rollout', 'status', 'sts/web', '--timeout=120s');
    assert.equal(back.code, 0, back.stderr);
  });

  it('StatefulSet rolling update with a partition; rollout status (default and 1.27), history and undo', async () => {
    const p = await k('patch', 'sts', 'web', '-p', '{"spec":{"updateStrategy":{"type":"RollingUpdate","rollingUpdate":{"partition":2}}}}');
    assert.equal(p.code, 0, p.stderr);
    assert.equal((await k('set', 'image', 'sts/web', 'nginx=nginx:1.27')).code, 0);
    for (const version of ['default', '1.27']) {
      const st = await knet.kubectl(['rollout', 'status', 'sts/web', '--timeout=120s'], { version });
      assert.equal(st.code, 0, st.stderr);
      assert.match(st.stdout, /partitioned roll out complete: 1 new pods have been updated\.\.\./, `${version}: ${st.stdout}`);
    }
    const images = async () => Object.fromEntries((await pods('app=web')).map((x) => [x.metadata.name, x.spec.containers[0]!.image]));
    assert.deepEqual(await images(), { 'web-0': 'nginx:1.25', 'web-1': 'nginx:1.25', 'web-2': 'nginx:1.27' });
    const hist = squash((await k('rollout', 'history', 'sts/web')).stdout);
    assert.match(hist, /^statefulset\.apps\/web\nREVISION CHANGE-CAUSE\n1 <none>\n2 <none>$/);
    const revs = squash((await k('get', 'controllerrevisions')).stdout);
    const [header, ...rows] = revs.split('\n');
    assert.equal(header, 'NAME CONTROLLER REVISION AGE');
    assert.deepEqual(rows.map((r) => r.replace(/^web-[a-z0-9]+ (.*) \d+s$/, '$1')).sort(), ['statefulset.apps/web 1', 'statefulset.apps/web 2']);

    await k('patch', 'sts', 'web', '-p', '{"spec":{"updateStrategy":{"rollingUpdate":{"partition":0}}}}');
    const done = await knet.kubectl(['rollout', 'status', 'sts/web', '--timeout=120s'], { version: '1.27' });
    assert.match(done.stdout, /partitioned roll out complete: 3 new pods have been updated\.\.\./, done.stdout + done.stderr);
    const sts = JSON.parse((await k('get', 'sts', 'web', '-o', 'json')).stdout) as { status: Record<string, unknown> };
    assert.equal(sts.status['currentRevision'], sts.status['updateRevision']);
    assert.equal(sts.status['currentReplicas'], 3);
    assert.deepEqual(await images(), { 'web-0': 'nginx:1.27', 'web-1': 'nginx:1.27', 'web-2': 'nginx:1.27' });

    const undo = await k('rollout', 'undo', 'sts/web');
    assert.equal(undo.stdout.trim(), 'statefulset.apps/web rolled back', undo.stderr);
    assert.equal((await k('rollout', 'status', 'sts/web', '--timeout=120s')).code, 0);
    assert.deepEqual(await images(), { 'web-0': 'nginx:1.25', 'web-1': 'nginx:1.25', 'web-2': 'nginx:1.25' });
    assert.match(squash((await k('rollout', 'history', 'sts/web')).stdout), /\n2 <none>\n3 <none>$/);
    const restart = await k('rollout', 'restart', 'sts/web');
    assert.equal(restart.stdout.trim(), 'statefulset.apps/web restarted', restart.stderr);
    assert.equal((await k('rollout', 'status', 'sts/web', '--timeout=120s')).code, 0);
  });

  it('DaemonSet: one pod per eligible node, nodeSelector and taints, printers, rollout status/history/restart', async () => {
    const nodes = (JSON.parse((await k('get', 'nodes', '-o', 'json')).stdout) as { items: NodeInfo[] }).items;
    assert.equal(nodes.length, 3);
    const eligible = nodes.filter((n) => !(n.spec.taints ?? []).some((t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute')).map((n) => n.metadata.name).sort();
    const a = await knet.kubectl(['apply', '-f', '-'], { input: daemon('agent') });
    assert.equal(a.code, 0, a.stderr);
    for (const version of ['default', '1.27']) {
      const st = await knet.kubectl(['rollout', 'status', 'ds/agent', '--timeout=120s'], { version });
      assert.equal(st.code, 0, st.stderr);
      assert.match(st.stdout, /daemon set "agent" successfully rolled out/);
    }
    const on = async (app: string) => (await pods(`app=${app}`)).filter((p) => !p.metadata.deletionTimestamp).map((p) => p.spec.nodeName ?? '').sort();
    assert.deepEqual(await on('agent'), eligible);
    const n = eligible.length;
    assert.match(squash((await k('get', 'ds')).stdout), new RegExp(`^NAME DESIRED CURRENT READY UP-TO-DATE AVAILABLE NODE SELECTOR AGE\\nagent ${n} ${n} ${n} ${n} ${n} <none> \\d+s$`));
    assert.match(squash((await k('get', 'ds', 'agent', '-o', 'wide')).stdout), /CONTAINERS IMAGES SELECTOR\nagent .* agent busybox:1\.36 app=agent$/);

    assert.equal((await k('set', 'image', 'ds/agent', 'agent=busybox:1.37')).code, 0);
    const st = await k('rollout', 'status', 'ds/agent', '--timeout=120s');
    assert.equal(st.code, 0, st.stderr);
    const imgs = (await pods('app=agent')).filter((p) => !p.metadata.deletionTimestamp).map((p) => p.spec.containers[0]!.image);
    assert.deepEqual(imgs, imgs.map(() => 'busybox:1.37'));
    assert.match(squash((await k('rollout', 'history', 'ds/agent')).stdout), /^daemonset\.apps\/agent\nREVISION CHANGE-CAUSE\n1 <none>\n2 <none>$/);
    assert.equal((await k('rollout', 'restart', 'ds/agent')).stdout.trim(), 'daemonset.apps/agent restarted');
    assert.equal((await k('rollout', 'status', 'ds/agent', '--timeout=120s')).code, 0);
    const undo = await k('rollout', 'undo', 'ds/agent', '--to-revision=1');
    assert.equal(undo.stdout.trim(), 'daemonset.apps/agent rolled back', undo.stderr);
    assert.equal((await k('rollout', 'status', 'ds/agent', '--timeout=120s')).code, 0);
    const undone = (await pods('app=agent')).filter((p) => !p.metadata.deletionTimestamp).map((p) => p.spec.containers[0]!.image);
    assert.deepEqual(undone, undone.map(() => 'busybox:1.36'));
    // A nodeSelector picks one worker; a NoSchedule taint keeps a DaemonSet off a node.
    await k('label', 'node', 'knet-worker', 'disk=ssd');
    await knet.kubectl(['apply', '-f', '-'], { input: daemon('ssd', '\n      nodeSelector: {disk: ssd}') });
    assert.equal((await k('rollout', 'status', 'ds/ssd', '--timeout=120s')).code, 0);
    assert.deepEqual(await on('ssd'), ['knet-worker']);
    assert.match(squash((await k('get', 'ds', 'ssd')).stdout), /\nssd 1 1 1 1 1 disk=ssd \d+s$/);
    assert.equal((await k('taint', 'node', 'knet-worker2', 'dedicated=infra:NoSchedule')).code, 0);
    await knet.kubectl(['apply', '-f', '-'], { input: daemon('spread') });
    assert.equal((await k('rollout', 'status', 'ds/spread', '--timeout=120s')).code, 0);
    assert.deepEqual(await on('spread'), eligible.filter((x) => x !== 'knet-worker2'));
    // NoSchedule does not evict: the agent pod stays on knet-worker2, which is no longer desired.
    assert.deepEqual(await on('agent'), eligible);
    const ds = JSON.parse((await k('get', 'ds', 'agent', '-o', 'json')).stdout) as { status: Record<string, number> };
    assert.equal(ds.status['desiredNumberScheduled'], eligible.length - (eligible.includes('knet-worker2') ? 1 : 0));
    assert.equal(ds.status['numberMisscheduled'], eligible.includes('knet-worker2') ? 1 : 0);

    await k('delete', 'ds', 'agent');
    await until('daemon pods collected', async () => ((await pods('app=agent')).length === 0 ? true : undefined), 60_000);
  });
});
