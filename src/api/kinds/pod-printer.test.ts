import { test } from 'node:test';
import assert from 'node:assert/strict';
import { printPod, type Pod } from './pod.js';
import { nodeDef, type Node } from './node.js';
import { eventDef, validateEvent, type Event } from './event.js';
import { formatFieldError } from '../errors.js';

const now = new Date('2025-01-01T00:10:00Z');
const created = '2025-01-01T00:00:00Z';
const base = (status: Pod['status'], extra: Partial<NonNullable<Pod['spec']>> = {}): Pod => ({
  metadata: { name: 'p', creationTimestamp: created },
  spec: { containers: [{ name: 'a', image: 'x' }], ...extra },
  status,
});

test('pending pod without node', () => {
  assert.deepEqual(printPod(base({ phase: 'Pending', qosClass: 'BestEffort' }), now),
    ['p', '0/1', 'Pending', '0', '10m', '<none>', '<none>', '<none>', '<none>']);
});

test('container creating, running and crash looping pods', () => {
  const creating = base({ phase: 'Pending', containerStatuses: [{ name: 'a', ready: false, restartCount: 0, image: 'x', imageID: '', state: { waiting: { reason: 'ContainerCreating' } } }] }, { nodeName: 'n1' });
  assert.deepEqual(printPod(creating, now).slice(0, 7), ['p', '0/1', 'ContainerCreating', '0', '10m', '<none>', 'n1']);
  const running = base({ phase: 'Running', podIPs: [{ ip: '10.0.0.5' }], podIP: '10.0.0.5', containerStatuses: [{ name: 'a', ready: true, restartCount: 0, image: 'x', imageID: '', state: { running: { startedAt: created } } }] });
  assert.deepEqual(printPod(running, now).slice(0, 6), ['p', '1/1', 'Running', '0', '10m', '10.0.0.5']);
  const crash = base({ phase: 'Running', containerStatuses: [{
    name: 'a', ready: false, restartCount: 3, image: 'x', imageID: '', state: { waiting: { reason: 'CrashLoopBackOff' } },
    lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: '2025-01-01T00:08:00Z' } },
  }] });
  assert.deepEqual(printPod(crash, now).slice(0, 4), ['p', '0/1', 'CrashLoopBackOff', '3 (2m ago)']);
});

test('init containers, completed, terminating and node lost', () => {
  const init = base({ phase: 'Pending', initContainerStatuses: [{ name: 'i', ready: false, restartCount: 0, image: 'x', imageID: '', state: { running: {} } }] },
    { initContainers: [{ name: 'i', image: 'x' }] });
  assert.equal(printPod(init, now)[2], 'Init:0/1');
  const initErr = base({ phase: 'Pending', initContainerStatuses: [{ name: 'i', ready: false, restartCount: 0, image: 'x', imageID: '', state: { waiting: { reason: 'ErrImagePull' } } }] },
    { initContainers: [{ name: 'i', image: 'x' }] });
  assert.equal(printPod(initErr, now)[2], 'Init:ErrImagePull');
  const done = base({ phase: 'Succeeded', containerStatuses: [{ name: 'a', ready: false, restartCount: 0, image: 'x', imageID: '', state: { terminated: { exitCode: 0, reason: 'Completed' } } }] });
  assert.equal(printPod(done, now)[2], 'Completed');
  const exit = base({ phase: 'Failed', containerStatuses: [{ name: 'a', ready: false, restartCount: 0, image: 'x', imageID: '', state: { terminated: { exitCode: 2 } } }] });
  assert.equal(printPod(exit, now)[2], 'ExitCode:2');
  const term = base({ phase: 'Running' });
  term.metadata.deletionTimestamp = created;
  assert.equal(printPod(term, now)[2], 'Terminating');
  const lost = base({ phase: 'Running', reason: 'NodeLost' });
  lost.metadata.deletionTimestamp = created;
  assert.equal(printPod(lost, now)[2], 'Unknown');
  const gated = base({ phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }] });
  assert.equal(printPod(gated, now)[2], 'SchedulingGated');
  const gates = base({ phase: 'Running', conditions: [{ type: 'x/ok', status: 'True' }] }, { readinessGates: [{ conditionType: 'x/ok' }, { conditionType: 'x/no' }] });
  assert.equal(printPod(gates, now)[8], '1/2');
});

test('node rows', () => {
  const n: Node = {
    metadata: { name: 'n1', creationTimestamp: created, labels: { 'node-role.kubernetes.io/control-plane': '', 'kubernetes.io/role': 'edge' } },
    spec: { unschedulable: true },
    status: {
      conditions: [{ type: 'Ready', status: 'True' }], addresses: [{ type: 'InternalIP', address: '172.18.0.2' }],
      nodeInfo: { machineID: '', systemUUID: '', bootID: '', kernelVersion: '6.1', osImage: 'Debian', containerRuntimeVersion: 'knet://1', kubeletVersion: 'v1.36.0', kubeProxyVersion: '', operatingSystem: 'linux', architecture: 'amd64' },
    },
  };
  assert.deepEqual(nodeDef.row(n, now), ['n1', 'Ready,SchedulingDisabled', 'control-plane,edge', '10m', 'v1.36.0', '172.18.0.2', '<none>', 'Debian', '6.1', 'knet://1']);
  const bare: Node = { metadata: { name: 'n2' } };
  assert.deepEqual(nodeDef.row(bare, now), ['n2', 'Unknown', '<none>', '<unknown>', '', '<none>', '<none>', '<unknown>', '<unknown>', '<unknown>']);
  n.status!.conditions![0]!.status = 'False';
  assert.equal(nodeDef.row(n, now)[1], 'NotReady,SchedulingDisabled');
});

test('event rows, fallbacks and validation', () => {
  const e: Event = {
    metadata: { name: 'p.1', namespace: 'default' },
    involvedObject: { kind: 'Pod', name: 'p', namespace: 'default', fieldPath: 'spec.containers{a}' },
    reason: 'Pulled', message: ' done \n', type: 'Normal', source: { component: 'kubelet', host: 'n1' },
    firstTimestamp: '2025-01-01T00:05:00Z', lastTimestamp: '2025-01-01T00:09:00Z', count: 2,
  };
  assert.deepEqual(eventDef.row(e, now), ['60s', 'Normal', 'Pulled', 'pod/p', 'spec.containers{a}', 'kubelet, n1', 'done', '5m', 2, 'p.1']);
  const fresh: Event = { metadata: { name: 'x', namespace: 'default' }, involvedObject: { kind: 'Node' }, reportingComponent: 'knet', eventTime: '2025-01-01T00:09:30.000000Z' };
  assert.deepEqual(eventDef.row(fresh, now), ['30s', '', '', 'node', '', 'knet', '', '30s', 1, 'x']);
  assert.deepEqual(eventDef.row({ metadata: { name: 'y' }, involvedObject: {} }, now).slice(0, 1), ['<unknown>']);
  assert.deepEqual(validateEvent(fresh).map(formatFieldError), [
    'reportingInstance: Required value', 'action: Required value', 'reason: Required value',
  ]);
  assert.equal(eventDef.fieldSelectors!['source']!(fresh), 'knet');
});
