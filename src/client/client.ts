/**
 * The in-process API client used by controllers and the node agent: the same write pipeline
 * (validation, defaulting, admission, managedFields) as HTTP requests, without HTTP.
 */
import type { KObject } from '../api/meta.js';
import type { Registry } from '../api/registry.js';
import type { ResourceDef } from '../api/resource.js';
import { StatusError } from '../api/errors.js';
import type { Store, WatchHandle } from '../store/types.js';
import { getObject, listObjects, watchObjects, type ListOptions, type SelectOptions, type WatchEvent } from '../apiserver/storage/read.js';
import { createObject, updateObject, type WriteHooks } from '../apiserver/storage/write.js';
import { patchObject, type PatchType } from '../apiserver/storage/patch.js';
import { deleteObject, type DeleteOptions } from '../apiserver/storage/delete.js';
import { clone } from '../apiserver/storage/meta.js';
import { bindPod } from '../apiserver/storage/bind.js';

/** Names a resource: its plural and (for non-core) group, e.g. `{ resource: 'deployments', group: 'apps' }`. */
export interface ResourceRef { resource: string; group?: string; version?: string }

/** A change of an object of any resource, as `listAndWatchAll` delivers it. */
export interface AnyWatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  def: ResourceDef;
  object: KObject;
  /** The object before a MODIFIED or DELETED change. */
  prevObject?: KObject;
}

/** A client acting as one field manager. Results of get/create/update/patch are private copies; list returns shared objects. */
export class Client {
  constructor(readonly store: Store, readonly registry: Registry, readonly hooks: WriteHooks, readonly manager: string) {}

  /** The definition of a resource; throws for unknown ones. */
  def(ref: ResourceRef | ResourceDef): ResourceDef {
    if ('kind' in ref) return ref;
    const group = ref.group ?? '';
    const d = this.registry.defs.find((x) => x.plural === ref.resource && x.group === group && (!ref.version || x.version === ref.version));
    if (!d) throw new Error(`unknown resource ${ref.resource}.${group}`);
    return d;
  }

  /** One object or undefined. The result is a private copy. */
  get(ref: ResourceRef | ResourceDef, ns: string, name: string): KObject | undefined {
    try { return clone(getObject(this.store, this.def(ref), ns, name)); } catch (e) {
      if (e instanceof StatusError && e.code === 404) return undefined;
      throw e;
    }
  }

  /** One object or undefined, shared with the store: callers must not mutate it. */
  peek(ref: ResourceRef | ResourceDef, ns: string, name: string): KObject | undefined {
    try { return getObject(this.store, this.def(ref), ns, name); } catch (e) {
      if (e instanceof StatusError && e.code === 404) return undefined;
      throw e;
    }
  }

  /** A list (shared objects: do not mutate). */
  list(ref: ResourceRef | ResourceDef, ns?: string, opts: ListOptions = {}): KObject[] {
    return listObjects(this.store, this.def(ref), ns, opts).items;
  }

  /** Creates an object in its metadata.namespace. */
  async create(ref: ResourceRef | ResourceDef, obj: KObject): Promise<KObject> {
    const def = this.def(ref);
    return clone((await createObject(this.store, def, def.namespaced ? obj.metadata.namespace ?? 'default' : '', clone(obj), { fieldManager: this.manager }, this.hooks)).object);
  }

  /** Replaces an object (optimistic concurrency on metadata.resourceVersion). */
  async update(ref: ResourceRef | ResourceDef, obj: KObject, subresource?: 'status' | 'finalize'): Promise<KObject> {
    const def = this.def(ref);
    const old = getObject(this.store, def, obj.metadata.namespace ?? '', obj.metadata.name ?? '');
    return clone((await updateObject(this.store, def, old, clone(obj), { fieldManager: this.manager, subresource }, false, this.hooks)).object);
  }

  /** Patches an object. */
  async patch(ref: ResourceRef | ResourceDef, ns: string, name: string, type: PatchType, patch: unknown, subresource?: 'status'): Promise<KObject> {
    return clone((await patchObject(this.store, this.def(ref), ns, name, type, patch, { fieldManager: this.manager, subresource }, this.hooks)).object);
  }

  /** Deletes an object; resolves to undefined when it was already gone. */
  async delete(ref: ResourceRef | ResourceDef, ns: string, name: string, opts: DeleteOptions = {}): Promise<KObject | undefined> {
    try { return (await deleteObject(this.store, this.def(ref), ns, name, opts, this.hooks)).object; } catch (e) {
      if (e instanceof StatusError && e.code === 404) return undefined;
      throw e;
    }
  }

  /** Binds a pod to a node (the pods/binding subresource). */
  async bind(ns: string, name: string, nodeName: string, uid?: string): Promise<KObject> {
    return bindPod(this.store, this.def({ resource: 'pods' }), ns, name, nodeName, { uid });
  }

  /**
   * Every stored object of every served resource (shared objects: do not mutate), and a watch of
   * all of them from exactly that point: what a controller over all kinds (the garbage collector) needs.
   */
  listAndWatchAll(onEvent: (e: AnyWatchEvent) => void): { items: { def: ResourceDef; object: KObject }[]; handle: WatchHandle } {
    const defOf = (o: KObject) => this.registry.forKind(o.apiVersion ?? '', o.kind ?? '');
    const { items, rv } = this.store.list('/');
    const out = items.flatMap((object) => {
      const def = defOf(object);
      return def ? [{ def, object }] : [];
    });
    const handle = this.store.watch('/', rv, (e) => {
      const def = defOf(e.object);
      if (def) onEvent({ type: e.type, def, object: e.object, prevObject: e.prevObject });
    });
    return { items: out, handle };
  }

  /** Watches a collection from `resourceVersion` (or from now, with initial ADDED events). */
  watch(ref: ResourceRef | ResourceDef, ns: string | undefined, opts: SelectOptions & { resourceVersion?: string }, onEvent: (e: WatchEvent) => void) {
    return watchObjects(this.store, this.def(ref), ns, opts, onEvent);
  }
}
