/** The PodStatus the kubelet reports for a worker (generateAPIPodStatus, simplified). */
import type { KObject } from '../../api/meta.js';
import type { ContainerRunner } from './container.js';
import type { PodWorker } from './pod-worker.js';

/** A pod condition as stored; conditions set by others may carry any of the optional fields. */
type Cond = { type: string; status: string; lastProbeTime?: string | null; lastTransitionTime?: string; reason?: string; message?: string };

/** What a condition should say: True or False, with the kubelet's reason and message when False. */
export interface Verdict { ok: boolean; reason?: string; message?: string }

/** The worker state the status is computed from. */
export type WorkerView = Pick<PodWorker, 'main' | 'init' | 'phase' | 'initialized' | 'stack' | 'ip' | 'startTime'>;

/**
 * Condition types the kubelet owns and rewrites on every status write (kubelet's
 * types.PodConditionsByKubelet plus PodReadyToStartContainers); all others (readiness-gate
 * conditions set by a controller's status patch, DisruptionTarget, ...) are kept as stored,
 * before the kubelet's own, as status_manager.go mergePodStatus does.
 */
const KUBELET_CONDITIONS = new Set(['PodScheduled', 'Ready', 'Initialized', 'ContainersReady', 'PodReadyToStartContainers']);

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

function cond(old: Cond[] | undefined, type: string, v: Verdict, now: string): Cond {
  const prev = old?.find((c) => c.type === type);
  const status = v.ok ? 'True' : 'False';
  return {
    type, status, lastProbeTime: null,
    lastTransitionTime: prev && prev.status === status && prev.lastTransitionTime ? prev.lastTransitionTime : now,
    ...(v.reason ? { reason: v.reason } : {}), ...(v.message ? { message: v.message } : {}),
  };
}

/**
 * Ready from ContainersReady and the readiness gates (kubernetes pkg/kubelet/status/generate.go,
 * GeneratePodReadyCondition): unready containers decide first; then every gate whose condition is
 * absent or not True makes Ready False with reason ReadinessGatesNotReady.
 */
export function podReady(containersReady: Verdict, gates: readonly { conditionType: string }[], conditions: readonly Cond[]): Verdict {
  if (!containersReady.ok) return containersReady;
  const unready: string[] = [];
  for (const g of gates) {
    const c = conditions.find((x) => x.type === g.conditionType);
    const name = JSON.stringify(g.conditionType);
    if (!c) unready.push(`corresponding condition of pod readiness gate ${name} does not exist.`);
    else if (c.status !== 'True') unready.push(`the status of pod readiness gate ${name} is not "True", but ${c.status}`);
  }
  return unready.length ? { ok: false, reason: 'ReadinessGatesNotReady', message: unready.join(', ') } : { ok: true };
}

function conditions(pod: KObject, w: WorkerView, now: string): Cond[] {
  const old = ((pod.status ?? {}) as { conditions?: Cond[] }).conditions;
  const gates = (pod.spec as { readinessGates?: { conditionType: string }[] } | undefined)?.readinessGates ?? [];
  const terminal = w.phase === 'Succeeded' || w.phase === 'Failed';
  const notReady = w.main.filter((r) => !(r.ready && 'running' in r.state)).map((r) => r.spec.name);
  const containersReady: Verdict = terminal ? { ok: false, reason: w.phase === 'Failed' ? 'PodFailed' : 'PodCompleted' }
    : w.main.length > 0 && notReady.length === 0 ? { ok: true }
      : { ok: false, reason: 'ContainersNotReady', message: `containers with unready status: [${notReady.join(' ')}]` };
  const initPending = w.init.filter((r) => !('terminated' in r.state && r.state.terminated.exitCode === 0)).map((r) => r.spec.name);
  const initialized: Verdict = w.initialized || initPending.length === 0 ? { ok: true }
    : { ok: false, reason: 'ContainersNotInitialized', message: `containers with incomplete status: [${initPending.join(' ')}]` };
  const foreign = (old ?? []).filter((c) => !KUBELET_CONDITIONS.has(c.type));
  const early = [cond(old, 'PodReadyToStartContainers', { ok: !terminal && !!w.stack }, now), cond(old, 'Initialized', initialized, now)];
  return [
    ...foreign, ...early,
    cond(old, 'Ready', podReady(containersReady, gates, [...foreign, ...early]), now),
    cond(old, 'ContainersReady', containersReady, now),
    old?.find((c) => c.type === 'PodScheduled') ?? cond(undefined, 'PodScheduled', { ok: true }, now),
  ];
}

/** Computes the status to write for a pod from its worker. */
export function podStatus(pod: KObject, w: WorkerView, hostIP: string): Record<string, unknown> {
  const old = (pod.status ?? {}) as { qosClass?: string };
  const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  const main = w.main;
  const terminal = w.phase === 'Succeeded' || w.phase === 'Failed';
  let phase = w.phase;
  if (!terminal) phase = w.initialized && main.some((r) => r.started || 'terminated' in r.state || r.restartCount > 0) ? 'Running' : 'Pending';
  return {
    conditions: conditions(pod, w, now),
    containerStatuses: main.map(containerStatus),
    ...(w.init.length ? { initContainerStatuses: w.init.map(containerStatus) } : {}),
    hostIP, hostIPs: [{ ip: hostIP }],
    phase,
    podIP: w.ip, podIPs: [{ ip: w.ip }],
    qosClass: old.qosClass ?? 'BestEffort',
    startTime: w.startTime,
  };
}

/**
 * Whether a pod with readiness gates has a stored Ready condition that its gates now contradict
 * (a gate's condition was patched), so the kubelet must write status again (upstream
 * NeedToReconcilePodReadiness, run when a pod update arrives).
 */
export function readinessStale(pod: KObject, w: WorkerView): boolean {
  if (!((pod.spec as { readinessGates?: unknown[] } | undefined)?.readinessGates?.length)) return false;
  const have = ((pod.status ?? {}) as { conditions?: Cond[] }).conditions?.find((c) => c.type === 'Ready');
  if (!have) return false;
  const want = conditions(pod, w, '').find((c) => c.type === 'Ready');
  return have.status !== want?.status || (have.message ?? '') !== (want?.message ?? '');
}

/**
 * The final status of a deleted pod that was not running here: phase Failed and every container
 * not already terminated reported as upstream's kubelet does for a container it cannot locate.
 */
export function abandonedStatus(pod: KObject): Record<string, unknown> {
  const old = (pod.status ?? {}) as Record<string, unknown> & { containerStatuses?: { state?: Record<string, unknown> }[] };
  const gone = { terminated: { exitCode: 137, reason: 'ContainerStatusUnknown', message: 'The container could not be located when the pod was terminated' } };
  const containerStatuses = old.containerStatuses?.map((s) => (s.state && 'terminated' in s.state ? s : { ...s, ready: false, started: false, state: gone }));
  return { ...old, phase: 'Failed', ...(containerStatuses ? { containerStatuses } : {}) };
}
