/**
 * The write pipeline shared by create, update, patch and apply: structural checks
 * (fieldValidation), defaulting, validation, system metadata, generation, managedFields, store.
 */
import { errors, StatusError } from '../../api/errors.js';
import type { KObject } from '../../api/meta.js';
import { apiVersionOf, type ResourceDef } from '../../api/resource.js';
import { storeKey } from '../../api/registry.js';
import { checkStructure, pruneNulls, pruneUnknown, applySchemaDefaults, strictDecodingMessage, typeErrorMessage } from '../../api/structural.js';
import { recordUpdate } from '../patch/apply.js';
import { StoreConflictError, type Store } from '../../store/types.js';
import { randomUUID } from 'node:crypto';
import { clone, initMeta, keepSystemMeta, randomSuffix, rfc3339, specPart, validateObjectMeta } from './meta.js';
import { writeAttributes, type AdmissionAttributes, type UserInfo } from './attributes.js';

/** Per-request write options (query parameters). */
export interface WriteOptions {
  dryRun?: boolean;
  fieldManager?: string;
  fieldValidation?: 'Strict' | 'Warn' | 'Ignore';
  force?: boolean;
  subresource?: string;
  /** Who asks (AdmissionReview userInfo); absent: the field manager's in-process identity. */
  user?: UserInfo;
}

/** A write's outcome. */
export interface WriteResult {
  object: KObject;
  warnings: string[];
  created: boolean;
}

/** Hooks the pipeline calls around writes (admission-like checks that need other objects). */
export interface WriteHooks {
  /** Mutating admission on create, before validation (e.g. DefaultIngressClass): the change it makes to `obj` (undefined: none), or throws a StatusError. */
  mutateCreate?(def: ResourceDef, obj: KObject): ((o: KObject) => void) | undefined;
  /** Throws a StatusError to refuse a create (e.g. the namespace is missing or terminating). */
  admitCreate?(def: ResourceDef, obj: KObject): void;
  /** Throws a StatusError to refuse a delete (e.g. of the `default` namespace). */
  admitDelete?(def: ResourceDef, obj: KObject): void;
  /** After validation, before storing a new object: may set fields (e.g. allocate a ClusterIP) or throw a StatusError. */
  beforeCreate?(def: ResourceDef, obj: KObject, dryRun: boolean): void;
  /** After validation, before storing an update: may set fields or throw a StatusError. */
  beforeUpdate?(def: ResourceDef, obj: KObject, old: KObject, dryRun: boolean): void;
  /**
   * Mutating admission that may call out (webhooks), after built-in mutation: resolves with the
   * changed object (a new one, never `a.object` itself) or undefined; may reject with a StatusError.
   * Returns undefined at once when nothing applies.
   */
  mutate?(a: AdmissionAttributes): Promise<KObject | undefined> | undefined;
  /** Validating admission that may call out (webhooks), just before storing: rejects with a StatusError to refuse. */
  validate?(a: AdmissionAttributes): Promise<void> | undefined;
  /** After a write committed: `obj` undefined means removed, `old` undefined means created. */
  afterWrite?(def: ResourceDef, obj: KObject | undefined, old: KObject | undefined): void;
  /** A write prepared by beforeCreate/beforeUpdate did not happen (dry run, conflict, no change): undo reservations. */
  writeAborted?(def: ResourceDef, obj: KObject, old: KObject | undefined): void;
}

/** Checks the decoded body against the schema; returns warnings or throws 400 (Strict / type errors). Prunes unknown fields. */
export function structural(def: ResourceDef, body: KObject, mode: WriteOptions['fieldValidation']): string[] {
  let unknown: string[];
  if (def.pruneUnknown) unknown = def.pruneUnknown(body); // custom resources: unstructured decoding, then pruning
  else {
    pruneNulls(body, def.schema);
    const report = checkStructure(body, def.schema);
    if (report.typeErrors.length) throw errors.badRequest(typeErrorMessage(def.kind, apiVersionOf(def), report.typeErrors));
    unknown = report.unknown;
    if (unknown.length) pruneUnknown(body, def.schema);
  }
  if (unknown.length === 0) return [];
  const m = mode ?? 'Warn'; // kube-apiserver's default since 1.23
  if (m === 'Strict') throw errors.badRequest(strictDecodingMessage(def.kind, apiVersionOf(def), unknown));
  return m === 'Warn' ? unknown.map((u) => `unknown field "${u}"`) : [];
}

