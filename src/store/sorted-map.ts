/** A string-keyed map that also keeps its keys sorted, for ordered prefix scans. */
export class SortedMap<V> {
  private readonly map = new Map<string, V>();
  private readonly keys: string[] = [];

  /** Number of entries. */
  get size(): number {
    return this.map.size;
  }

  /** The value at key, or undefined. */
  get(key: string): V | undefined {
    return this.map.get(key);
  }

  /** Sets key to value, inserting the key in sorted position if it is new. */
  set(key: string, value: V): void {
    if (!this.map.has(key)) this.keys.splice(this.lowerBound(key), 0, key);
    this.map.set(key, value);
  }

  /** Removes key; returns whether it was present. */
  delete(key: string): boolean {
    if (!this.map.delete(key)) return false;
    const i = this.lowerBound(key);
    if (this.keys[i] === key) this.keys.splice(i, 1);
    return true;
  }

  /** Values whose keys start with prefix, in key order. */
  scan(prefix: string): V[] {
    const out: V[] = [];
    for (let i = this.lowerBound(prefix); i < this.keys.length; i++) {
      const k = this.keys[i] as string;
      if (!k.startsWith(prefix)) break;
      out.push(this.map.get(k) as V);
    }
    return out;
  }

  /** Index of the first key not less than key (binary search). */
  private lowerBound(key: string): number {
    let lo = 0;
    let hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.keys[mid] as string) < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
