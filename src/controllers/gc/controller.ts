/**
 * The garbage collector: dependents whose owners are all gone are deleted (background
 * propagation); owners with the `foregroundDeletion` finalizer wait for their blocking
 * dependents; owners with the `orphan` finalizer release their dependents first.
 */
import type { KObject } from '../../api/meta.js';
import type { ResourceDef } from '../../api/resource.js';
import type { Client } from '../../client/client.js';
import { WorkQueue } from '../../client/workqueue.js';
import { FOREGROUND, ORPHAN } from '../../apiserver/storage/delete.js';

interface Entry { def: ResourceDef; ns: string; name: string; uid: string; owners: string[] }

/** Starts the collector over every resource in the store. */
export function startGarbageCollector(client: Client): { stop(): void; queue: WorkQueue } {
  const byKey = new Map<string, Entry>();       // store key → entry
  const byUid = new Map<string, string>();      // uid → store key
  const dependents = new Map<string, Set<string>>(); // owner uid → dependent store keys
  const defs = new Map(client.registry.defs.map((d) => [`/${d.group || 'core'}/${d.plural}/`, d]));
  const queue = new WorkQueue((key) => reconcile(key));

  const defOf = (key: string) => defs.get(key.slice(0, key.indexOf('/', key.indexOf('/', 1) + 1) + 1));
  const index = (key: string, o: KObject | undefined) => {
    const old = byKey.get(key);
    if (old) {
      for (const u of old.owners) dependents.get(u)?.delete(key);
      byUid.delete(old.uid);
      byKey.delete(key);
    }
    const def = defOf(key);
    if (!o || !def) return;
    const e: Entry = { def, ns: o.metadata.namespace ?? '', name: o.metadata.name!, uid: o.metadata.uid!, owners: (o.metadata.ownerReferences ?? []).map((r) => r.uid) };
    byKey.set(key, e);
    byUid.set(e.uid, key);
    for (const u of e.owners) {
      let s = dependents.get(u);
      if (!s) dependents.set(u, (s = new Set()));
      s.add(key);
    }
  };

  const onChange = (key: string, o: KObject | undefined, prev: KObject | undefined) => {
    index(key, o);
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

  const { items, rv } = client.store.list('/');
  for (const o of items) index(keyFor(o, defs), o);
  for (const o of items) if (o.metadata.ownerReferences?.length || o.metadata.deletionTimestamp) queue.add(keyFor(o, defs));
  const handle = client.store.watch('/', rv, (e) => onChange(e.key, e.type === 'DELETED' ? undefined : e.object, e.prevObject ?? e.object));

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

function keyFor(o: KObject, defs: Map<string, ResourceDef>): string {
  for (const [prefix, d] of defs) if (d.kind === o.kind && (d.group ? `${d.group}/${d.version}` : d.version) === o.apiVersion) return `${prefix}${o.metadata.namespace ?? ''}/${o.metadata.name}`;
  return '';
}
