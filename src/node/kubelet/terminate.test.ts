import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../api/meta.js';
import type { Job } from '../../api/kinds/job.js';
import type { Pod } from '../../api/kinds/pod.js';
import { baseEnv } from '../../controllers/util/testenv.js';
import { controllerGroup } from '../../controllers/group.js';
import { startJobController } from '../../controllers/job/controller.js';
import { createNetwork } from '../../net/network.js';
import { ImageRegistry } from '../../images/registry.js';
import { NodeAgent } from './agent.js';

const NODE = { name: 'knet-control-plane', ip: '127.1.0.1', podCIDR: '10.244.0.0/24' };
const JOBS = { resource: 'jobs', group: 'batch' };
const PODS = { resource: 'pods' };

async function until(what: string, f: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!f()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The Job controller and a real node agent (pods run their programs) over one store. */
async function cluster() {
  const { store, mk, view, batcher } = await baseEnv(1);
  const client = mk('kubelet');
  // What the root-CA publisher gives every namespace: the pods' kube-api-access volume waits for it.
  await client.create({ resource: 'configmaps' }, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kube-root-ca.crt', namespace: 'default' }, data: { 'ca.crt': 'PEM' } });
  const jc = startJobController(mk('job-controller'), { view, batcher });
  const group = controllerGroup([jc], batcher);
  const agent = new NodeAgent({
    client, network: createNetwork(), nodes: [NODE], dns: { clusterDNS: '10.96.0.10', clusterDomain: 'cluster.local' }, unknownImages: 'stand-in',
    images: new ImageRegistry(), cluster: {}, recordEvent: () => undefined,
  });
  agent.start();
  const pods = () => client.list(PODS, 'default') as Pod[];
  const job = (name: string) => client.get(JOBS, 'default', name) as Job;
  const close = async () => { await agent.stop(); group.stop(); view.stop(); await store.close(); };
  return { client, pods, job, close };
}

/** A Job whose pods run on the node; podFailurePolicy makes podReplacementPolicy default to Failed. */
function jobWithPolicy(name: string, spec: Record<string, unknown>, script: string): KObject {
  return {
    apiVersion: 'batch/v1', kind: 'Job', metadata: { name, namespace: 'default' },
    spec: {
      podFailurePolicy: { rules: [{ action: 'FailJob', onExitCodes: { operator: 'In', values: [42] } }] },
      template: { spec: { nodeName: NODE.name, restartPolicy: 'Never', terminationGracePeriodSeconds: 1, containers: [{ name: 'c', image: 'busybox', command: ['sh', '-c', script] }] } },
      ...spec,
    },
  };
}

test('KEP-3329: a pod the kubelet terminates on deletion ends Failed with its containers terminated, so a Job that fails removes its pods and ends Failed', async () => {
  const c = await cluster();
  try {
    // Index 0 fails (FailJob), index 1 runs on: the Job controller deletes it, and it holds the tracking finalizer.
    await c.client.create(JOBS, jobWithPolicy('fails', { completionMode: 'Indexed', completions: 2, parallelism: 2, backoffLimit: 0 },
      'if [ "$JOB_COMPLETION_INDEX" = 0 ]; then exit 42; fi; sleep 3600'));
    assert.equal(c.job('fails').spec?.podReplacementPolicy, 'Failed');
    await until('the Job ends Failed', () => !!c.job('fails').status?.conditions?.some((x) => x.type === 'Failed' && x.status === 'True'));
    // The running pod it deleted held the tracking finalizer: it turned Failed, was counted and removed;
    // the pod that failed by itself stays (finished pods are kept), released by the finalizer.
    await until('the deleted pod is removed', () => c.pods().length === 1);
    const [left] = c.pods();
    assert.equal(left?.metadata.annotations?.['batch.kubernetes.io/job-completion-index'], '0');
    assert.equal(left?.status?.phase, 'Failed');
    assert.deepEqual(left?.metadata.finalizers ?? [], []);
    assert.equal(c.job('fails').status?.active, undefined);
    assert.equal(c.job('fails').status?.terminating, 0);
  } finally { await c.close(); }
});

test('a deleted pod of a Job with podReplacementPolicy Failed turns Failed, is removed, and is replaced', { timeout: 60_000 }, async () => {
  const c = await cluster();
  try {
    await c.client.create(JOBS, jobWithPolicy('runs', {}, 'sleep 3600'));
    await until('the pod runs', () => c.pods()[0]?.status?.phase === 'Running');
    const first = c.pods()[0]!;
    await c.client.delete(PODS, 'default', first.metadata.name!);
    // It is counted as failed only once it reached phase Failed (isPodFailed with podReplacementPolicy Failed).
    await until('the deleted pod is counted failed and gone', () => c.job('runs').status?.failed === 1 && !c.pods().some((p) => p.metadata.uid === first.metadata.uid));
    // The replacement comes after the Job's pod failure back-off (10s for the first failure).
    await until('a replacement runs', () => c.pods().some((p) => p.metadata.uid !== first.metadata.uid && p.status?.phase === 'Running'), 25_000);
    assert.equal(c.job('runs').status?.failed, 1);
  } finally { await c.close(); }
});
