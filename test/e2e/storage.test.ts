// End-to-end: storage (issue 11): the default `standard` class as kind's, claims bound when a pod
// uses them (WaitForFirstConsumer), data that outlives the pod, static volumes and reclaim policies,
// with the real kubectl. Printer columns as kube-apiserver's (pkg/printers/internalversion).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Knet, squash, until as poll } from './harness.js';

const until = <T>(what: string, f: () => Promise<T | undefined>, ms = 30_000): Promise<T> => poll(what, f, ms, 200);

/** A claim manifest written for the test. */
const claim = (name: string, extra = '') => `apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: ${name}
spec:
  accessModes: [ReadWriteOnce]
  resources:
    requests:
      storage: 1Gi
${extra}`;

/** A pod mounting a claim at /data and running a shell command. */
const pod = (name: string, claimName: string, cmd: string) => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
spec:
  restartPolicy: Never
  containers:
  - name: main
    image: busybox
    command: ["sh", "-c", ${JSON.stringify(cmd)}]
    volumeMounts:
    - name: data
      mountPath: /data
  volumes:
  - name: data
    persistentVolumeClaim:
      claimName: ${claimName}
`;

describe('storage', () => {
  const knet = new Knet([]);
  const k = (...args: string[]) => knet.kubectl(args);
  const apply = (yaml: string) => knet.kubectl(['apply', '-f', '-'], { input: yaml });
  const jp = async (what: string, path: string) => (await k('get', what, '-o', `jsonpath=${path}`)).stdout;
  before(async () => { await knet.start(); });
  after(async () => { await knet.cleanup(); });

  it('the default class is standard, as kind installs it', async () => {
    const out = squash((await k('get', 'sc')).stdout).split('\n');
    assert.equal(out[0], 'NAME PROVISIONER RECLAIMPOLICY VOLUMEBINDINGMODE ALLOWVOLUMEEXPANSION AGE');
    assert.match(out[1] ?? '', /^standard \(default\) rancher\.io\/local-path Delete WaitForFirstConsumer false \d+[sm]$/);
  });

  it('a claim waits for its first consumer, binds when a pod uses it, and its data survives the pod', async () => {
    assert.equal((await apply(claim('data'))).code, 0);
    const pending = squash((await k('get', 'pvc', 'data')).stdout).split('\n');
    assert.equal(pending[0], 'NAME STATUS VOLUME CAPACITY ACCESS MODES STORAGECLASS VOLUMEATTRIBUTESCLASS AGE');
    assert.match(pending[1] ?? '', /^data Pending standard <unset> \d+s$/);
    assert.equal(await jp('pvc/data', '{.metadata.finalizers}'), '["kubernetes.io/pvc-protection"]');
    await until('WaitForFirstConsumer event', async () => {
      const ev = (await k('get', 'events', '--field-selector', 'involvedObject.name=data')).stdout;
      return /WaitForFirstConsumer\s+persistentvolumeclaim\/data\s+waiting for first consumer to be created before binding/.test(ev) || undefined;
    });

    assert.equal((await apply(pod('writer', 'data', 'echo hi > /data/x'))).code, 0);
    await until('writer succeeded', async () => (await jp('pod/writer', '{.status.phase}')) === 'Succeeded' || undefined);
    const uid = await jp('pvc/data', '{.metadata.uid}');
    const node = await jp('pod/writer', '{.spec.nodeName}');
    assert.equal(await jp('pvc/data', '{.metadata.annotations.volume\\.kubernetes\\.io/selected-node}'), node);
    assert.equal(await jp('pvc/data', '{.metadata.annotations.pv\\.kubernetes\\.io/bind-completed}'), 'yes');
    const bound = squash((await k('get', 'pvc', 'data', '-o', 'wide')).stdout).split('\n')[1] ?? '';
    assert.match(bound, new RegExp(`^data Bound pvc-${uid} 1Gi RWO standard <unset> \\d+s Filesystem$`));
    const pv = squash((await k('get', 'pv')).stdout).split('\n');
    assert.equal(pv[0], 'NAME CAPACITY ACCESS MODES RECLAIM POLICY STATUS CLAIM STORAGECLASS VOLUMEATTRIBUTESCLASS REASON AGE');
    assert.match(pv[1] ?? '', new RegExp(`^pvc-${uid} 1Gi RWO Delete Bound default/data standard <unset> \\d+s$`));
    assert.equal(await jp(`pv/pvc-${uid}`, '{.metadata.annotations.pv\\.kubernetes\\.io/provisioned-by}'), 'rancher.io/local-path');
    const events = (await k('get', 'events', '--field-selector', 'involvedObject.name=data')).stdout;
    assert.match(events, /ProvisioningSucceeded\s+persistentvolumeclaim\/data\s+Successfully provisioned volume pvc-/);

    assert.equal((await k('delete', 'pod', 'writer')).code, 0);
    assert.equal((await apply(pod('reader', 'data', 'cat /data/x'))).code, 0);
    await until('reader succeeded', async () => (await jp('pod/reader', '{.status.phase}')) === 'Succeeded' || undefined);
    assert.equal((await k('logs', 'reader')).stdout, 'hi\n');

    // A claim in use is kept (pvc-protection) until its pod is gone; then reclaim Delete removes the volume.
    assert.equal((await apply(pod('holder', 'data', 'sleep 3600'))).code, 0);
    await until('holder running', async () => (await jp('pod/holder', '{.status.phase}')) === 'Running' || undefined);
    assert.equal((await k('delete', 'pvc', 'data', '--wait=false')).code, 0);
    assert.match(squash((await k('get', 'pvc', 'data')).stdout), /data Terminating pvc-/);
    assert.equal((await k('delete', 'pod', 'holder', 'reader', '--grace-period=1')).code, 0);
    await until('claim gone', async () => (await k('get', 'pvc', 'data')).code !== 0 || undefined);
    await until('volume deleted', async () => (await k('get', 'pv', `pvc-${uid}`)).code !== 0 || undefined);
  });

  it('a static volume binds to a matching claim; Retain leaves it Released', async () => {
    const pvYaml = `apiVersion: v1
