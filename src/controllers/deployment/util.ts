/** Deployment helpers (deploymentutil): template hash, surge/unavailable limits, revisions, replica counts. */
import type { Deployment } from '../../api/kinds/deployment.js';
import type { ReplicaSet } from '../../api/kinds/replicaset.js';
import type { PodTemplateSpec } from '../../api/kinds/pod-spec.js';
import { semanticEqual } from '../../api/kinds/apps-common.js';

export const HASH_LABEL = 'pod-template-hash';
export const REVISION = 'deployment.kubernetes.io/revision';
export const REVISION_HISTORY = 'deployment.kubernetes.io/revision-history';
export const DESIRED = 'deployment.kubernetes.io/desired-replicas';
export const MAX_REPLICAS = 'deployment.kubernetes.io/max-replicas';
const SKIP = new Set(['kubectl.kubernetes.io/last-applied-configuration', REVISION, REVISION_HISTORY, DESIRED, MAX_REPLICAS, 'deprecated.deployment.rollback.to']);
const MAX_HISTORY_CHARS = 2000;
const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) =>
    x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : x);
}

/** ComputeHash: fnv32a over the template (and collision count), encoded with SafeEncodeString. */
export function computeHash(tpl: PodTemplateSpec | undefined, collisionCount?: number): string {
  const bytes = [...Buffer.from(canonical(tpl ?? {}), 'utf8')];
  if (collisionCount !== undefined) bytes.push(collisionCount & 255, (collisionCount >>> 8) & 255, (collisionCount >>> 16) & 255, (collisionCount >>> 24) & 255);
  let h = 0x811c9dc5;
  for (const b of bytes) h = Math.imul(h ^ b, 0x01000193) >>> 0;
  return safeEncodeString(String(h));
}

/** rand.SafeEncodeString: maps each character to one of 27 letters and digits that spell no words. */
export function safeEncodeString(s: string): string {
  return [...s].map((c) => ALPHANUMS[c.charCodeAt(0) % ALPHANUMS.length]).join('');
}

/** EqualIgnoreHash: templates equal apart from the pod-template-hash label. */
export function equalIgnoreHash(a: PodTemplateSpec | undefined, b: PodTemplateSpec | undefined): boolean {
  const strip = (t: PodTemplateSpec | undefined) => {
    const c = structuredClone(t ?? {});
    if (c.metadata?.labels) delete c.metadata.labels[HASH_LABEL];
    return c;
  };
  return semanticEqual(strip(a), strip(b));
}

/** GetScaledValueFromIntOrPercent. */
export function scaled(v: number | string | undefined, total: number, roundUp: boolean): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.endsWith('%')) {
    const x = (parseInt(v, 10) * total) / 100;
    return roundUp ? Math.ceil(x) : Math.floor(x);
  }
  return typeof v === 'string' ? parseInt(v, 10) || 0 : 0;
}

const replicas = (d: Deployment) => d.spec?.replicas ?? 1;
const isRolling = (d: Deployment) => d.spec?.strategy?.type !== 'Recreate';

/** ResolveFenceposts: [maxSurge, maxUnavailable] for the desired replica count. */
export function fenceposts(d: Deployment): [number, number] {
  const ru = d.spec?.strategy?.rollingUpdate;
  const surge = scaled(ru?.maxSurge ?? '25%', replicas(d), true);
  const unavailable = scaled(ru?.maxUnavailable ?? '25%', replicas(d), false);
  return surge === 0 && unavailable === 0 ? [0, 1] : [surge, unavailable];
}

/** MaxSurge (0 for Recreate). */
export function maxSurge(d: Deployment): number {
  return isRolling(d) ? fenceposts(d)[0] : 0;
}

/** MaxUnavailable (0 for Recreate or no replicas; at most the replica count). */
export function maxUnavailable(d: Deployment): number {
  if (!isRolling(d) || replicas(d) === 0) return 0;
  return Math.min(fenceposts(d)[1], replicas(d));
}

