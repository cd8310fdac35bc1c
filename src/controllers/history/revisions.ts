/**
 * ControllerRevision history shared by the StatefulSet and DaemonSet controllers (controller/history):
 * the template snapshot, its hash and name, finding or creating the revision of a template, and
 * truncating old revisions.
 */
import type { ControllerRevision } from '../../api/kinds/controllerrevision.js';
import type { PodTemplateSpec } from '../../api/kinds/pod-spec.js';
import type { KObject } from '../../api/meta.js';
import { semanticEqual } from '../../api/kinds/apps-common.js';
import { StatusError } from '../../api/errors.js';
import type { Client } from '../../client/client.js';
import type { ClusterView } from '../../client/view.js';
import { safeEncodeString } from '../deployment/util.js';
import { controllerOf, controllerRef } from '../util/pods.js';

/** The resource of ControllerRevisions. */
export const REVISIONS = { resource: 'controllerrevisions', group: 'apps' };
/** The pod (and DaemonSet revision) label naming the revision a pod was made from. */
export const REVISION_LABEL = 'controller-revision-hash';

/** The revision data of a template: a strategic merge patch replacing spec.template (getPatch). */
export function templatePatch(tpl: PodTemplateSpec | undefined): Record<string, unknown> {
  return { spec: { template: { ...structuredClone(tpl ?? {}), $patch: 'replace' } } };
}

/** The pod template stored in a revision's data. */
export function templateOf(rev: ControllerRevision): PodTemplateSpec {
  const tpl = structuredClone(((rev.data as { spec?: { template?: Record<string, unknown> } } | undefined)?.spec?.template) ?? {});
  delete tpl['$patch'];
  return tpl as PodTemplateSpec;
}

function sortedJSON(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) =>
    x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : x);
}

/** HashControllerRevision: FNV-32 of the data (with the collision count as decimal text), safely encoded. */
export function hashRevision(data: unknown, collisionCount?: number): string {
  const bytes = [...Buffer.from(sortedJSON(data) + (collisionCount !== undefined ? String(collisionCount) : ''), 'utf8')];
  let h = 0x811c9dc5;
  for (const b of bytes) h = (Math.imul(h, 0x01000193) ^ b) >>> 0;
  return safeEncodeString(String(h));
}

/** The revisions a parent controls, oldest revision first. */
export function ownedRevisions(view: ClusterView, parent: KObject): ControllerRevision[] {
  return view.controllerRevisions.list(parent.metadata.namespace ?? '')
    .filter((r) => controllerOf(r)?.uid === parent.metadata.uid)
    .sort((a, b) => (a.revision ?? 0) - (b.revision ?? 0) || ((a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1));
}

/** What `syncRevision` found or made. */
export interface RevisionSync { update: ControllerRevision; collisionCount: number; revisions: ControllerRevision[] }

/**
 * The revision of the parent's template: an equal one (renumbered to be the newest) or a new one
 * named `<parent>-<hash>`, bumping the collision count when that name is taken by other data.
 * `labels` go on a new revision; the parent's annotations are copied as upstream does.
 */
export async function syncRevision(client: Client, view: ClusterView, parent: KObject, tpl: PodTemplateSpec | undefined,
  collisionCount: number, labels: (hash: string) => Record<string, string>): Promise<RevisionSync> {
  const revisions = ownedRevisions(view, parent);
  const data = templatePatch(tpl);
  const next = (revisions.at(-1)?.revision ?? 0) + 1;
  const equal = revisions.filter((r) => semanticEqual(r.data, data));
  const latest = equal.at(-1);
  if (latest) {
    if (latest === revisions.at(-1)) return { update: latest, collisionCount, revisions };
    const bumped = await client.update(REVISIONS, { ...structuredClone(latest), revision: next } as KObject) as ControllerRevision;
    return { update: bumped, collisionCount, revisions: [...revisions.filter((r) => r !== latest), bumped] };
  }
  for (let count = collisionCount; ; count++) {
    const hash = hashRevision(data, count);
    const name = `${(parent.metadata.name ?? '').slice(0, 223)}-${hash}`;
    const rev = {
      apiVersion: 'apps/v1', kind: 'ControllerRevision',
      metadata: { name, namespace: parent.metadata.namespace, labels: labels(hash), ownerReferences: [controllerRef(parent)],
        ...(parent.metadata.annotations ? { annotations: { ...parent.metadata.annotations } } : {}) },
      data, revision: next,
    } as ControllerRevision;
    try {
      const made = await client.create(REVISIONS, rev) as ControllerRevision;
      return { update: made, collisionCount: count, revisions: [...revisions, made] };
    } catch (e) {
      if (!(e instanceof StatusError && e.code === 409)) throw e;
      const have = client.get(REVISIONS, parent.metadata.namespace ?? '', name) as ControllerRevision | undefined;
      if (have && controllerOf(have)?.uid === parent.metadata.uid && semanticEqual(have.data, data)) {
        return { update: have, collisionCount: count, revisions: [...revisions, have] };
      }
    }
  }
}

/** Deletes the oldest revisions not in `live` beyond `limit` (truncateHistory). */
export async function truncateHistory(client: Client, revisions: ControllerRevision[], live: Set<string>, limit: number): Promise<void> {
  const old = revisions.filter((r) => !live.has(r.metadata.name ?? ''));
  for (const r of old.slice(0, Math.max(0, old.length - limit))) {
    await client.delete(REVISIONS, r.metadata.namespace ?? '', r.metadata.name ?? '').catch((e: unknown) => {
      if (!(e instanceof StatusError && e.code === 404)) throw e;
    });
  }
}
