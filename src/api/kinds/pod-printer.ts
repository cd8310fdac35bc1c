/** The Pod table printer, computed the way kube-apiserver's printPod does. */
import type { ColumnDef, Cell } from '../resource.js';
import { age, col, nameColumn, ageColumn } from '../printers/util.js';
import type { Pod } from './pod-types.js';
import type { ContainerStatus } from './pod-status.js';

export const podColumns: ColumnDef[] = [
  nameColumn,
  col('Ready', 'string', 'The aggregate readiness state of this pod for accepting traffic.'),
  col('Status', 'string', 'The aggregate status of the containers in this pod.'),
  col('Restarts', 'string', 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.'),
  ageColumn,
  col('IP', 'string', 'IP address allocated to the pod.', 1),
  col('Node', 'string', 'Node the pod is bound to.', 1),
  col('Nominated Node', 'string', 'Node the pod may run on once preemption completes.', 1),
  col('Readiness Gates', 'string', 'Extra conditions evaluated for pod readiness.', 1),
];

function finishedAt(s: ContainerStatus): number {
  const t = s.lastState?.terminated?.finishedAt;
  return t ? Date.parse(t) : 0;
}

function conditionTrue(pod: Pod, type: string): boolean {
  return (pod.status?.conditions ?? []).some((c) => c.type === type && c.status === 'True');
}

/** The Status column: phase or reason, refined by init and app container states, Terminating, and so on. */
function podRow(pod: Pod): { ready: string; reason: string; restarts: number; lastRestart: number } {
  const spec = pod.spec;
  const status = pod.status ?? {};
  let total = spec?.containers?.length ?? 0;
  let ready = 0;
  let restarts = 0;
  let sidecarRestarts = 0;
  let lastRestart = 0;
  let lastSidecarRestart = 0;
  const phase = status.phase ?? '';
  let reason = status.reason || phase;
  for (const c of status.conditions ?? []) if (c.type === 'PodScheduled' && c.reason === 'SchedulingGated') reason = 'SchedulingGated';
  const inits = new Map((spec?.initContainers ?? []).map((c) => [c.name, c]));
  for (const c of spec?.initContainers ?? []) if (c.restartPolicy === 'Always') total++;
  let initializing = false;
  const initStatuses = status.initContainerStatuses ?? [];
  for (let i = 0; i < initStatuses.length; i++) {
    const c = initStatuses[i]!;
    restarts += c.restartCount ?? 0;
    lastRestart = Math.max(lastRestart, finishedAt(c));
    const sidecar = inits.get(c.name)?.restartPolicy === 'Always';
    if (sidecar) { sidecarRestarts += c.restartCount ?? 0; lastSidecarRestart = Math.max(lastSidecarRestart, finishedAt(c)); }
    const term = c.state?.terminated;
    const wait = c.state?.waiting;
    if (term && term.exitCode === 0) continue;
    if (sidecar && c.started) { if (c.ready) ready++; continue; }
    if (term) reason = term.reason ? `Init:${term.reason}` : term.signal ? `Init:Signal:${term.signal}` : `Init:ExitCode:${term.exitCode}`;
    else if (wait?.reason && wait.reason !== 'PodInitializing') reason = `Init:${wait.reason}`;
    else reason = `Init:${i}/${spec?.initContainers?.length ?? 0}`;
    initializing = true;
    break;
  }
  if (!initializing || conditionTrue(pod, 'Initialized')) {
    restarts = sidecarRestarts;
    lastRestart = lastSidecarRestart;
    let hasRunning = false;
    const cs = status.containerStatuses ?? [];
    for (let i = cs.length - 1; i >= 0; i--) {
      const c = cs[i]!;
      restarts += c.restartCount ?? 0;
      lastRestart = Math.max(lastRestart, finishedAt(c));
      const term = c.state?.terminated;
      if (c.state?.waiting?.reason) reason = c.state.waiting.reason;
      else if (term?.reason) reason = term.reason;
      else if (term) reason = term.signal ? `Signal:${term.signal}` : `ExitCode:${term.exitCode}`;
      else if (c.ready && c.state?.running) { hasRunning = true; ready++; }
    }
    if (reason === 'Completed' && hasRunning) reason = conditionTrue(pod, 'Ready') ? 'Running' : 'NotReady';
  }
  if (pod.metadata.deletionTimestamp && status.reason === 'NodeLost') reason = 'Unknown';
  else if (pod.metadata.deletionTimestamp && phase !== 'Succeeded' && phase !== 'Failed') reason = 'Terminating';
  return { ready: `${ready}/${total}`, reason, restarts, lastRestart };
}

/** One table row with the wide columns included, as the server always sends them. */
export function printPod(pod: Pod, now: Date): Cell[] {
  const r = podRow(pod);
  let restarts = String(r.restarts);
  if (r.restarts !== 0 && r.lastRestart > 0) restarts = `${r.restarts} (${age(new Date(r.lastRestart).toISOString(), now)} ago)`;
  const status = pod.status ?? {};
  const gates = pod.spec?.readinessGates ?? [];
  let readinessGates = '<none>';
  if (gates.length) {
    const n = gates.filter((g) => (status.conditions ?? []).find((c) => c.type === g.conditionType)?.status === 'True').length;
    readinessGates = `${n}/${gates.length}`;
  }
  return [
    pod.metadata.name ?? '', r.ready, r.reason, restarts, age(pod.metadata.creationTimestamp, now),
    status.podIPs?.[0]?.ip || '<none>', pod.spec?.nodeName || '<none>', status.nominatedNodeName || '<none>', readinessGates,
  ];
}