/** The revision number of a ReplicaSet (0 when absent). */
export function revisionOf(rs: ReplicaSet): number {
  return Number(rs.metadata.annotations?.[REVISION] ?? 0) || 0;
}

/** Sum of spec.replicas. */
export const specReplicas = (l: ReplicaSet[]) => l.reduce((n, rs) => n + (rs.spec?.replicas ?? 0), 0);
/** Sum of status.replicas. */
export const actualReplicas = (l: ReplicaSet[]) => l.reduce((n, rs) => n + (rs.status?.replicas ?? 0), 0);
/** Sum of status.readyReplicas. */
export const readyReplicas = (l: ReplicaSet[]) => l.reduce((n, rs) => n + (rs.status?.readyReplicas ?? 0), 0);
/** Sum of status.availableReplicas. */
export const availableReplicas = (l: ReplicaSet[]) => l.reduce((n, rs) => n + (rs.status?.availableReplicas ?? 0), 0);
/** Sum of status.terminatingReplicas, or undefined when some ReplicaSet does not report it. */
export function terminatingReplicas(l: ReplicaSet[]): number | undefined {
  let n = 0;
  for (const rs of l) {
    if (rs.status?.terminatingReplicas === undefined) return undefined;
    n += rs.status.terminatingReplicas;
  }
  return n;
}

/** ReplicaSets with spec.replicas > 0. */
export const active = (l: ReplicaSet[]) => l.filter((rs) => (rs.spec?.replicas ?? 0) > 0);

/** Oldest first (ReplicaSetsByCreationTimestamp). */
export function byCreation(a: ReplicaSet, b: ReplicaSet): number {
  const ta = a.metadata.creationTimestamp ?? '', tb = b.metadata.creationTimestamp ?? '';
  if (ta !== tb) return ta < tb ? -1 : 1;
  return (a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1;
}

/** FindNewReplicaSet: the oldest ReplicaSet whose template equals the deployment's. */
export function findNewRS(d: Deployment, list: ReplicaSet[]): ReplicaSet | undefined {
  return [...list].sort(byCreation).find((rs) => equalIgnoreHash(rs.spec?.template, d.spec?.template));
}

/** Sets desired/max replica annotations; true when they changed (SetReplicasAnnotations). */
export function setReplicasAnnotations(rs: ReplicaSet, desired: number, max: number): boolean {
  const a = (rs.metadata.annotations ??= {});
  if (a[DESIRED] === String(desired) && a[MAX_REPLICAS] === String(max)) return false;
  a[DESIRED] = String(desired);
  a[MAX_REPLICAS] = String(max);
  return true;
}

/** SetNewReplicaSetAnnotations: copies deployment annotations, sets revision (and history on reuse). */
export function setNewRSAnnotations(d: Deployment, rs: ReplicaSet, newRevision: number, exists: boolean): boolean {
  const a = (rs.metadata.annotations ??= {});
  let changed = false;
  for (const [k, v] of Object.entries(d.metadata.annotations ?? {})) {
    if (SKIP.has(k) || a[k] === v) continue;
    a[k] = v;
    changed = true;
  }
  const hadRevision = REVISION in a;
  const oldRevision = a[REVISION] ?? '';
  const oldInt = Number(oldRevision || 0);
  if (oldInt < newRevision) {
    a[REVISION] = String(newRevision);
    changed = true;
    if (hadRevision && oldRevision) {
      const hist = a[REVISION_HISTORY] ?? '';
      let old = hist ? hist.split(',') : [];
      let total = hist.length + oldRevision.length + 1;
      while (total > MAX_HISTORY_CHARS && old.length) { total -= old[0]!.length + 1; old = old.slice(1); }
      if (total <= MAX_HISTORY_CHARS) a[REVISION_HISTORY] = [...old, oldRevision].join(',');
    }
  }
  if (!exists && setReplicasAnnotations(rs, replicas(d), replicas(d) + maxSurge(d))) changed = true;
  return changed;
}
