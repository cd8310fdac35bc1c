/**
 * The garbage collector: dependents whose owners are all gone are deleted (background
 * propagation); owners with the `foregroundDeletion` finalizer wait for their blocking
 * dependents; owners with the `orphan` finalizer release their dependents first.
 */
import type { KObject } from '../../api/meta.js';
import type { ResourceDef } from '../../api/resource.js';
import { storeKey } from '../../api/registry.js';
import type { Client } from '../../client/client.js';
import { WorkQueue } from '../../client/workqueue.js';
import { FOREGROUND, ORPHAN } from '../../apiserver/storage/delete.js';

interface Entry { def: ResourceDef; ns: string; name: string; uid: string; owners: string[] }

/** Starts the collector over every resource in the store. */
export function startGarbageCollector(client: Client): { stop(): void; queue: WorkQueue } {
  const byKey = new Map<string, Entry>();       // store key → entry
  const byUid = new Map<string, string>();      // uid → store key
  const dependents = new Map<string, Set<string>>(); // owner uid → dependent store keys
  const queue = new WorkQueue((key) => reconcile(key));

  const keyFor = (def: ResourceDef, o: KObject) => storeKey(def, o.metadata.namespace ?? '', o.metadata.name);
  const index = (def: ResourceDef, key: string, o: KObject | undefined) => {
    const old = byKey.get(key);
    if (old) {
      for (const u of old.owners) dependents.get(u)?.delete(key);
      byUid.delete(old.uid);
      byKey.delete(key);
    }
    if (!o) return;
    const e: Entry = { def, ns: o.metadata.namespace ?? '', name: o.metadata.name!, uid: o.metadata.uid!, owners: (o.metadata.ownerReferences ?? []).map((r) => r.uid) };
    byKey.set(key, e);
    byUid.set(e.uid, key);
    for (const u of e.owners) {
      let s = dependents.get(u);
      if (!s) dependents.set(u, (s = new Set()));
      s.add(key);
    }
  };

  const onChange = (def: ResourceDef, key: string, o: KObject | undefined, prev: KObject | undefined) => {
    index(def, key, o);
    if (o) {
      // An object whose owners may be gone, or an owner being deleted with a GC finalizer.
      if ((o.metadata.ownerReferences?.length ?? 0) > 0) queue.add(key);
      if (o.metadata.deletionTimestamp && o.metadata.finalizers?.some((f) => f === FOREGROUND || f === ORPHAN)) queue.add(key);
    } else {
      for (const d of dependents.get(prev?.metadata.uid ?? '') ?? []) queue.add(d);
    }
    // Owners waiting in foreground deletion look again when a dependent changes or goes.
    for (const u of (o ?? prev)?.metadata.ownerReferences?.map((r) => r.uid) ?? []) {
      const ok = byUid.get(u);
      if (ok) queue.add(ok);
    }
  };

  // Everything is indexed before anything is queued: a reconcile must find every owner.
  const { items, handle } = client.listAndWatchAll((e) => onChange(e.def, keyFor(e.def, e.object), e.type === 'DELETED' ? undefined : e.object, e.prevObject ?? e.object));
  for (const { def, object } of items) index(def, keyFor(def, object), object);
  for (const { def, object } of items) if (object.metadata.ownerReferences?.length || object.metadata.deletionTimestamp) queue.add(keyFor(def, object));

  async function reconcile(key: string): Promise<void> {
    const e = byKey.get(key);
    if (!e) return;
    const o = client.peek(e.def, e.ns, e.name); // shared: copied before any change
    if (!o) return;
    const fin = o.metadata.finalizers ?? [];
    if (o.metadata.deletionTimestamp && fin.includes(ORPHAN)) {
      for (const dk of [...(dependents.get(e.uid) ?? [])]) {
        const d = byKey.get(dk);
        const dep = d && client.get(d.def, d.ns, d.name);
        if (!d || !dep) continue;
        dep.metadata.ownerReferences = (dep.metadata.ownerReferences ?? []).filter((r) => r.uid !== e.uid);
        if (dep.metadata.ownerReferences.length === 0) delete dep.metadata.ownerReferences;
        await client.update(d.def, dep);
      }
      await removeFinalizer(o, e.def, ORPHAN);
      return;
    }
    if (o.metadata.deletionTimestamp && fin.includes(FOREGROUND)) {
      const deps = [...(dependents.get(e.uid) ?? [])].map((k) => byKey.get(k)).filter((d): d is Entry => !!d);
      for (const d of deps) await client.delete(d.def, d.ns, d.name, { propagationPolicy: 'Foreground' });
      if (deps.length === 0) await removeFinalizer(o, e.def, FOREGROUND);
      return;
    }
    // Background: delete when every owner is gone (or is being deleted in the foreground).
    const refs = o.metadata.ownerReferences ?? [];
    if (refs.length === 0 || o.metadata.deletionTimestamp) return;
    let alive = false;
    let foregroundOwner = false;
    for (const r of refs) {
      const ok = byUid.get(r.uid);
      const owner = ok ? byKey.get(ok) : undefined;
      const live = owner ? client.peek(owner.def, owner.ns, owner.name) : undefined;
      if (live && live.metadata.uid === r.uid) {
        if (live.metadata.deletionTimestamp && live.metadata.finalizers?.includes(FOREGROUND)) foregroundOwner = true;
        else alive = true;
      }
    }
    if (!alive) await client.delete(e.def, e.ns, e.name, { propagationPolicy: foregroundOwner ? 'Foreground' : 'Background' });
  }

  async function removeFinalizer(shared: KObject, def: ResourceDef, f: string): Promise<void> {
    const o = { ...shared, metadata: { ...shared.metadata, finalizers: (shared.metadata.finalizers ?? []).filter((x) => x !== f) } };
    await client.update(def, o);
  }

  return { stop: () => { handle.stop(); queue.stop(); }, queue };
}
