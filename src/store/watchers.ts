/** Watchers indexed by prefix, so a write only visits the watchers that can match its key. */
import type { StoreEvent } from './types.js';

/** One registered watcher. */
export interface Watcher {
  prefix: string;
  /** Events with rv <= this are skipped (already replayed or older than the watch's start). */
  minRV: number;
  active: boolean;
  onEvent: (e: StoreEvent) => void;
}

/** The bucket of a prefix: everything up to and including its last '/'. */
function bucketOf(prefix: string): string {
  return prefix.slice(0, prefix.lastIndexOf('/') + 1);
}

/** Holds watchers in buckets keyed by their prefix cut at the last '/'. */
export class WatcherIndex {
  private readonly buckets = new Map<string, Set<Watcher>>();

  /** Registers a watcher. */
  add(w: Watcher): void {
    const b = bucketOf(w.prefix);
    let set = this.buckets.get(b);
    if (!set) this.buckets.set(b, (set = new Set()));
    set.add(w);
  }

  /** Unregisters a watcher (idempotent). */
  remove(w: Watcher): void {
    w.active = false;
    const b = bucketOf(w.prefix);
    const set = this.buckets.get(b);
    if (set?.delete(w) && set.size === 0) this.buckets.delete(b);
  }

  /** Every registered watcher. */
  all(): Watcher[] {
    return [...this.buckets.values()].flatMap((set) => [...set]);
  }

  /** Active watchers whose prefix matches key and that have not yet seen rv. */
  matching(key: string, rv: number): Watcher[] {
    const out: Watcher[] = [];
    const visit = (bucket: string): void => {
      const set = this.buckets.get(bucket);
      if (!set) return;
      for (const w of set) if (w.minRV < rv && key.startsWith(w.prefix)) out.push(w);
    };
    visit('');
    for (let i = key.indexOf('/'); i >= 0; i = key.indexOf('/', i + 1)) visit(key.slice(0, i + 1));
    return out;
  }
}