/** Checks that the body is an object of the right kind, and gives it a metadata map. */
export function asObject(def: ResourceDef, body: unknown): KObject {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw errors.badRequest(`${def.kind} in version "${def.version}" cannot be handled as a ${def.kind}: the body must be a JSON object`);
  }
  const o = body as KObject;
  const av = apiVersionOf(def);
  if (o.kind !== undefined && o.kind !== def.kind) {
    throw errors.badRequest(`${def.kind} in version "${def.version}" cannot be handled as a ${def.kind}: the object kind "${String(o.kind)}" does not match ${def.kind}`);
  }
  if (o.apiVersion !== undefined && o.apiVersion !== av) {
    throw errors.badRequest(`the API version in the data (${String(o.apiVersion)}) does not match the expected API version (${av})`);
  }
  if (o.metadata === undefined || o.metadata === null) o.metadata = {};
  return o;
}

function finish(def: ResourceDef, o: KObject): void {
  o.apiVersion = apiVersionOf(def);
  o.kind = def.kind;
}

function defaultAndValidate(def: ResourceDef, o: KObject, old: KObject | undefined): void {
  applySchemaDefaults(o, def.schema);
  def.default?.(o);
  const errs = [...validateObjectMeta(def, o.metadata), ...(def.validate?.(o, { operation: old ? 'update' : 'create' }) ?? [])];
  if (old) errs.push(...(def.validateUpdate?.(o, old) ?? []));
  if (errs.length) throw errors.invalid(def.kind, o.metadata.name ?? o.metadata.generateName ?? '', errs, def.group);
}

function defaults(def: ResourceDef, o: KObject): void {
  applySchemaDefaults(o, def.schema);
  def.default?.(o);
}

/** Calls `hooks.mutate` (which defaults the object through `a.prepare` before sending it); the mutated object comes back defaulted, of this kind, at the same name and namespace. */
async function mutateByWebhooks(def: ResourceDef, hooks: WriteHooks, a: AdmissionAttributes): Promise<KObject | undefined> {
  if (!hooks.mutate) return undefined;
  let prepared = false;
  a.prepare = () => { if (!prepared) defaults(def, a.object!); prepared = true; };
  const p = hooks.mutate(a);
  const m = p && await p;
  if (!m) return undefined;
  structural(def, m, 'Ignore');
  finish(def, m);
  m.metadata.namespace = a.object!.metadata.namespace;
  if (!def.namespaced) delete m.metadata.namespace;
  if (a.object!.metadata.name) m.metadata.name = a.object!.metadata.name;
  return m;
}

/** Calls `hooks.validate`; when it refuses, reservations made by beforeCreate/beforeUpdate are undone. */
async function validateByWebhooks(def: ResourceDef, hooks: WriteHooks, a: AdmissionAttributes): Promise<void> {
  const p = hooks.validate?.(a);
  if (!p) return;
  try { await p; } catch (e) { hooks.writeAborted?.(def, a.object!, a.oldObject); throw e; }
}

/**
 * Runs mutating admission. When it changed the object, returns the object as the client sent it
 * (defaulted): kube-apiserver records managedFields before admission, so fields admission sets
 * belong to no manager.
 */
function mutateCreate(def: ResourceDef, obj: KObject, hooks: WriteHooks): KObject | undefined {
  const change = hooks.mutateCreate?.(def, obj);
  if (!change) return undefined;
  const o = JSON.parse(JSON.stringify(obj)) as KObject;
  change(obj);
  applySchemaDefaults(o, def.schema);
  def.default?.(o);
  return o;
}

/**
 * The status rule of PrepareForCreate, re-applied to what mutating webhooks returned (upstream
 * runs the strategy after admission): a kind with a status subresource starts from its strategy's
 * status (a Node keeps what it was sent), so a webhook's status patch is dropped.
 */
function resetStatusOnCreate(def: ResourceDef, obj: KObject): void {
  if (!def.statusSubresource) return;
  const fresh = clone(obj);
  def.prepareForCreate?.(fresh);
  if (!def.prepareForCreate || fresh.status === undefined) delete obj.status;
  else obj.status = fresh.status;
}

