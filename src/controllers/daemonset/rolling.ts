/**
 * The DaemonSet plan for one pass (manage + rollingUpdate of daemon_controller.go / update.go):
 * which nodes get a new pod and which pods go, given the pods per node and the current hash.
 */
import type { DaemonSet } from '../../api/kinds/daemonset.js';
import type { Pod } from '../../api/kinds/pod.js';
import { scaled } from '../deployment/util.js';
import { isPodAvailable } from '../util/pods.js';
import { REVISION_LABEL } from '../history/revisions.js';

/** One node's state: whether it should run a daemon pod and the pods there. */
export interface NodeState { node: string; run: boolean; keep: boolean; pods: Pod[] }

/** What to do in this pass. */
export interface Plan { create: string[]; remove: Pod[] }

const failed = (p: Pod) => p.status?.phase === 'Failed';
const terminating = (p: Pod) => !!p.metadata.deletionTimestamp;
const byAge = (a: Pod, b: Pod) => ((a.metadata.creationTimestamp ?? '') < (b.metadata.creationTimestamp ?? '') ? -1 : (a.metadata.creationTimestamp ?? '') > (b.metadata.creationTimestamp ?? '') ? 1 : 0);

/** Whether the pod runs the current template. */
export const isUpdated = (p: Pod, hash: string) => p.metadata.labels?.[REVISION_LABEL] === hash;

/** [maxSurge, maxUnavailable] for `desired` nodes (updatedesiredNodes / unavailableCount). */
export function surgeAndUnavailable(ds: DaemonSet, desired: number): [number, number] {
  const ru = ds.spec?.updateStrategy?.rollingUpdate;
  const surge = scaled(ru?.maxSurge ?? 0, desired, true);
  const unavailable = scaled(ru?.maxUnavailable ?? 1, desired, true);
  return surge === 0 && unavailable === 0 ? [0, 1] : [surge, unavailable];
}

/** The creates and deletes for this pass. */
export function plan(ds: DaemonSet, nodes: NodeState[], hash: string, now: number): Plan {
  const out: Plan = { create: [], remove: [] };
  const minReady = ds.spec?.minReadySeconds ?? 0;
  const rolling = ds.spec?.updateStrategy?.type !== 'OnDelete';
  const desired = nodes.filter((n) => n.run).length;
  const [maxSurge, maxUnavailable] = rolling ? surgeAndUnavailable(ds, desired) : [0, 0];
  const available = (p: Pod) => isPodAvailable(p, minReady, now);
  let unavailable = 0, surging = 0;
  const oldAvailable: Pod[] = [];
  const wantSurge: string[] = [];
  for (const n of nodes) {
    const live = n.pods.filter((p) => !terminating(p));
    if (!n.keep) out.remove.push(...live);
    if (!n.run || !n.keep) continue;
    out.remove.push(...live.filter(failed));
    const running = live.filter((p) => !failed(p)).sort(byAge);
    if (running.length === 0) {
      if (!n.pods.some(terminating)) out.create.push(n.node);
      unavailable++;
      continue;
    }
    const fresh = running.filter((p) => isUpdated(p, hash)), old = running.filter((p) => !isUpdated(p, hash));
    // Duplicates: keep the oldest pod (with surge, the oldest new and the oldest old one).
    const keepNew = fresh[0], keepOld = maxSurge > 0 || !keepNew ? old[0] : undefined;
    out.remove.push(...running.filter((p) => p !== keepNew && p !== keepOld));
    if (!(keepNew ? available(keepNew) : keepOld && available(keepOld))) unavailable++;
    if (!rolling || !keepOld) continue;
    if (maxSurge === 0) {
      if (!available(keepOld)) out.remove.push(keepOld);
      else oldAvailable.push(keepOld);
    } else if (keepNew) {
      surging++;
      if (available(keepNew)) out.remove.push(keepOld);
    } else if (!available(keepOld)) out.remove.push(keepOld);
    else wantSurge.push(n.node);
  }
  if (rolling && maxSurge === 0) out.remove.push(...oldAvailable.slice(0, Math.max(0, maxUnavailable - unavailable)));
  if (rolling && maxSurge > 0) out.create.push(...wantSurge.slice(0, Math.max(0, maxSurge - surging)));
  return out;
}
