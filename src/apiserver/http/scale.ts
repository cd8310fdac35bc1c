/** The /scale subresource: autoscaling/v1 Scale views of Deployments and ReplicaSets. */
import { errors } from '../../api/errors.js';
import type { KObject } from '../../api/meta.js';
import type { ResourceDef } from '../../api/resource.js';
import type { Store } from '../../store/types.js';
import { jsonPatch } from '../patch/json.js';
import { mergePatch } from '../patch/merge.js';
import type { PatchType } from '../storage/patch.js';
import { clone } from '../storage/meta.js';
import { updateObject, type WriteHooks, type WriteOptions } from '../storage/write.js';

/** The Scale object of a scalable resource. */
export function getScale(def: ResourceDef, o: KObject): unknown {
  const s = def.scale!;
  const m = o.metadata;
  return {
    kind: 'Scale', apiVersion: 'autoscaling/v1',
    metadata: { name: m.name, namespace: m.namespace, uid: m.uid, resourceVersion: m.resourceVersion, creationTimestamp: m.creationTimestamp },
    spec: { replicas: s.specReplicas(o) }, status: { replicas: s.statusReplicas(o), selector: s.selector(o) },
  };
}

/** Applies a Scale body (PUT). */
export async function updateScale(store: Store, def: ResourceDef, old: KObject, body: unknown, opts: WriteOptions, hooks: WriteHooks = {}): Promise<KObject> {
  const scale = body as { spec?: { replicas?: unknown }; metadata?: { resourceVersion?: string } };
  const n = scale?.spec?.replicas ?? 0;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) {
    throw errors.invalid('Scale', old.metadata.name ?? '', [{ type: 'FieldValueInvalid', field: 'spec.replicas', value: n, detail: 'must be greater than or equal to 0' }], 'autoscaling');
  }
  const next = clone(old);
  def.scale!.setSpecReplicas(next, n);
  if (scale.metadata?.resourceVersion) next.metadata.resourceVersion = scale.metadata.resourceVersion;
  return (await updateObject(store, def, old, next, { ...opts, subresource: undefined }, false, hooks)).object;
}

/** Applies a patch to the Scale view, then the new replica count. */
export async function patchScale(store: Store, def: ResourceDef, old: KObject, type: PatchType, patch: unknown, opts: WriteOptions, hooks: WriteHooks = {}): Promise<KObject> {
  const cur = getScale(def, old);
  const next = type === 'json' ? jsonPatch(cur, patch) : mergePatch(cur, patch);
  return updateScale(store, def, old, next, opts, hooks);
}
