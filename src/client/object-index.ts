/** One named index of a shared informer (client-go's Indexer for one IndexFunc): object keys filed under the values the function gives. */

/** The keys an object is filed under in one index (client-go IndexFunc). */
export type IndexFunc<T> = (o: T) => readonly string[];

/** The buckets of one index function, and where each object was filed. */
export class ObjectIndex<T> {
  private readonly buckets = new Map<string, Set<string>>();
  private readonly filed = new Map<string, readonly string[]>();

  constructor(readonly fn: IndexFunc<T>) {}

  /** Files an object under its current values, keeping its place in buckets it stays in. */
  file(key: string, o: T): void {
    const before = this.filed.get(key) ?? [];
    const after = [...new Set(this.fn(o))];
    if (before.length === after.length && before.every((v, i) => v === after[i])) return;
    for (const v of before) if (!after.includes(v)) this.drop(v, key);
    for (const v of after) {
      let s = this.buckets.get(v);
      if (!s) this.buckets.set(v, (s = new Set()));
      s.add(key);
    }
    if (after.length) this.filed.set(key, after); else this.filed.delete(key);
  }

  /** Removes an object from every bucket. */
  unfile(key: string): void {
    for (const v of this.filed.get(key) ?? []) this.drop(v, key);
    this.filed.delete(key);
  }

  /** The object keys filed under a value. */
  keys(value: string): ReadonlySet<string> {
    return this.buckets.get(value) ?? NONE;
  }

  /** The values that have objects. */
  values(): string[] {
    return [...this.buckets.keys()];
  }

  private drop(value: string, key: string): void {
    const s = this.buckets.get(value);
    if (s?.delete(key) && s.size === 0) this.buckets.delete(value);
  }
}

const NONE: ReadonlySet<string> = new Set();
