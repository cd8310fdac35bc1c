import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../api/meta.js';
import { ContainerRunner } from './container.js';
import { podReady, podStatus, readinessStale, type WorkerView } from './status.js';

type Cond = { type: string; status: string; reason?: string; message?: string; lastTransitionTime?: string };
const GATE = 'www.example.com/feature-1';
const T0 = '2024-01-01T00:00:00Z';

function runner(name: string, ready: boolean): ContainerRunner {
  const r = new ContainerRunner({ name, image: 'nginx' }, () => { throw new Error('not started in this test'); });
  r.state = { running: { startedAt: T0 } };
  r.started = true;
  r.ready = ready;
  return r;
}

function worker(...ready: boolean[]): WorkerView {
  return { main: ready.map((ok, i) => runner(`c${i}`, ok)), init: [], phase: 'Running', initialized: true, stack: undefined, ip: '10.244.1.5', startTime: T0 };
}

function pod(gates: string[], conditions: Cond[] = []): KObject {
  return {
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default', uid: 'u1' },
    spec: { containers: [{ name: 'c0', image: 'nginx' }], ...(gates.length ? { readinessGates: gates.map((conditionType) => ({ conditionType })) } : {}) },
    status: { conditions },
  };
}

const conds = (p: KObject, w: WorkerView): Cond[] => podStatus(p, w, '127.1.0.1')['conditions'] as Cond[];
const get = (cs: Cond[], type: string): Cond | undefined => cs.find((c) => c.type === type);

test('no gates: Ready follows the containers', () => {
  const cs = conds(pod([]), worker(true));
  assert.equal(get(cs, 'Ready')?.status, 'True');
  assert.equal(get(cs, 'ContainersReady')?.status, 'True');
});

test('gate condition absent: Ready False, ReadinessGatesNotReady with the kubelet message; ContainersReady stays True', () => {
  const cs = conds(pod([GATE]), worker(true));
  assert.deepEqual({ ...get(cs, 'Ready'), lastTransitionTime: undefined }, {
    type: 'Ready', status: 'False', lastProbeTime: null, lastTransitionTime: undefined, reason: 'ReadinessGatesNotReady',
    message: `corresponding condition of pod readiness gate "${GATE}" does not exist.`,
  });
  assert.equal(get(cs, 'ContainersReady')?.status, 'True');
  assert.equal(get(cs, 'ContainersReady')?.reason, undefined);
});

test('gate condition False: Ready False naming the status; two unmet gates are joined with ", "', () => {
  const cs = conds(pod([GATE], [{ type: GATE, status: 'False', lastTransitionTime: T0 }]), worker(true));
  assert.equal(get(cs, 'Ready')?.reason, 'ReadinessGatesNotReady');
  assert.equal(get(cs, 'Ready')?.message, `the status of pod readiness gate "${GATE}" is not "True", but False`);
  const two = podReady({ ok: true }, [{ conditionType: 'a.io/x' }, { conditionType: 'b.io/y' }], [{ type: 'b.io/y', status: 'Unknown' }]);
  assert.deepEqual(two, { ok: false, reason: 'ReadinessGatesNotReady',
    message: 'corresponding condition of pod readiness gate "a.io/x" does not exist., the status of pod readiness gate "b.io/y" is not "True", but Unknown' });
});

test('gate condition True: Ready True, and the gate condition is kept as stored, before the kubelet\'s own', () => {
  const gate = { type: GATE, status: 'True', lastTransitionTime: T0 };
  const cs = conds(pod([GATE], [gate]), worker(true));
  assert.equal(get(cs, 'Ready')?.status, 'True');
  assert.equal(get(cs, 'Ready')?.reason, undefined);
  assert.deepEqual(cs[0], gate);
  assert.deepEqual(cs.map((c) => c.type), [GATE, 'PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled']);
});

test('unready containers decide first: reason ContainersNotReady even when a gate is unmet too', () => {
  const cs = conds(pod([GATE]), worker(true, false));
  assert.equal(get(cs, 'Ready')?.reason, 'ContainersNotReady');
  assert.equal(get(cs, 'Ready')?.message, 'containers with unready status: [c1]');
  assert.equal(get(cs, 'ContainersReady')?.message, 'containers with unready status: [c1]');
  const ok = conds(pod([GATE], [{ type: GATE, status: 'True' }]), worker(false, false));
  assert.equal(get(ok, 'Ready')?.status, 'False');
  assert.equal(get(ok, 'Ready')?.message, 'containers with unready status: [c0 c1]');
});

test('foreign conditions survive a status write; the kubelet\'s own are replaced, never duplicated', () => {
  const foreign = [{ type: 'DisruptionTarget', status: 'True', reason: 'EvictionByEvictionAPI', lastTransitionTime: T0 }, { type: 'example.com/other', status: 'False', lastTransitionTime: T0 }];
  const stale = [{ type: 'Ready', status: 'True', lastTransitionTime: T0 }, { type: 'ContainersReady', status: 'True', lastTransitionTime: T0 }];
  const cs = conds(pod([], [...stale, ...foreign]), worker(false));
  assert.deepEqual(cs.slice(0, 2), foreign);
  assert.equal(cs.filter((c) => c.type === 'Ready').length, 1);
  assert.equal(get(cs, 'Ready')?.status, 'False');
  assert.notEqual(get(cs, 'Ready')?.lastTransitionTime, T0);
});

test('a terminal pod is not Ready: PodCompleted or PodFailed, as generate.go', () => {
  const w = worker(false);
  w.phase = 'Failed';
  assert.equal(get(conds(pod([]), w), 'Ready')?.reason, 'PodFailed');
  w.phase = 'Succeeded';
  assert.equal(get(conds(pod([]), w), 'ContainersReady')?.reason, 'PodCompleted');
});

test('readinessStale: a patched gate condition asks for a new Ready; a current status does not', () => {
  const w = worker(true);
  const written = pod([GATE]);
  written.status = podStatus(written, w, '127.1.0.1');
  assert.equal(readinessStale(written, w), false);
  const stored = (p: KObject): Cond[] => (p.status as { conditions: Cond[] }).conditions;
  const patched: KObject = { ...written, status: { ...(written.status as object), conditions: [...stored(written), { type: GATE, status: 'True' }] } };
  assert.equal(readinessStale(patched, w), true);
  const rewritten: KObject = { ...patched, status: podStatus(patched, w, '127.1.0.1') };
  assert.equal(get(stored(rewritten), 'Ready')?.status, 'True');
  assert.equal(readinessStale(rewritten, w), false);
  const noGates = pod([], [{ type: 'Ready', status: 'False' }]);
  assert.equal(readinessStale(noGates, w), false);
});
