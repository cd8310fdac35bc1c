/** DELETE and deletecollection: preconditions, finalizers, propagation policies, graceful deletion. */
import { errors, StatusError } from '../../api/errors.js';
import type { KObject } from '../../api/meta.js';
import type { ResourceDef } from '../../api/resource.js';
import { storeKey } from '../../api/registry.js';
import { StoreConflictError, type Store } from '../../store/types.js';
import { getObject, listObjects, type SelectOptions } from './read.js';
import type { WriteHooks } from './write.js';
import { clone, rfc3339 } from './meta.js';
import { inProcessUser, type AdmissionAttributes, type UserInfo } from './attributes.js';

/** meta/v1 DeleteOptions, as far as they matter here. */
export interface DeleteOptions {
  propagationPolicy?: 'Foreground' | 'Background' | 'Orphan';
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: boolean;
  orphanDependents?: boolean;
  /** Who asks (AdmissionReview userInfo); absent: the API server itself. */
  user?: UserInfo;
}

/** The outcome: the object as last seen, and whether it is gone (false: marked for deletion). */
export interface DeleteResult { object: KObject; deleted: boolean; warnings?: string[] }

/** Finalizer names of the garbage collector. */
export const FOREGROUND = 'foregroundDeletion';
export const ORPHAN = 'orphan';

/** Deletes one object, or marks it for deletion when finalizers or a grace period apply. */
export async function deleteObject(store: Store, def: ResourceDef, ns: string, name: string, opts: DeleteOptions, hooks: WriteHooks = {}): Promise<DeleteResult> {
  for (let attempt = 0; ; attempt++) {
    const cur = getObject(store, def, ns, name);
    const pre = opts.preconditions;
    if (pre?.uid && pre.uid !== cur.metadata.uid) {
      throw errors.conflict(def.plural, name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${cur.metadata.uid}`, def.group);
    }
    if (pre?.resourceVersion && pre.resourceVersion !== cur.metadata.resourceVersion) {
      throw errors.conflict(def.plural, name, `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${cur.metadata.resourceVersion}`, def.group);
    }
    hooks.admitDelete?.(def, cur);
    const warnings = await admitDeleteByWebhooks(def, cur, opts, hooks);
    try {
      const r = await deleteOnce(store, def, cur, opts);
      if (r.deleted && !opts.dryRun) hooks.afterWrite?.(def, undefined, cur);
      return { ...r, warnings };
    } catch (e) {
      if (e instanceof StoreConflictError && attempt < 5) continue;
      if (e instanceof StoreConflictError) throw errors.conflict(def.plural, name, 'the object has been modified; please apply your changes to the latest version and try again', def.group);
      throw e;
    }
  }
}

/** DELETE admission that may call out (webhooks): mutating then validating, with the stored object as oldObject. */
async function admitDeleteByWebhooks(def: ResourceDef, cur: KObject, opts: DeleteOptions, hooks: WriteHooks): Promise<string[]> {
  if (!hooks.mutate && !hooks.validate) return [];
  const { user, ...rest } = opts;
  const a: AdmissionAttributes = {
    def, operation: 'DELETE', oldObject: cur, namespace: cur.metadata.namespace ?? '', name: cur.metadata.name ?? '', subresource: '',
    dryRun: !!opts.dryRun, user: user ?? inProcessUser('kube-apiserver'), warnings: [],
    options: { ...rest, kind: 'DeleteOptions', apiVersion: 'meta.k8s.io/v1', dryRun: opts.dryRun ? ['All'] : undefined },
  };
  const m = hooks.mutate?.(a);
  if (m) await m;
  const v = hooks.validate?.(a);
  if (v) await v;
  return a.warnings;
}

function policyOf(opts: DeleteOptions): DeleteOptions['propagationPolicy'] {
  if (opts.propagationPolicy) return opts.propagationPolicy;
  if (opts.orphanDependents === true) return 'Orphan';
  return 'Background';
}

async function deleteOnce(store: Store, def: ResourceDef, cur: KObject, opts: DeleteOptions): Promise<DeleteResult> {
  const key = storeKey(def, cur.metadata.namespace ?? '', cur.metadata.name);
  const policy = policyOf(opts);
  const finalizers = [...(cur.metadata.finalizers ?? [])];
  if (policy === 'Foreground' && !finalizers.includes(FOREGROUND)) finalizers.push(FOREGROUND);
  if (policy === 'Orphan' && !finalizers.includes(ORPHAN)) finalizers.push(ORPHAN);
  const grace = def.deletionGracePeriod?.(cur, opts.gracePeriodSeconds) ?? 0;
  const nsPending = def.kind === 'Namespace' && ((cur.spec as { finalizers?: string[] } | undefined)?.finalizers?.length ?? 0) > 0;
  if (cur.metadata.deletionTimestamp) {
    // Already being deleted: only a shorter grace period or a new finalizer changes anything.
    const shorter = grace < (cur.metadata.deletionGracePeriodSeconds ?? 0);
    const added = finalizers.length !== (cur.metadata.finalizers ?? []).length;
    if (!shorter && !added) return { object: cur, deleted: false };
    if (shorter && grace === 0 && finalizers.length === 0 && !nsPending) return removeNow(store, key, cur, opts);
  } else if (finalizers.length === 0 && grace === 0 && !nsPending) {
    return removeNow(store, key, cur, opts);
  }
  const next = clone(cur);
  next.metadata.finalizers = finalizers;
  if (finalizers.length === 0) delete next.metadata.finalizers;
  const now = new Date();
  if (!next.metadata.deletionTimestamp || grace < (cur.metadata.deletionGracePeriodSeconds ?? 0)) {
    next.metadata.deletionTimestamp = rfc3339(new Date(now.getTime() + grace * 1000));
    next.metadata.deletionGracePeriodSeconds = grace;
  }
  if (def.generation) next.metadata.generation = (cur.metadata.generation ?? 1) + 1;
  def.markDeleting?.(next);
  if (opts.dryRun) return { object: next, deleted: false };
  return { object: await store.update(key, next, cur.metadata.resourceVersion), deleted: false };
}

async function removeNow(store: Store, key: string, cur: KObject, opts: DeleteOptions): Promise<DeleteResult> {
  if (opts.dryRun) return { object: cur, deleted: true };
  return { object: await store.delete(key, cur.metadata.resourceVersion), deleted: true };
}

/** Deletes every object of a collection that matches the selectors; returns what was deleted or marked. */
export async function deleteCollection(store: Store, def: ResourceDef, ns: string | undefined, sel: SelectOptions, opts: DeleteOptions, hooks: WriteHooks = {}): Promise<KObject[]> {
  const { items } = listObjects(store, def, ns, sel);
  const out: KObject[] = [];
  for (const o of items) {
    try {
      out.push((await deleteObject(store, def, o.metadata.namespace ?? '', o.metadata.name!, opts, hooks)).object);
    } catch (e) {
      if (e instanceof StatusError && e.code === 404) continue;
      throw e;
    }
  }
  return out;
}
