/** Chains several WriteHooks objects into one, in order. */
import type { KObject } from '../../api/meta.js';
import type { ResourceDef } from '../../api/resource.js';
import type { WriteHooks } from '../storage/write.js';

/**
 * Combines hooks: each stage runs them in order; when a beforeCreate/beforeUpdate throws, the
 * hooks that already prepared the write get writeAborted so their reservations are undone.
 */
export function composeHooks(...hooks: WriteHooks[]): WriteHooks {
  const prepare = (def: ResourceDef, obj: KObject, old: KObject | undefined, call: (h: WriteHooks) => void) => {
    const done: WriteHooks[] = [];
    try {
      for (const h of hooks) { call(h); done.push(h); }
    } catch (e) {
      for (const h of done.reverse()) h.writeAborted?.(def, obj, old);
      throw e;
    }
  };
  return {
    mutateCreate: (def, obj) => {
      const changes = hooks.flatMap((h) => h.mutateCreate?.(def, obj) ?? []);
      return changes.length ? (o) => { for (const c of changes) c(o); } : undefined;
    },
    mutate: (a) => {
      const ms = hooks.filter((h) => h.mutate);
      if (ms.length === 0) return undefined;
      return (async () => {
        let changed: KObject | undefined;
        for (const h of ms) {
          const p = h.mutate!(changed ? { ...a, object: changed } : a);
          changed = (p && await p) ?? changed;
        }
        return changed;
      })();
    },
    validate: (a) => {
      const vs = hooks.filter((h) => h.validate);
      if (vs.length === 0) return undefined;
      return (async () => { for (const h of vs) { const p = h.validate!(a); if (p) await p; } })();
    },
    admitCreate: (def, obj) => { for (const h of hooks) h.admitCreate?.(def, obj); },
    admitDelete: (def, obj) => { for (const h of hooks) h.admitDelete?.(def, obj); },
    beforeCreate: (def, obj, dryRun) => prepare(def, obj, undefined, (h) => h.beforeCreate?.(def, obj, dryRun)),
    beforeUpdate: (def, obj, old, dryRun) => prepare(def, obj, old, (h) => h.beforeUpdate?.(def, obj, old, dryRun)),
    afterWrite: (def, obj, old) => { for (const h of hooks) h.afterWrite?.(def, obj, old); },
    writeAborted: (def, obj, old) => { for (const h of hooks) h.writeAborted?.(def, obj, old); },
  };
}
