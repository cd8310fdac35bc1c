/**
 * Log lines and events about an Ingress said once per version of it: a recompile (for another
 * Ingress's change) repeats none of them; a new version of the object, or a change of something
 * the Ingress depends on (`reset`), lets them be said again. The view's objects are immutable, one
 * per version, so the object itself is the key: a recompile of 1,000 Ingresses builds no strings.
 */
import type { KObject } from '../../api/meta.js';

/** Deduplicates notices per object version. */
export class Notices {
  private readonly seen = new WeakMap<KObject, Set<string>>();
  /** The latest version seen of each `namespace/name`, so `reset` can find it. */
  private readonly latest = new Map<string, KObject>();

  /** Runs `say` unless `text` was already said for this version of `obj`; returns whether it ran. */
  once(obj: KObject, text: string, say: () => void): boolean {
    let said = this.seen.get(obj);
    if (!said) {
      said = new Set();
      this.seen.set(obj, said);
      this.latest.set(`${obj.metadata.namespace ?? ''}/${obj.metadata.name}`, obj);
    }
    if (said.has(text)) return false;
    said.add(text);
    say();
    return true;
  }

  /** How many objects notices are remembered for. */
  get size(): number {
    return this.latest.size;
  }

  /** Forgets every object `keep` rejects (deleted ones), so the memory follows the cluster's churn. */
  prune(keep: (key: string) => boolean): void {
    for (const key of [...this.latest.keys()]) if (!keep(key)) this.reset(key);
  }

  /** Forgets what was said about `key` (`namespace/name`). */
  reset(key: string): void {
    const obj = this.latest.get(key);
    if (obj) this.seen.delete(obj);
    this.latest.delete(key);
  }
}
