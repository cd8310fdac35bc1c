import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../api/meta.js';
import { keptIP, priorRun } from './reboot.js';

const T0 = '2025-01-01T00:00:00Z';
const NOW = '2025-01-01T01:00:00Z';
const ID = 'containerd://aaaa';

function pod(restartPolicy: string, status: Record<string, unknown> | undefined, containers = ['c'], initContainers: string[] = []): KObject {
  return {
    metadata: { name: 'p', namespace: 'default', uid: 'u1' },
    spec: { restartPolicy, nodeName: 'n1', containers: containers.map((name) => ({ name, image: 'busybox' })), ...(initContainers.length ? { initContainers: initContainers.map((name) => ({ name, image: 'busybox' })) } : {}) },
    ...(status ? { status } : {}),
  };
}

const running = (name: string, restartCount = 0) => ({ name, containerID: `${ID}-${name}`, restartCount, state: { running: { startedAt: T0 } }, lastState: {} });
const initialized = [{ type: 'Initialized', status: 'True' }];
const ran = (containerStatuses: unknown[], extra: Record<string, unknown> = {}) => ({ phase: 'Running', podIP: '10.244.0.7', startTime: T0, conditions: initialized, containerStatuses, ...extra });

test('a pod that never had a sandbox (no pod IP in its status) is new, not restarted', () => {
  assert.equal(priorRun(pod('Always', undefined), NOW), undefined);
  assert.equal(priorRun(pod('Always', { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'True' }] }), NOW), undefined);
});

test('Always: a running container was lost (containerd: exit 255, reason Unknown); it restarts with restartCount + 1 and the pod keeps its IP and startTime', () => {
  const p = pod('Always', ran([running('c', 2)]));
  const prior = priorRun(p, NOW);
  assert.ok(prior && !prior.ended);
  assert.equal(prior.ip, '10.244.0.7');
  assert.equal(prior.startTime, T0);
  assert.deepEqual(prior.containers.get('c'), {
    restartCount: 3, containerID: `${ID}-c`,
    lastState: { terminated: { exitCode: 255, reason: 'Unknown', startedAt: T0, finishedAt: NOW, containerID: `${ID}-c` } },
  });
  assert.equal(keptIP(p), '10.244.0.7');
});

test('Never (kubectl run --restart=Never): a created container means no new sandbox; the pod ends Failed, the container exited 255 Unknown, restartCount unchanged', () => {
  const p = pod('Never', ran([running('c')]));
  const prior = priorRun(p, NOW);
  assert.equal(prior?.ended, 'Failed');
  const c = prior.containers.get('c');
  assert.deepEqual(c?.final, { terminated: { exitCode: 255, reason: 'Unknown', startedAt: T0, finishedAt: NOW, containerID: `${ID}-c` } });
  assert.equal(c?.restartCount, 0);
  assert.deepEqual(c?.lastState, {});
  assert.equal(keptIP(p), undefined, 'an ended pod makes no sandbox and keeps no address');
});

test('Never: a pod whose containers were never created (image pull failed) gets a new sandbox and tries again', () => {
  const p = pod('Never', ran([{ name: 'c', restartCount: 0, state: { waiting: { reason: 'ErrImagePull' } }, lastState: {} }], { phase: 'Pending' }));
  const prior = priorRun(p, NOW);
  assert.ok(prior && !prior.ended);
  assert.deepEqual(prior.containers.get('c'), { restartCount: 0, lastState: {} });
});

test('Never: an init container that was running ends the pod Failed; the main container that never started stays waiting', () => {
  const p = pod('Never', {
    phase: 'Pending', podIP: '10.244.0.7', startTime: T0, conditions: [{ type: 'Initialized', status: 'False' }],
    initContainerStatuses: [running('setup')],
    containerStatuses: [{ name: 'c', restartCount: 0, state: { waiting: { reason: 'PodInitializing' } }, lastState: {} }],
  }, ['c'], ['setup']);
  const prior = priorRun(p, NOW);
  assert.equal(prior?.ended, 'Failed');
  assert.equal(prior.initialized, false);
  assert.deepEqual(prior.init.get('setup')?.final, { terminated: { exitCode: 255, reason: 'Unknown', startedAt: T0, finishedAt: NOW, containerID: `${ID}-setup` } });
  assert.equal(prior.containers.get('c')?.final, undefined);
});

test('Never: a container of an initialized pod with no state left becomes ContainerStatusUnknown 137 (kubelet TerminatePod)', () => {
  const p = pod('Never', ran([running('a'), { name: 'b', restartCount: 0, state: { waiting: { reason: 'ContainerCreating' } }, lastState: {} }]), ['a', 'b']);
  const prior = priorRun(p, NOW);
  assert.equal(prior?.ended, 'Failed');
  assert.deepEqual(prior.containers.get('b')?.final, { terminated: { exitCode: 137, reason: 'ContainerStatusUnknown', message: 'The container could not be located when the pod was terminated' } });
});

test('OnFailure: a container that succeeded is not run again; a running sibling restarts; all succeeded ends the pod Succeeded', () => {
  const done = { name: 'a', containerID: `${ID}-a`, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed', startedAt: T0, finishedAt: T0 } }, lastState: {} };
  const mixed = priorRun(pod('OnFailure', ran([done, running('b')]), ['a', 'b']), NOW);
  assert.ok(mixed && !mixed.ended);
  assert.deepEqual(mixed.containers.get('a')?.final, { terminated: done.state.terminated });
  assert.equal(mixed.containers.get('b')?.final, undefined);
  assert.equal(mixed.containers.get('b')?.restartCount, 1);
  const all = priorRun(pod('OnFailure', ran([done]), ['a']), NOW);
  assert.equal(all?.ended, 'Succeeded');
});

test('Always in CrashLoopBackOff: the restart it waited for was counted at the exit, so the count and last state are kept', () => {
  const lastState = { terminated: { exitCode: 1, reason: 'Error', startedAt: T0, finishedAt: T0 } };
  const p = pod('Always', ran([{ name: 'c', containerID: ID, restartCount: 3, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState }]));
  const prior = priorRun(p, NOW);
  assert.ok(prior && !prior.ended);
  assert.deepEqual(prior.containers.get('c'), { restartCount: 3, lastState, containerID: ID });
});