kind: PersistentVolume
metadata:
  name: static-1
  labels: {tier: gold}
spec:
  capacity: {storage: 2Gi}
  accessModes: [ReadWriteOnce, ReadOnlyMany]
  storageClassName: manual
  hostPath: {path: /mnt/static-1}
`;
    assert.equal((await apply(pvYaml)).code, 0);
    await until('volume available', async () => (await jp('pv/static-1', '{.status.phase}')) === 'Available' || undefined);
    assert.match(squash((await k('get', 'pv', 'static-1')).stdout), /static-1 2Gi RWO,ROX Retain Available manual <unset> \d+s/);
    assert.equal((await apply(claim('gold', '  storageClassName: manual\n  selector:\n    matchLabels: {tier: gold}\n'))).code, 0);
    await until('claim bound', async () => (await jp('pvc/gold', '{.status.phase}')) === 'Bound' || undefined);
    assert.match(squash((await k('get', 'pvc', 'gold')).stdout), /gold Bound static-1 2Gi RWO,ROX manual <unset> \d+s/);
    assert.match(squash((await k('get', 'pv', 'static-1')).stdout), /static-1 2Gi RWO,ROX Retain Bound default\/gold manual/);
    assert.equal((await k('delete', 'pvc', 'gold')).code, 0);
    await until('volume released', async () => (await jp('pv/static-1', '{.status.phase}')) === 'Released' || undefined);
    assert.match(squash((await k('get', 'pv', 'static-1')).stdout), /static-1 2Gi RWO,ROX Retain Released default\/gold manual/);
  });

  it('a pod on a missing claim stays Pending with the scheduler\'s reason; bad claims are refused', async () => {
    assert.equal((await apply(pod('orphan', 'nope', 'true'))).code, 0);
    await until('FailedScheduling', async () => {
      const ev = (await k('get', 'events', '--field-selector', 'involvedObject.name=orphan')).stdout;
      return /FailedScheduling\s+pod\/orphan\s+0\/1 nodes are available: persistentvolumeclaim "nope" not found\./.test(ev) || undefined;
    });
    assert.equal(await jp('pod/orphan', '{.status.phase}'), 'Pending');
    const bad = await knet.kubectl(['apply', '-f', '-'], { input: 'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: bad}\nspec: {}\n' });
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /The PersistentVolumeClaim "bad" is invalid: \n\* spec\.accessModes: Required value: at least 1 access mode is required\n\* spec\.resources\[storage\]: Required value\n/);
  });

  it('a PodDisruptionBudget is printed and kept; an eviction that would violate it is refused (429), drain retries', async () => {
    assert.equal((await k('create', 'deployment', 'web', '--image=nginx', '--replicas=2')).code, 0);
    assert.equal((await k('rollout', 'status', 'deployment/web', '--timeout=60s')).code, 0);
    assert.equal((await k('create', 'pdb', 'web', '--selector=app=web', '--min-available=2')).code, 0);
    await until('pdb status', async () => (await jp('pdb/web', '{.status.currentHealthy}')) === '2' || undefined);
    const out = squash((await k('get', 'pdb')).stdout).split('\n');
    assert.equal(out[0], 'NAME MIN AVAILABLE MAX UNAVAILABLE ALLOWED DISRUPTIONS AGE');
    assert.match(out[1] ?? '', /^web 2 N\/A 0 \d+s$/);
    assert.equal(await jp('pdb/web', '{.status.conditions[0].type}={.status.conditions[0].status}/{.status.conditions[0].reason}'), 'DisruptionAllowed=False/InsufficientPods');

    const node = await jp('nodes', '{.items[0].metadata.name}');
    const drain = await k('drain', node, '--pod-selector=app=web', '--timeout=3s');
    assert.notEqual(drain.code, 0);
    assert.match(drain.stderr, /error when evicting pods\/"web-[a-z0-9-]+" -n "default" \(will retry after 5s\): Cannot evict pod as it would violate the pod's disruption budget\./);
    assert.equal((await k('uncordon', node)).code, 0);

    // The eviction API itself: 429 with upstream's cause; allowed once the budget has room.
    const pod = await jp('pods', '{.items[?(@.metadata.labels.app=="web")].metadata.name}');
    const first = pod.split(' ')[0] ?? '';
    const eviction = JSON.stringify({ apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: first, namespace: 'default' } });
    const refused = await knet.kubectl(['create', '--raw', `/api/v1/namespaces/default/pods/${first}/eviction`, '-f', '-'], { input: eviction });
    assert.notEqual(refused.code, 0);
    assert.equal(refused.stderr.trim(), "Error from server (TooManyRequests): Cannot evict pod as it would violate the pod's disruption budget.");
    assert.equal((await k('patch', 'pdb', 'web', '--type=merge', '-p', '{"spec":{"minAvailable":1}}')).code, 0);
    await until('one disruption allowed', async () => (await jp('pdb/web', '{.status.disruptionsAllowed}')) === '1' || undefined);
    const allowed = await knet.kubectl(['create', '--raw', `/api/v1/namespaces/default/pods/${first}/eviction`, '-f', '-'], { input: eviction });
    assert.equal(allowed.code, 0, allowed.stderr);
    await until('evicted pod gone', async () => (await k('get', 'pod', first)).code !== 0 || undefined);
  });

  it('kubectl autoscale (autoscaling/v1 on the wire) and a v2 manifest; kubectl get hpa prints <unknown> targets', async () => {
    const auto = await k('autoscale', 'deployment', 'web', '--cpu-percent=50', '--min=1', '--max=3');
    assert.equal(auto.stdout.trim(), 'horizontalpodautoscaler.autoscaling/web autoscaled', auto.stderr);
    const v1 = JSON.parse((await k('get', '--raw', '/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers/web')).stdout) as { spec: unknown };
    assert.deepEqual(v1.spec, { scaleTargetRef: { kind: 'Deployment', name: 'web', apiVersion: 'apps/v1' }, minReplicas: 1, maxReplicas: 3, targetCPUUtilizationPercentage: 50 });
    const hpa = `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: mem
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  maxReplicas: 5
  metrics:
  - type: Resource
    resource:
      name: memory
      target: {type: AverageValue, averageValue: 100Mi}
