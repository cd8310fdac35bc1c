/** StatefulSet pod identity (stateful_set_utils): ordinals, names, labels, hostname/subdomain and claims. */
import type { StatefulSet } from '../../api/kinds/statefulset.js';
import type { Pod } from '../../api/kinds/pod.js';
import type { PodTemplateSpec } from '../../api/kinds/pod-spec.js';
import type { KObject } from '../../api/meta.js';
import { podFromTemplate } from '../util/pods.js';
import { REVISION_LABEL } from '../history/revisions.js';

/** The label with the pod's name (lets a Service select one replica). */
export const POD_NAME_LABEL = 'statefulset.kubernetes.io/pod-name';
/** The label with the pod's ordinal. */
export const POD_INDEX_LABEL = 'apps.kubernetes.io/pod-index';

/** The ordinal of a pod of this set (`<set>-<n>`), or -1 when the name is not a member's. */
export function ordinalOf(set: KObject, pod: KObject): number {
  const prefix = `${set.metadata.name}-`;
  const name = pod.metadata.name ?? '';
  if (!name.startsWith(prefix)) return -1;
  const rest = name.slice(prefix.length);
  return /^(0|[1-9][0-9]*)$/.test(rest) ? Number(rest) : -1;
}

/** The first ordinal (spec.ordinals.start). */
export const startOrdinal = (s: StatefulSet) => s.spec?.ordinals?.start ?? 0;

/** The name of the claim of template `claim` for pod `ordinal`: `<claim>-<set>-<ordinal>`. */
export function claimName(claim: string, s: StatefulSet, ordinal: number): string {
  return `${claim}-${s.metadata.name}-${ordinal}`;
}

function claimTemplateNames(s: StatefulSet): string[] {
  return (s.spec?.volumeClaimTemplates ?? []).map((t) => t.metadata?.name ?? '').filter(Boolean);
}

/** The pod's revision label. */
export const revisionOf = (p: Pod) => p.metadata.labels?.[REVISION_LABEL] ?? '';

/**
 * Whether the pod has the identity of ordinal `ord` (upstream identityMatches): its name, namespace
 * and name labels. Hostname and subdomain are set once at creation (initIdentity) and are
 * immutable, so a pod whose template changed them is not "repaired" (that update would be refused).
 */
export function identityMatches(s: StatefulSet, p: Pod, ord: number): boolean {
  const l = p.metadata.labels ?? {};
  return p.metadata.namespace === s.metadata.namespace && p.metadata.name === `${s.metadata.name}-${ord}` &&
    l[POD_NAME_LABEL] === p.metadata.name && l[POD_INDEX_LABEL] === String(ord);
}

/** Sets the identity of ordinal `ord` that can change on an existing pod: name, namespace and name labels (updateIdentity). */
export function setIdentity(s: StatefulSet, p: Pod, ord: number): void {
  const name = `${s.metadata.name}-${ord}`;
  p.metadata.name = name;
  p.metadata.namespace = s.metadata.namespace;
  p.metadata.labels = { ...p.metadata.labels, [POD_NAME_LABEL]: name, [POD_INDEX_LABEL]: String(ord) };
}

/** A new pod's full identity (initIdentity): setIdentity plus hostname and subdomain. */
function initIdentity(s: StatefulSet, p: Pod, ord: number): void {
  setIdentity(s, p, ord);
  const spec = (p.spec ??= { containers: [] } as never);
  spec.hostname = p.metadata.name;
  if (s.spec?.serviceName) spec.subdomain = s.spec.serviceName;
  else delete spec.subdomain;
}

/** newVersionedStatefulSetPod: the pod of ordinal `ord` from a revision's template, with its claims as volumes. */
export function newPod(s: StatefulSet, tpl: PodTemplateSpec, revision: string, ord: number): Pod {
  const pod = podFromTemplate(tpl, s);
  delete pod.metadata.generateName;
  initIdentity(s, pod, ord);
  pod.metadata.labels = { ...pod.metadata.labels, [REVISION_LABEL]: revision };
  const spec = pod.spec!;
  const claims = claimTemplateNames(s);
  const volumes = (spec.volumes ?? []).filter((v) => !claims.includes(v.name));
  for (const c of claims) volumes.push({ name: c, persistentVolumeClaim: { claimName: claimName(c, s, ord) } } as never);
  if (volumes.length) spec.volumes = volumes;
  return pod;
}

/** The claims pod `ord` needs (getPersistentVolumeClaims): the templates with set-specific names and the selector's labels. */
export function claimsFor(s: StatefulSet, ord: number): KObject[] {
  return (s.spec?.volumeClaimTemplates ?? []).flatMap((t) => {
    const meta = t.metadata ?? {};
    if (!meta.name) return [];
    const labels = { ...meta.labels, ...s.spec?.selector?.matchLabels };
    return [{
      apiVersion: 'v1', kind: 'PersistentVolumeClaim',
      metadata: { name: claimName(meta.name, s, ord), namespace: s.metadata.namespace, labels, ...(meta.annotations ? { annotations: { ...meta.annotations } } : {}) },
      spec: structuredClone(t.spec ?? {}),
    } as KObject];
  });
}
