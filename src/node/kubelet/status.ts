/** The PodStatus the kubelet reports for a worker (generateAPIPodStatus, simplified). */
import type { KObject } from '../../api/meta.js';
import type { ContainerRunner } from './container.js';
import type { PodWorker } from './pod-worker.js';

type Cond = { type: string; status: string; lastProbeTime: null; lastTransitionTime: string; reason?: string; message?: string };

function imageRef(image: string): string {
  let ref = image;
  if (!/[:@]/.test(ref.split('/').pop() ?? '')) ref += ':latest';
  const first = ref.split('/')[0] ?? '';
  if (!ref.includes('/')) ref = `docker.io/library/${ref}`;
  else if (!first.includes('.') && !first.includes(':') && first !== 'localhost') ref = `docker.io/${ref}`;
  return ref;
}

function containerStatus(r: ContainerRunner): Record<string, unknown> {
  const img = imageRef(r.spec.image);
  return {
    containerID: r.containerID || undefined,
    image: img,
    imageID: r.containerID ? `${img.replace(/:[^:/]+$/, '')}@sha256:${Buffer.from(img).toString('hex').padEnd(64, '0').slice(0, 64)}` : '',
    lastState: r.lastState,
    name: r.spec.name,
    ready: r.ready && 'running' in r.state,
    restartCount: r.restartCount,
    started: 'running' in r.state,
    state: r.state,
  };
}

function cond(old: Cond[] | undefined, type: string, ok: boolean, now: string, reason?: string, message?: string): Cond {
  const prev = old?.find((c) => c.type === type);
  const status = ok ? 'True' : 'False';
  return {
    type, status, lastProbeTime: null,
    lastTransitionTime: prev && prev.status === status ? prev.lastTransitionTime : now,
    ...(reason ? { reason } : {}), ...(message ? { message } : {}),
  };
}

/** Computes the status to write for a pod from its worker. */
export function podStatus(pod: KObject, w: PodWorker, hostIP: string): Record<string, unknown> {
  const old = (pod.status ?? {}) as { conditions?: Cond[]; qosClass?: string };
  const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  const main = w.main;
  const allReady = main.length > 0 && main.every((r) => r.ready && 'running' in r.state);
  const notReady = main.filter((r) => !(r.ready && 'running' in r.state)).map((r) => r.spec.name);
  const terminal = w.phase === 'Succeeded' || w.phase === 'Failed';
  let phase = w.phase;
  if (!terminal) phase = w.initialized && main.some((r) => r.started || 'terminated' in r.state || r.restartCount > 0) ? 'Running' : 'Pending';
  const crMsg = `containers with unready status: [${notReady.join(' ')}]`;
  const initPending = w.init.filter((r) => !('terminated' in r.state && r.state.terminated.exitCode === 0)).map((r) => r.spec.name);
  const scheduled = old.conditions?.find((c) => c.type === 'PodScheduled');
  const conditions: Cond[] = [
    cond(old.conditions, 'PodReadyToStartContainers', !terminal && !!w.stack, now),
    cond(old.conditions, 'Initialized', w.initialized || initPending.length === 0, now, w.initialized ? undefined : 'ContainersNotInitialized', w.initialized ? undefined : `containers with incomplete status: [${initPending.join(' ')}]`),
    cond(old.conditions, 'Ready', allReady && !terminal, now, allReady && !terminal ? undefined : terminal ? 'PodCompleted' : 'ContainersNotReady', allReady || terminal ? undefined : crMsg),
    cond(old.conditions, 'ContainersReady', allReady && !terminal, now, allReady && !terminal ? undefined : terminal ? 'PodCompleted' : 'ContainersNotReady', allReady || terminal ? undefined : crMsg),
    scheduled ?? cond(undefined, 'PodScheduled', true, now),
  ];
  return {
    conditions,
    containerStatuses: main.map(containerStatus),
    ...(w.init.length ? { initContainerStatuses: w.init.map(containerStatus) } : {}),
    hostIP, hostIPs: [{ ip: hostIP }],
    phase,
    podIP: w.ip, podIPs: [{ ip: w.ip }],
    qosClass: old.qosClass ?? 'BestEffort',
    startTime: w.startTime,
  };
}