`;
    assert.equal((await apply(hpa)).code, 0);
    const out = squash((await k('get', 'hpa')).stdout).split('\n');
    assert.equal(out[0], 'NAME REFERENCE TARGETS MINPODS MAXPODS REPLICAS AGE');
    assert.match(out[1] ?? '', /^mem Deployment\/web memory: <unknown>\/100Mi 1 5 \d+ \d+s$/);
    assert.match(out[2] ?? '', /^web Deployment\/web cpu: <unknown>\/50% 1 3 \d+ \d+s$/);
    // Without a metrics API the controller reports as upstream's does on a cluster without metrics-server.
    const conds = '{range .status.conditions[*]}{.type}={.status}/{.reason};{end}';
    await until('hpa conditions', async () => (await jp('hpa.v2.autoscaling/web', conds)) === 'AbleToScale=True/SucceededGetScale;ScalingActive=False/FailedGetResourceMetric;' || undefined);
    assert.equal(await jp('hpa.v2.autoscaling/web', '{.status.currentReplicas}'), await jp('deploy/web', '{.status.replicas}'));
    const ev = (await k('get', 'events', '--field-selector', 'involvedObject.name=mem,involvedObject.kind=HorizontalPodAutoscaler')).stdout;
    assert.match(ev, /FailedGetResourceMetric\s+horizontalpodautoscaler\/mem\s+failed to get memory usage: unable to get metrics for resource memory: unable to fetch metrics from resource metrics API/);
  });

  it('an autoscaling/v1 manifest applies again (strategic merge patch on v1), and delete --dry-run=server keeps it', async () => {
    const v1 = (max: number) => `apiVersion: autoscaling/v1
