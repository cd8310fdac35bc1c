/** Services indexed by the label pairs of their selectors, to find the Services that select a pod quickly. */
import type { Service } from '../../api/kinds/service-schema.js';
import { keyOf } from '../../client/informer.js';
import { selectorMatches } from './podutil.js';

/** Services with selectors, by namespace and by one `key=value` pair of each selector. */
export class ServiceIndex {
  private readonly byPair = new Map<string, Set<string>>(); // ns \0 k=v → service keys
  private readonly selectAll = new Map<string, Set<string>>(); // ns → services with an empty selector
  private readonly services = new Map<string, Service>();

  /** Adds or replaces a Service. */
  put(svc: Service): void {
    this.remove(svc);
    const sel = svc.spec?.selector;
    if (!sel) return;
    const key = keyOf(svc);
    this.services.set(key, svc);
    const first = Object.entries(sel).sort(([a], [b]) => (a < b ? -1 : 1))[0];
    const bucket = first ? `${svc.metadata.namespace}\u0000${first[0]}=${first[1]}` : svc.metadata.namespace ?? '';
    const m = first ? this.byPair : this.selectAll;
    let s = m.get(bucket);
    if (!s) m.set(bucket, (s = new Set()));
    s.add(key);
  }

  /** Removes a Service. */
  remove(svc: Service): void {
    const key = keyOf(svc);
    const old = this.services.get(key);
    if (!old) return;
    this.services.delete(key);
    const sel = old.spec?.selector ?? {};
    const first = Object.entries(sel).sort(([a], [b]) => (a < b ? -1 : 1))[0];
    const bucket = first ? `${old.metadata.namespace}\u0000${first[0]}=${first[1]}` : old.metadata.namespace ?? '';
    const m = first ? this.byPair : this.selectAll;
    const s = m.get(bucket);
    s?.delete(key);
    if (s?.size === 0) m.delete(bucket);
  }

  /** Keys of the Services in `ns` whose selectors match these labels. */
  selecting(ns: string, labels: Record<string, string> | undefined, out: Set<string> = new Set()): Set<string> {
    const consider = (keys: Set<string> | undefined) => {
      for (const k of keys ?? []) {
        const svc = this.services.get(k);
        if (svc?.spec?.selector && selectorMatches(svc.spec.selector, labels)) out.add(k);
      }
    };
    consider(this.selectAll.get(ns));
    for (const [k, v] of Object.entries(labels ?? {})) consider(this.byPair.get(`${ns}\u0000${k}=${v}`));
    return out;
  }
}
