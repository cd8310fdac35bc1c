/** A bounded ring buffer of store events, in RV order, for watch replay. */
import type { StoreEvent } from './types.js';

/** Retains the newest `capacity` events; tracks the RV just before the oldest retained one. */
export class EventHistory {
  private readonly buf: (StoreEvent | undefined)[];
  private head = 0;
  private count = 0;
  /** RV of the newest event that was dropped or that preceded the history (the floor for replay). */
  private floorRV: number;

  constructor(private readonly capacity: number, startRV: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`history size must be a positive integer, got ${capacity}`);
    this.buf = new Array<StoreEvent | undefined>(capacity);
    this.floorRV = startRV;
  }

  /** The RV just before the oldest retained event (a replay from it sees everything retained). */
  oldestRV(): number {
    const first = this.at(0);
    return first ? first.rv - 1 : this.floorRV;
  }

  /** Appends an event, dropping the oldest when full. */
  push(e: StoreEvent): void {
    if (this.count === this.capacity) this.dropOldest();
    this.buf[(this.head + this.count) % this.capacity] = e;
    this.count++;
  }

  /** Drops the oldest events so that at most keep remain. */
  compact(keep: number): void {
    while (this.count > Math.max(0, keep)) this.dropOldest();
  }

  /** Retained events with rv > afterRV, oldest first. */
  since(afterRV: number): StoreEvent[] {
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.at(mid) as StoreEvent).rv <= afterRV) lo = mid + 1;
      else hi = mid;
    }
    const out: StoreEvent[] = [];
    for (let i = lo; i < this.count; i++) out.push(this.at(i) as StoreEvent);
    return out;
  }

  private at(i: number): StoreEvent | undefined {
    return i < this.count ? this.buf[(this.head + i) % this.capacity] : undefined;
  }

  private dropOldest(): void {
    const e = this.buf[this.head];
    if (e) this.floorRV = e.rv;
    this.buf[this.head] = undefined;
    this.head = (this.head + 1) % this.capacity;
    this.count--;
  }
}