kind: HorizontalPodAutoscaler
metadata:
  name: web-v1
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 1
  maxReplicas: ${max}
  targetCPUUtilizationPercentage: 60
`;
    const first = await apply(v1(4));
    assert.equal(first.stdout.trim(), 'horizontalpodautoscaler.autoscaling/web-v1 created', first.stderr);
    const again = await apply(v1(6));
    assert.equal(again.stdout.trim(), 'horizontalpodautoscaler.autoscaling/web-v1 configured', again.stderr);
    assert.equal(await jp('hpa.v2.autoscaling/web-v1', '{.spec.maxReplicas} {.spec.metrics[0].resource.target.averageUtilization}'), '6 60');
    const same = await apply(v1(6));
    assert.equal(same.stdout.trim(), 'horizontalpodautoscaler.autoscaling/web-v1 unchanged', same.stderr);
    const dry = await k('delete', 'hpa.v1.autoscaling', 'web-v1', '--dry-run=server');
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /horizontalpodautoscaler.autoscaling "web-v1" deleted \(server dry run\)/);
    assert.equal(await jp('hpa.v2.autoscaling/web-v1', '{.spec.maxReplicas}'), '6', 'a server dry run keeps the object');
    assert.equal((await k('delete', 'hpa.v1.autoscaling', 'web-v1')).code, 0);
    await until('v1 hpa gone', async () => (await k('get', 'hpa', 'web-v1')).code !== 0 || undefined);
  });
});
