/**
 * A pod that ran before knet stopped or crashed, found again when the node agent starts: as after a
 * node reboot. The stored status plays the part of containerd's records, which outlive a reboot
 * while the processes do not:
 * - containerd's CRI recovery (internal/cri/server/restart.go, loadContainer) reports a container
 *   that was running but whose task is gone as exited with code 255, reason `Unknown`;
 * - the kubelet (pkg/kubelet/kuberuntime/kuberuntime_manager.go, computePodActions and SyncPod)
 *   sees the sandbox gone, records `SandboxChanged` "Pod sandbox changed, it will be killed and
 *   re-created.", and starts a new sandbox whose containers run again with restartCount + 1 — except
 *   when restartPolicy is Never and a container was already created: then no sandbox is made and
 *   the pod ends (Failed, its containers exited 255), and when every container already finished
 *   for good (OnFailure after exit 0): then the pod ends too.
 * Init containers run again from the first in the new sandbox (the kubelet purges the old ones).
 */
import type { KObject } from '../../api/meta.js';
import type { ContainerRunner, ContainerStateView } from './container.js';

/** The kubelet's event reason and message when it re-creates a pod's sandbox (pkg/kubelet/events: SandboxChanged). */
export const SANDBOX_CHANGED = { reason: 'SandboxChanged', message: 'Pod sandbox changed, it will be killed and re-created.' };

type LastState = ContainerStateView | Record<string, never>;

interface StoredContainer {
  name: string;
  state?: Partial<Record<'waiting' | 'running' | 'terminated', Record<string, unknown>>>;
  lastState?: LastState;
  restartCount?: number;
  containerID?: string;
}

interface StoredStatus {
  phase?: string;
  podIP?: string;
  startTime?: string;
  conditions?: { type: string; status: string }[];
  containerStatuses?: StoredContainer[];
  initContainerStatuses?: StoredContainer[];
}

/** How one container continues: its counters, and the state it keeps when it does not run again. */
export interface ContainerResume {
  restartCount: number;
  lastState: LastState;
  /** Set when the container does not run again (the pod ended, or it succeeded under OnFailure). */
  final?: ContainerStateView;
  containerID?: string;
}

/** What a pod's previous run leaves to the node agent that finds it after a restart. */
export interface PriorRun {
  /** The pod IP, kept for the new sandbox. */
  ip: string;
  startTime?: string;
  /** When set, the pod does not run again and ends in this phase (no new sandbox). */
  ended?: 'Failed' | 'Succeeded';
  initialized: boolean;
  /** Main containers by name. */
  containers: Map<string, ContainerResume>;
  /** Init containers by name (only read when the pod ended; otherwise they run again from scratch). */
  init: Map<string, ContainerResume>;
}

/** A container that was running when its task vanished, as containerd's recovery reports it. */
function vanished(s: StoredContainer, running: Record<string, unknown>, now: string): ContainerStateView {
  return {
    terminated: {
      exitCode: 255, reason: 'Unknown', startedAt: String(running['startedAt'] ?? now), finishedAt: now,
      ...(s.containerID ? { containerID: s.containerID } : {}),
    },
  };
}

/** The kubelet's TerminatePod default for a container of an initialized pod that has no terminated state. */
const NOT_LOCATED: ContainerStateView = {
  terminated: { exitCode: 137, reason: 'ContainerStatusUnknown', message: 'The container could not be located when the pod was terminated' },
};

function resume(s: StoredContainer | undefined, policy: string, end: boolean, initialized: boolean, now: string): ContainerResume {
  if (!s) return end && initialized ? { restartCount: 0, lastState: {}, final: NOT_LOCATED } : { restartCount: 0, lastState: {} };
  const restartCount = s.restartCount ?? 0;
  const lastState: LastState = s.lastState ?? {};
  const base = { restartCount, lastState, ...(s.containerID ? { containerID: s.containerID } : {}) };
  const { running, terminated } = s.state ?? {};
  if (running) {
    const gone = vanished(s, running, now);
    return end ? { ...base, final: gone } : { ...base, restartCount: restartCount + 1, lastState: gone };
  }
  if (terminated) {
    const state = { terminated } as ContainerStateView;
    const done = end || policy === 'Never' || (policy === 'OnFailure' && terminated['exitCode'] === 0);
    // Restarting after an exit was already counted when it exited (knet counts at the exit, before the back-off).
    return done ? { ...base, final: state } : { ...base, lastState: state };
  }
  return end && initialized ? { ...base, final: NOT_LOCATED } : base;
}

/**
 * What the stored status of a pod says about its previous run on a node: undefined when it never
 * had a sandbox there (a new pod). `now` is the time the restart is noticed.
 */
export function priorRun(pod: KObject, now: string): PriorRun | undefined {
  const st = (pod.status ?? {}) as StoredStatus;
  if (!st.podIP) return undefined;
  const spec = (pod.spec ?? {}) as { restartPolicy?: string; containers?: { name: string }[]; initContainers?: { name: string }[] };
  const policy = spec.restartPolicy ?? 'Always';
  const stored = (list: StoredContainer[] | undefined) => new Map((list ?? []).map((c) => [c.name, c]));
  const main = stored(st.containerStatuses);
  const init = stored(st.initContainerStatuses);
  const initialized = st.conditions?.find((c) => c.type === 'Initialized')?.status === 'True';
  const created = [...main.values(), ...init.values()].some((c) => !!c.containerID);
  const never = policy === 'Never' && created; // computePodActions: no new sandbox once a container was created
  const containers = new Map((spec.containers ?? []).map((c) => [c.name, resume(main.get(c.name), policy, never, initialized, now)]));
  // Initialized and no container left to start: no sandbox either, and the pod ends.
  const end = never || (initialized && containers.size > 0 && [...containers.values()].every((c) => c.final));
  const inits = new Map(end ? (spec.initContainers ?? []).map((c) => [c.name, resume(init.get(c.name), 'Never', true, false, now)]) : []);
  return { ip: st.podIP, startTime: st.startTime, initialized, containers, init: inits, ...(end ? { ended: endPhase(containers, inits) } : {}) };
}

/** The phase of a pod that ends (kubelet getPhase): Failed when an init container or a container failed, else Succeeded. */
function endPhase(main: Map<string, ContainerResume>, init: Map<string, ContainerResume>): 'Failed' | 'Succeeded' {
  const failed = (c: ContainerResume) => !!c.final && 'terminated' in c.final && c.final.terminated.exitCode !== 0;
  if ([...init.values()].some(failed)) return 'Failed';
  const all = [...main.values()];
  return all.length > 0 && all.every((c) => c.final && 'terminated' in c.final) && !all.some(failed) ? 'Succeeded' : 'Failed';
}

/** The IP a pod keeps across the restart: its stored one, when it runs again in a new sandbox. */
export function keptIP(pod: KObject): string | undefined {
  const prior = priorRun(pod, '');
  return prior && !prior.ended ? prior.ip : undefined;
}

/** Gives a new runner the counters (and, when it does not run again, the state) of its previous run. */
export function applyResume(r: ContainerRunner, c: ContainerResume | undefined): void {
  if (!c) return;
  r.restartCount = c.restartCount;
  r.lastState = c.lastState;
  if (c.final) {
    r.state = c.final;
    if (c.containerID) r.containerID = c.containerID;
  }
}
