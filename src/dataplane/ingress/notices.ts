/**
 * Log lines and events about an Ingress said once per version of it: a recompile (for another
 * Ingress's change) repeats none of them; a new resourceVersion, or a change of something the
 * Ingress depends on (`reset`), lets them be said again.
 */
import type { KObject } from '../../api/meta.js';

/** Deduplicates notices per object key and resourceVersion. */
export class Notices {
  private readonly said = new Map<string, { rv: string; seen: Set<string> }>();

  /** Runs `say` unless `text` was already said for this version of `obj`; returns whether it ran. */
  once(obj: KObject, text: string, say: () => void): boolean {
    const key = `${obj.metadata.namespace ?? ''}/${obj.metadata.name}`;
    const rv = obj.metadata.resourceVersion ?? '';
    let entry = this.said.get(key);
    if (!entry || entry.rv !== rv) this.said.set(key, entry = { rv, seen: new Set() });
    if (entry.seen.has(text)) return false;
    entry.seen.add(text);
    say();
    return true;
  }

  /** Forgets what was said about `key` (`namespace/name`). */
  reset(key: string): void {
    this.said.delete(key);
  }
}
