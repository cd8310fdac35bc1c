/**
 * A watch's outgoing events with kube-apiserver's bound on a watcher that does not read. Events go
 * to the response while its socket takes them; once it pushes back, they wait here unencoded (the
 * store's own frozen objects, not their JSON), and a watcher whose queue has passed the bound and
 * made no progress for the dispatch budget is closed, as the watch cache closes a cacheWatcher
 * whose channels are full ("Forcing watcher close due to unresponsiveness"): its input and result
 * channels hold up to maxWatchChanSizeWithoutIndex (100) events each (storage/cacher/watch_cache.go,
 * cache_watcher.go) and the dispatcher waits at most maxBudget (100 ms, cacher/time_budget.go) for
 * a blocked watcher. Clients (client-go's reflector, kubectl) then watch again from the last
 * resourceVersion they saw.
 */
import type { ServerResponse } from 'node:http';

/** Events a blocked watcher may have queued: the cacheWatcher's input and result channels, 100 each. */
export const WATCH_QUEUE_LIMIT = 200;
/** How long a watcher over the limit may make no progress before it is closed (the dispatch budget). */
export const WATCH_STALL_MS = 100;

/** Options of a WatchQueue. */
export interface WatchQueueOptions {
  limit?: number;
  stallMs?: number;
  /** Closes the watch (the queue has been dropped). */
  onStall(): void;
}

/** The queue between a watch and its response. */
export class WatchQueue {
  private items: (() => string)[] = [];
  private head = 0;
  private blocked = false;
  /** The running stall clock: its timer and the bytes the socket had pending when it started. */
  private stall: { timer: NodeJS.Timeout; pending: number } | undefined;
  private closed = false;
  private readonly limit: number;
  private readonly stallMs: number;

  constructor(private readonly res: ServerResponse, private readonly o: WatchQueueOptions) {
    this.limit = o.limit ?? WATCH_QUEUE_LIMIT;
    this.stallMs = o.stallMs ?? WATCH_STALL_MS;
    res.on('drain', () => this.flush());
  }

  /** Events waiting for the client. */
  get length(): number { return this.items.length - this.head; }

  /** Sends a line (encoded only when it goes out). */
  push(line: () => string): void {
    if (this.closed) return;
    if (!this.blocked) { this.blocked = !this.res.write(line()); return; }
    this.items.push(line);
    if (this.length > this.limit) this.arm();
  }

  /** Drops what is queued and stops the stall timer. */
  close(): void {
    this.closed = true;
    this.disarm();
    this.items = [];
    this.head = 0;
  }

  private flush(): void {
    if (this.closed) return;
    this.blocked = false;
    this.disarm();
    while (this.length > 0 && !this.blocked) this.blocked = !this.res.write(this.items[this.head++]!());
    if (this.length === 0) { this.items = []; this.head = 0; } else if (this.head > 1024 && this.head * 2 > this.items.length) { this.items = this.items.slice(this.head); this.head = 0; }
    if (this.length > this.limit) this.arm();
  }

  /** Starts the stall clock; a client that takes some of what was written in time is not stalled. */
  private arm(): void {
    if (this.stall) return;
    // Checked after that turn's I/O: a write that completed while the loop was busy counts as progress.
    const stall = { pending: this.pendingBytes(), timer: setTimeout(() => setImmediate(() => this.check(stall)), this.stallMs) };
    stall.timer.unref();
    this.stall = stall;
  }

  private disarm(): void {
    if (this.stall) clearTimeout(this.stall.timer);
    this.stall = undefined;
  }

  private check(stall: { pending: number }): void {
    if (this.stall !== stall) return;
    this.stall = undefined;
    if (this.closed || !this.blocked || this.length <= this.limit) return;
    if (this.pendingBytes() < stall.pending) { this.arm(); return; }
    this.close();
    this.o.onStall();
  }

  private pendingBytes(): number {
    return this.res.socket?.writableLength ?? 0;
  }
}
