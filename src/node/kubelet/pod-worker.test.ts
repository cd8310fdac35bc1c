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
