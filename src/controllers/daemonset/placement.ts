/**
 * Where daemon pods belong (daemon_controller.go NodeShouldRunDaemonPod and daemonset/util): the pod
 * for a node with upstream's default tolerations and node-name affinity, and whether a node should
 * run it (nodeSelector, required node affinity, NoSchedule/NoExecute taints).
 */
import type { DaemonSet } from '../../api/kinds/daemonset.js';
import { TEMPLATE_GENERATION } from '../../api/kinds/daemonset.js';
import type { Pod } from '../../api/kinds/pod.js';
import { matchesAffinity, tolerates, type SchedNode, type Toleration } from '../scheduler/filters.js';
import { podFromTemplate } from '../util/pods.js';
import { REVISION_LABEL } from '../history/revisions.js';

/** The label with the DaemonSet's template generation. */
export const TEMPLATE_GENERATION_LABEL = 'pod-template-generation';

/** AddOrUpdateDaemonPodTolerations: the node-condition taints daemon pods always tolerate. */
export function daemonTolerations(hostNetwork: boolean): Toleration[] {
  const t = (key: string, effect: string): Toleration => ({ key: `node.kubernetes.io/${key}`, operator: 'Exists', effect });
  return [
    t('not-ready', 'NoExecute'), t('unreachable', 'NoExecute'), t('disk-pressure', 'NoSchedule'), t('memory-pressure', 'NoSchedule'),
    t('pid-pressure', 'NoSchedule'), t('unschedulable', 'NoSchedule'), ...(hostNetwork ? [t('network-unavailable', 'NoSchedule')] : []),
  ];
}

function addTolerations(have: Toleration[], add: Toleration[]): Toleration[] {
  const out = [...have];
  for (const t of add) {
    const i = out.findIndex((x) => x.key === t.key && x.effect === t.effect);
    if (i >= 0) out[i] = t;
    else out.push(t);
  }
  return out;
}

/** The daemon pod for a node from the current template: labels, tolerations and `metadata.name In [node]` affinity. */
export function newDaemonPod(ds: DaemonSet, node: string, hash: string): Pod {
  const pod = podFromTemplate(ds.spec?.template ?? {}, ds);
  const generation = ds.metadata.annotations?.[TEMPLATE_GENERATION];
  pod.metadata.labels = { ...pod.metadata.labels, [REVISION_LABEL]: hash, ...(generation ? { [TEMPLATE_GENERATION_LABEL]: generation } : {}) };
  const spec = pod.spec!;
  spec.tolerations = addTolerations((spec.tolerations ?? []) as Toleration[], daemonTolerations(!!spec.hostNetwork)) as never;
  const affinity = (spec.affinity ??= {});
  const nodeAffinity = (affinity.nodeAffinity ??= {});
  nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution = {
    nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [node] }] }],
  } as never;
  return pod;
}

/** The node a daemon pod is bound to or targets through its node-name affinity. */
export function targetNode(p: Pod): string | undefined {
  if (p.spec?.nodeName) return p.spec.nodeName;
  const terms = (p.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution as { nodeSelectorTerms?: { matchFields?: { key: string; operator: string; values?: string[] }[] }[] } | undefined)?.nodeSelectorTerms ?? [];
  for (const t of terms) {
    for (const f of t.matchFields ?? []) if (f.key === 'metadata.name' && f.operator === 'In' && f.values?.length === 1) return f.values[0];
  }
  return undefined;
}

/** NodeShouldRunDaemonPod: whether the node should run a daemon pod, and whether one there may keep running. */
export function shouldRun(ds: DaemonSet, node: SchedNode): { run: boolean; keep: boolean } {
  const tpl = podFromTemplate(ds.spec?.template ?? {}, ds);
  const tols = addTolerations((tpl.spec?.tolerations ?? []) as Toleration[], daemonTolerations(!!tpl.spec?.hostNetwork));
  if (tpl.spec?.nodeName && tpl.spec.nodeName !== node.metadata.name) return { run: false, keep: false };
  if (!matchesAffinity(tpl, node)) return { run: false, keep: false };
  const untolerated = (node.spec?.taints ?? []).filter((t) => (t.effect === 'NoSchedule' || t.effect === 'NoExecute') && !tols.some((x) => tolerates(x, t)));
  return { run: untolerated.length === 0, keep: !untolerated.some((t) => t.effect === 'NoExecute') };
}