/**
 * PrepareForUpdate re-applied after mutating webhooks: a main-resource update keeps the stored
 * status (kinds with a status subresource) and reruns the strategy; a `/status` update keeps the
 * stored spec (every field but metadata and status).
 */
function resetOnUpdate(def: ResourceDef, o: KObject, old: KObject, subresource: string | undefined): void {
  if (subresource === 'status') {
    const keep = new Set(['metadata', 'status', 'apiVersion', 'kind']);
    for (const k of new Set([...Object.keys(o), ...Object.keys(old)])) {
      if (keep.has(k)) continue;
      if (k in old) o[k] = clone(old[k]); else delete o[k];
    }
  } else if (!subresource) {
    if (def.statusSubresource) o.status = clone(old.status);
    def.prepareForUpdate?.(o, old);
  }
}

function manager(opts: WriteOptions): string {
  return opts.fieldManager || 'unknown';
}

/** How many names a create with generateName tries before reporting AlreadyExists. */
const NAME_GENERATION_ATTEMPTS = 8;

/** Creates an already-decoded object in namespace ns ('' for cluster-scoped). */
export async function createObject(store: Store, def: ResourceDef, ns: string, obj: KObject, opts: WriteOptions,
  hooks: WriteHooks, skipManaged = false): Promise<WriteResult> {
  const now = new Date();
  if (def.namespaced) {
    if (obj.metadata.namespace && obj.metadata.namespace !== ns) {
      throw errors.badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    obj.metadata.namespace = ns;
  } else delete obj.metadata.namespace;
  finish(def, obj);
  // The UID exists before the strategy runs, as in kube-apiserver's BeforeCreate (a Job's generated selector names it).
  const uid = randomUUID();
  obj.metadata.uid = uid;
  def.prepareForCreate?.(obj);
  if (def.statusSubresource && !def.prepareForCreate) delete obj.status;
  // Admission sees no uid (upstream assigns it after admission, so CREATE reviews carry none).
  delete obj.metadata.uid;
  let unadmitted = mutateCreate(def, obj, hooks);
  const attrs = writeAttributes(def, 'CREATE', obj, undefined, opts);
  const mutated = await mutateByWebhooks(def, hooks, attrs);
  obj = mutated ?? obj;
  obj.metadata.uid = uid; // the server's, whatever a webhook set
  if (mutated) { unadmitted ??= attrs.object; resetStatusOnCreate(def, obj); }
  defaultAndValidate(def, obj, undefined);
  hooks.admitCreate?.(def, obj);
  const warnings = [...(def.warningsOnCreate?.(obj) ?? []), ...attrs.warnings];
  attrs.warnings = warnings;
  const generated = !obj.metadata.name && !!obj.metadata.generateName;
  initMeta(def, obj, now);
  // Like kube-apiserver (RetryGenerateName), a generated name that is taken is generated afresh.
  for (let i = 1; generated && i < NAME_GENERATION_ATTEMPTS && store.get(storeKey(def, ns, obj.metadata.name)); i++) {
    obj.metadata.name = obj.metadata.generateName + randomSuffix();
  }
  if (store.get(storeKey(def, ns, obj.metadata.name))) throw errors.alreadyExists(def.plural, obj.metadata.name!, def.group);
  hooks.beforeCreate?.(def, obj, !!opts.dryRun);
  if (!skipManaged) {
    const recorded = recordUpdate(undefined, unadmitted ?? obj, manager(opts), 'Update', def.schema, rfc3339(now), apiVersionOf(def));
    if (unadmitted) obj.metadata.managedFields = recorded.metadata.managedFields;
    else obj = recorded;
  }
  await validateByWebhooks(def, hooks, { ...attrs, object: obj, name: obj.metadata.name ?? '' });
  if (opts.dryRun) { hooks.writeAborted?.(def, obj, undefined); return { object: obj, warnings, created: true }; }
  try {
    const stored = await store.create(storeKey(def, ns, obj.metadata.name), obj);
    hooks.afterWrite?.(def, stored, undefined);
    return { object: stored, warnings, created: true };
  } catch (e) {
    hooks.writeAborted?.(def, obj, undefined);
    if (e instanceof StoreConflictError && e.reason === 'exists') throw errors.alreadyExists(def.plural, obj.metadata.name!, def.group);
    throw e;
  }
}

/**
 * Replaces `old` with `next` (already decoded; for subresource 'status' only its status counts).
 * Skips the write when nothing changed. Removes the object when it is being deleted and has no
 * finalizers left.
 */
export async function updateObject(store: Store, def: ResourceDef, old: KObject, next: KObject, opts: WriteOptions,
  skipManaged = false, hooks: WriteHooks = {}): Promise<WriteResult> {
  const ns = old.metadata.namespace ?? '';
  const name = old.metadata.name!;
  const rv = next.metadata.resourceVersion;
  if (rv && rv !== old.metadata.resourceVersion) {
    throw errors.conflict(def.plural, name, 'the object has been modified; please apply your changes to the latest version and try again', def.group);
  }
  if (next.metadata.name && next.metadata.name !== name) {
    throw errors.badRequest(`the name of the object (${next.metadata.name}) does not match the name on the URL (${name})`);
  }
  if (def.namespaced && next.metadata.namespace && next.metadata.namespace !== ns) {
    throw errors.badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  let o: KObject;
  if (opts.subresource === 'status') {
    o = clone(old);
    o.status = clone(next.status);
  } else if (opts.subresource === 'finalize') {
    o = clone(old);
    o.spec = { ...(o.spec as object), finalizers: (next.spec as { finalizers?: string[] } | undefined)?.finalizers ?? [] };
  } else {
    o = next;
    if (def.statusSubresource) o.status = clone(old.status);
    def.prepareForUpdate?.(o, old);
  }
  finish(def, o);
  keepSystemMeta(o, old);
  const attrs = opts.subresource === 'scale' ? undefined : writeAttributes(def, 'UPDATE', o, old, opts);
  const mutated = attrs && await mutateByWebhooks(def, hooks, attrs);
  if (mutated) {
    o = mutated;
    keepSystemMeta(o, old);
    resetOnUpdate(def, o, old, opts.subresource);
  }
  defaultAndValidate(def, o, old);
  if (!opts.subresource) hooks.beforeUpdate?.(def, o, old, !!opts.dryRun);
  if (def.generation && !opts.subresource && specPart(o) !== specPart(old)) {
    o.metadata.generation = (old.metadata.generation ?? 1) + 1;
  }
  const now = rfc3339(new Date());
  if (!skipManaged) o = recordUpdate(old, o, manager(opts), 'Update', def.schema, now, apiVersionOf(def), opts.subresource);
  o.metadata.resourceVersion = old.metadata.resourceVersion;
  if (attrs) await validateByWebhooks(def, hooks, { ...attrs, object: o });
  const warnings = attrs?.warnings ?? [];
  const changed = JSON.stringify(o) !== JSON.stringify(old);
  const key = storeKey(def, ns, name);
  if (shouldRemove(def, o)) {
    if (opts.dryRun) { hooks.writeAborted?.(def, o, old); return { object: o, warnings, created: false }; }
    const last = await store.delete(key, old.metadata.resourceVersion);
    hooks.afterWrite?.(def, undefined, old);
    return { object: last, warnings, created: false };
  }
  if (!changed || opts.dryRun) { hooks.writeAborted?.(def, o, old); return { object: changed ? o : old, warnings, created: false }; }
  try {
    const stored = await store.update(key, o, old.metadata.resourceVersion);
    hooks.afterWrite?.(def, stored, old);
    return { object: stored, warnings, created: false };
  } catch (e) {
    hooks.writeAborted?.(def, o, old);
    if (e instanceof StoreConflictError) {
      if (e.reason === 'not-found') throw errors.notFound(def.plural, name, def.group);
      throw errors.conflict(def.plural, name, 'the object has been modified; please apply your changes to the latest version and try again', def.group);
    }
    throw e;
  }
}

/** An object marked for deletion with no finalizers (and, for namespaces, no spec finalizers) goes away. */
export function shouldRemove(def: ResourceDef, o: KObject): boolean {
  const m = o.metadata;
  if (!m.deletionTimestamp || (m.finalizers?.length ?? 0) > 0) return false;
  if (def.kind === 'Namespace') return ((o.spec as { finalizers?: string[] } | undefined)?.finalizers?.length ?? 0) === 0;
  return (m.deletionGracePeriodSeconds ?? 0) === 0;
}

export { StatusError };
