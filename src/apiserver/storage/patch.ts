/** PATCH: json-patch, merge-patch, strategic-merge-patch and server-side apply over the write pipeline. */
import { errors, StatusError } from '../../api/errors.js';
import type { KObject } from '../../api/meta.js';
import { apiVersionOf, type ResourceDef } from '../../api/resource.js';
import { jsonPatch } from '../patch/json.js';
import { mergePatch } from '../patch/merge.js';
import { strategicMergePatch } from '../patch/strategic.js';
import { serverSideApply, conflictError } from '../patch/apply.js';
import { PatchError } from '../patch/errors.js';
import type { Store } from '../../store/types.js';
import { getObject } from './read.js';
import { asObject, createObject, structural, updateObject, type WriteHooks, type WriteOptions, type WriteResult } from './write.js';
import { clone, rfc3339 } from './meta.js';

/** The four patch media types. */
export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

/** Maps a Content-Type to a patch type, or undefined when unsupported. */
export function patchTypeOf(contentType: string): PatchType | undefined {
  const ct = contentType.split(';')[0]!.trim().toLowerCase();
  switch (ct) {
    case 'application/json-patch+json': return 'json';
    case 'application/merge-patch+json': return 'merge';
    case 'application/strategic-merge-patch+json': return 'strategic';
    case 'application/apply-patch+yaml': case 'application/apply-patch+cbor': return 'apply';
    default: return undefined;
  }
}

/** 415 for a PATCH whose Content-Type is not a patch type, listing the accepted ones in kube-apiserver's order. */
export function unsupportedPatchType(custom: boolean, apply = true): StatusError {
  // Custom resources have no Go types to merge strategically: upstream leaves that type out of the list.
  const accepted = ['application/json-patch+json', 'application/merge-patch+json', ...(custom ? [] : ['application/strategic-merge-patch+json']), ...(apply ? ['application/apply-patch+yaml'] : [])];
  const message = `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`;
  return new StatusError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: 'UnsupportedMediaType', code: 415 });
}

function applyPatch(def: ResourceDef, type: PatchType, current: KObject, patch: unknown): KObject {
  try {
    switch (type) {
      case 'json': return jsonPatch(current, patch) as KObject;
      case 'merge': return mergePatch(current, patch) as KObject;
      default: return strategicMergePatch(current, patch, def.schema) as KObject;
    }
  } catch (e) {
    if (e instanceof PatchError) throw patchStatus(e);
    throw e;
  }
}

/** The Status a patch engine error becomes. */
function patchStatus(e: PatchError): StatusError {
  return new StatusError({
    kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: e.message, reason: e.reason || undefined, code: e.code,
    ...(e.causes ? { details: { causes: e.causes.map((c) => ({ reason: c.type, message: c.message, field: c.field })) } } : {}),
  });
}

/** A version served over another's storage (ResourceDef.storedAs): a patch applies to the served form of the stored object. */
export interface PatchView { def: ResourceDef; fromStored(o: KObject): KObject; toStored(o: KObject): KObject }

/** Patches one object (creating it for server-side apply). Retries internally on write races. */
export async function patchObject(store: Store, def: ResourceDef, ns: string, name: string, type: PatchType, patch: unknown,
  opts: WriteOptions, hooks: WriteHooks, view?: PatchView): Promise<WriteResult> {
  if (type !== 'json' && (!patch || typeof patch !== 'object' || Array.isArray(patch))) {
    throw errors.badRequest('error decoding patch: the patch must be a JSON object');
  }
  if (type === 'json' && patch === null) patch = []; // Go decodes null into an empty patch
  if (type === 'json' && !Array.isArray(patch)) {
    const kind = typeof patch === 'number' || typeof patch === 'string' ? typeof patch : typeof patch === 'boolean' ? 'bool' : 'object';
    throw errors.badRequest(`json: cannot unmarshal ${kind} into Go value of type jsonpatch.Patch`);
  }
  for (let attempt = 0; ; attempt++) {
    try {
      if (type === 'apply') return await applyObject(store, def, ns, name, patch as KObject, opts, hooks);
      const current = getObject(store, def, ns, name);
      const served = view?.def ?? def;
      let next: KObject;
      if (opts.subresource === 'scale') next = current; // handled by the scale route
      else next = applyPatch(served, type, clone(view ? view.fromStored(current) : current), patch);
      next = asObject(served, next);
      const warnings = structural(served, next, opts.fieldValidation);
      if (view) next = view.toStored(next);
      if (!next.metadata.resourceVersion) next.metadata.resourceVersion = current.metadata.resourceVersion;
      const explicitRV = (patch as { metadata?: { resourceVersion?: string } }).metadata?.resourceVersion;
      if (!explicitRV) next.metadata.resourceVersion = current.metadata.resourceVersion;
      const r = await updateObject(store, def, current, next, opts, false, hooks);
      return { ...r, warnings: [...warnings, ...r.warnings] };
    } catch (e) {
      const explicit = type !== 'json' && (patch as { metadata?: { resourceVersion?: string } }).metadata?.resourceVersion;
      if (e instanceof StatusError && e.code === 409 && e.status.reason === 'Conflict' && !explicit && attempt < 5) continue;
      throw e;
    }
  }
}

async function applyObject(store: Store, def: ResourceDef, ns: string, name: string, applied: KObject, opts: WriteOptions,
  hooks: WriteHooks): Promise<WriteResult> {
  if (!opts.fieldManager) throw errors.badRequest('PATCH, application/apply-patch+yaml requires fieldManager to be set');
  const body = asObject(def, clone(applied));
  if (body.metadata.name && body.metadata.name !== name) {
    throw errors.badRequest(`the name of the object (${body.metadata.name}) does not match the name on the URL (${name})`);
  }
  if (!body.apiVersion || !body.kind) throw errors.badRequest('invalid object type: /, Kind=');
  const warnings = structural(def, body, opts.fieldValidation);
  let live: KObject | undefined;
  try { live = getObject(store, def, ns, name); } catch { live = undefined; }
  const now = rfc3339(new Date());
  let result;
  try {
    result = serverSideApply(live ? clone(live) : undefined, body, opts.fieldManager, def.schema, { force: !!opts.force, now, apiVersion: apiVersionOf(def) });
  } catch (e) {
    if (e instanceof PatchError) throw patchStatus(e);
    throw e;
  }
  const { object, conflicts } = result;
  if (conflicts.length) throw patchStatus(conflictError(conflicts));
  const obj = object as KObject;
  if (!obj.metadata.name) obj.metadata.name = name;
  if (!live) {
    const r = await createObject(store, def, ns, obj, opts, hooks, true);
    return { ...r, warnings: [...warnings, ...r.warnings] };
  }
  obj.metadata.resourceVersion = live.metadata.resourceVersion;
  const r = await updateObject(store, def, live, obj, opts, true, hooks);
  return { ...r, warnings: [...warnings, ...r.warnings] };
}
