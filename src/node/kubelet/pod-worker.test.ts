import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../api/meta.js';
import { MemoryFileSystem } from '../../images/fs.js';
import type { ImageDef } from '../../images/types.js';
import { createNetwork } from '../../net/network.js';
import { PodWorker, type WorkerHost } from './pod-worker.js';

async function until(what: string, f: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!f()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

test('probers belong to their container: a probe-less sibling that exits and restarts leaves the other\'s readiness probe running', async () => {
  let healthy = true;
  const image: ImageDef = {
    repositories: ['test'], entrypoint: [], cmd: [],
    programs: {
      // Runs until stopped.
      serve: (ctx) => new Promise((resolve) => ctx.signal.addEventListener('abort', () => resolve(143), { once: true })),
      // Exits soon with an error: restarted at once the first time, then in CrashLoopBackOff.
      crash: () => new Promise((resolve) => setTimeout(() => resolve(1), 20)),
      check: () => Promise.resolve(healthy ? 0 : 1),
    },
  };
  const net = createNetwork();
  const node = net.addStack(['127.1.0.1'], { kind: 'node', name: 'n1', nodeName: 'n1' });
  const host: WorkerHost = {
    nodeName: 'n1', nodeIP: '127.1.0.1', nodeStack: node, cluster: {},
    createSandbox: (pod) => ({ ip: '10.244.1.9', stack: net.addStack(['10.244.1.9'], { kind: 'pod', namespace: 'default', name: pod.metadata.name }), fs: () => new MemoryFileSystem({}) }),
    releaseSandbox: (_pod, _ip, stack) => net.removeStack(stack),
    image: () => ({ image }),
    env: () => ({}),
    event: () => undefined,
    changed: () => undefined,
    finalize: () => undefined,
  };
  const fast = { periodSeconds: 0.02, failureThreshold: 1, successThreshold: 1 };
  const pod: KObject = {
    metadata: { name: 'p', namespace: 'default', uid: 'u1' },
    spec: {
      restartPolicy: 'Always',
      containers: [
        { name: 'web', image: 'test', command: ['serve'], readinessProbe: { exec: { command: ['check'] }, ...fast } },
        { name: 'sidecar', image: 'test', command: ['crash'] },
      ],
    },
  };
  const w = new PodWorker(pod, host);
  try {
    await w.start();
    const [web, sidecar] = w.main;
    assert.ok(web && sidecar);
    await until('web ready by its probe', () => web.ready);
    // The sidecar exits, restarts, exits again and waits in back-off: each exit stops only its own (no) probers.
    await until('the sidecar in CrashLoopBackOff', () => sidecar.restartCount >= 2 && 'waiting' in sidecar.state);
    healthy = false;
    await until('web unready once its probe fails', () => !web.ready);
    healthy = true;
    await until('web ready again once its probe passes', () => web.ready);
    assert.ok('running' in web.state);
  } finally {
    w.shutdown();
  }
});

/** A host whose sandboxes and events the test can read. */
function recordingHost(image: ImageDef): { host: WorkerHost; events: string[]; sandboxes: string[] } {
  const net = createNetwork();
  const node = net.addStack(['127.1.0.1'], { kind: 'node', name: 'n1', nodeName: 'n1' });
  const events: string[] = [];
  const sandboxes: string[] = [];
  const host: WorkerHost = {
    nodeName: 'n1', nodeIP: '127.1.0.1', nodeStack: node, cluster: {},
    createSandbox: (pod) => {
      const ip = (pod.status as { podIP?: string } | undefined)?.podIP ?? '10.244.1.9'; // the agent hands a restarted pod its kept IP
      sandboxes.push(ip);
      return { ip, stack: net.addStack([ip], { kind: 'pod', namespace: 'default', name: pod.metadata.name }), fs: () => new MemoryFileSystem({}) };
    },
    releaseSandbox: (_pod, _ip, stack) => net.removeStack(stack),
    image: () => ({ image }), env: () => ({}),
    event: (_pod, type, reason, message) => { events.push(`${type} ${reason} ${message}`); },
    changed: () => undefined, finalize: () => undefined,
  };
  return { host, events, sandboxes };
}

const serveImage: ImageDef = {
  repositories: ['test'], entrypoint: [], cmd: [],
  programs: {
    serve: (ctx) => new Promise((resolve) => ctx.signal.addEventListener('abort', () => resolve(143), { once: true })),
    // Like agnhost serve-hostname: keeps serving after SIGTERM until killed.
    stubborn: () => new Promise(() => undefined),
  },
};

function ranPod(restartPolicy: string, command: string): KObject {
  return {
    metadata: { name: 'p', namespace: 'default', uid: 'u1' },
    spec: { restartPolicy, containers: [{ name: 'c', image: 'test', command: [command] }] },
    status: {
      phase: 'Running', podIP: '10.244.1.4', startTime: '2025-01-01T00:00:00Z', conditions: [{ type: 'Initialized', status: 'True' }],
      containerStatuses: [{ name: 'c', containerID: 'containerd://old', restartCount: 0, state: { running: { startedAt: '2025-01-01T00:00:00Z' } }, lastState: {} }],
    },
  };
}

test('after a restart (node reboot): the pod gets a new sandbox with its old IP, SandboxChanged, and its container runs again with restartCount 1', async () => {
  const { host, events, sandboxes } = recordingHost(serveImage);
  const w = new PodWorker(ranPod('Always', 'serve'), host);
  try {
    await w.start();
    const [c] = w.main;
    assert.ok(c);
    await until('the container runs again', () => c.running);
    assert.deepEqual(sandboxes, ['10.244.1.4']);
    assert.equal(w.ip, '10.244.1.4');
    assert.equal(w.startTime, '2025-01-01T00:00:00Z', 'startTime is kept');
    assert.equal(events[0], 'Normal SandboxChanged Pod sandbox changed, it will be killed and re-created.');
    assert.equal(c.restartCount, 1);
    const last = c.lastState as { terminated?: { finishedAt?: string } };
    const finishedAt = last.terminated?.finishedAt ?? '';
    assert.ok(Date.now() - Date.parse(finishedAt) < 60_000, `finished when the restart was noticed (${finishedAt})`);
    assert.deepEqual(c.lastState, { terminated: { exitCode: 255, reason: 'Unknown', startedAt: '2025-01-01T00:00:00Z', finishedAt, containerID: 'containerd://old' } });
  } finally {
    await w.shutdown();
  }
});

test('after a restart: a running restartPolicy Never pod gets no sandbox and ends Failed, its container exited 255 Unknown', async () => {
  const { host, events, sandboxes } = recordingHost(serveImage);
  const w = new PodWorker(ranPod('Never', 'serve'), host);
  await w.start();
  assert.deepEqual(sandboxes, []);
  assert.deepEqual(events, []);
  assert.equal(w.phase, 'Failed');
  assert.equal(w.ip, '10.244.1.4');
  const [c] = w.main;
  assert.ok(c && 'terminated' in c.state);
  assert.equal(c.state.terminated.exitCode, 255);
  assert.equal(c.state.terminated.reason, 'Unknown');
  assert.equal(c.restartCount, 0);
  await w.terminate(0); // deleting it later works as for any finished pod
});

test('shutdown with a grace period: SIGTERM, then the pod is torn down once its grace has passed, never later', async () => {
  for (const [command, min, max] of [['serve', 0, 200], ['stubborn', 300, 1500]] as const) {
    const { host } = recordingHost(serveImage);
    const pod: KObject = { metadata: { name: command, namespace: 'default', uid: command }, spec: { containers: [{ name: 'c', image: 'test', command: [command] }] } };
    const w = new PodWorker(pod, host);
    await w.start();
    await until('running', () => !!w.main[0]?.running);
    const t0 = Date.now();
    await w.shutdown(300);
    const took = Date.now() - t0;
    assert.ok(took >= min && took < max, `${command}: shutdown took ${took} ms, expected ${min}-${max}`);
    assert.equal(w.stack, undefined, 'torn down');
  }
});

test('a pod whose Secret volume does not exist yet waits in ContainerCreating with FailedMount warnings, and starts once it does', async () => {
  const image: ImageDef = { repositories: ['test'], entrypoint: [], cmd: [], programs: { serve: (ctx) => new Promise((resolve) => ctx.signal.addEventListener('abort', () => resolve(143), { once: true })) } };
  const net = createNetwork();
  let missing: string | undefined = 'MountVolume.SetUp failed for volume "certs" : secret "webhook" not found';
  const events: string[] = [];
  let sandboxes = 0;
  const host: WorkerHost = {
    nodeName: 'n1', nodeIP: '127.1.0.1', nodeStack: net.addStack(['127.1.0.1'], { kind: 'node', name: 'n1', nodeName: 'n1' }), cluster: {},
    createSandbox: (pod) => { sandboxes++; return { ip: '10.244.1.8', stack: net.addStack(['10.244.1.8'], { kind: 'pod', namespace: 'default', name: pod.metadata.name }), fs: () => new MemoryFileSystem({}) }; },
    releaseSandbox: (_pod, _ip, stack) => net.removeStack(stack),
    unmountable: () => missing,
    image: () => ({ image }), env: () => ({}), event: (_p, type, reason, message) => { events.push(`${type} ${reason} ${message}`); }, changed: () => undefined, finalize: () => undefined,
  };
  const w = new PodWorker({ metadata: { name: 'p', namespace: 'default', uid: 'u2' }, spec: { containers: [{ name: 'c', image: 'test', command: ['serve'] }] } }, host);
  try {
    const started = w.start();
    await until('a FailedMount warning', () => events.length > 0);
    assert.deepEqual(events, ['Warning FailedMount MountVolume.SetUp failed for volume "certs" : secret "webhook" not found']);
    assert.deepEqual(w.main[0]?.state, { waiting: { reason: 'ContainerCreating' } });
    assert.equal(sandboxes, 0, 'no sandbox before the volumes can be set up');
    missing = undefined;
    await started;
    await until('the container to run', () => w.main[0]?.running === true, 5000);
    assert.equal(sandboxes, 1);
  } finally {
    await w.shutdown();
  }
});
