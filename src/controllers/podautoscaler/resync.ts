/** One periodic resync timer per key: arming a key again resets its timer instead of adding another. */
export class PeriodicResync {
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(private readonly ms: number, private readonly fire: (key: string) => void) {}

  /** (Re)starts the key's timer; only one is ever pending per key. */
  arm(key: string): void {
    clearTimeout(this.timers.get(key));
    const t = setTimeout(() => { this.timers.delete(key); this.fire(key); }, this.ms);
    t.unref();
    this.timers.set(key, t);
  }

  /** Drops the key's timer (its object is gone). */
  forget(key: string): void {
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
  }

  /** How many keys have a timer pending. */
  get size(): number {
    return this.timers.size;
  }

  /** Clears every timer. */
  stop(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }
}
