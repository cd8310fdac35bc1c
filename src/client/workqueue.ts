/**
 * A work queue as in client-go: keys are de-duplicated while waiting, a key is never processed
 * by two workers at once, and failed keys come back after an exponential back-off.
 */
import { StatusError } from '../api/errors.js';
import { MAX_TIMER_MS } from '../net/sleep.js';

/**
 * Logs a failed reconcile as client-go controllers do: an API error is an expected condition (a
 * terminating namespace, an object gone meanwhile) and takes one line; an optimistic-concurrency
 * conflict is retried quietly (upstream logs it at verbosity 2 only); anything else is a bug and
 * keeps its stack trace.
 */
export function logReconcileError(key: string, e: unknown): void {
  if (e instanceof StatusError) {
    if (e.code === 409 && e.status.reason === 'Conflict') return;
    console.error(`knet: reconcile ${key}: ${e.message}`);
    return;
  }
  console.error(`knet: reconcile ${key}:`, e);
}

/** Processes keys with a reconcile function. */
export class WorkQueue {
  private readonly queue: string[] = [];
  private readonly queued = new Set<string>();
  private readonly processing = new Set<string>();
  private readonly dirty = new Set<string>();
  private readonly failures = new Map<string, number>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private active = 0;
  private stopped = false;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly reconcile: (key: string) => Promise<void>, private readonly workers = 1,
    private readonly onError: (key: string, e: unknown) => void = logReconcileError) {}

  /** Queues a key (no-op if already waiting). */
  add(key: string): void {
    if (this.stopped) return;
    if (this.processing.has(key)) { this.dirty.add(key); return; }
    if (this.queued.has(key)) return;
    this.queued.add(key);
    this.queue.push(key);
    this.pump();
  }

  /** Queues a key after a delay (at most MAX_TIMER_MS: a longer wait reconciles early, which level-triggered controllers take in stride). */
  addAfter(key: string, ms: number): void {
    if (this.stopped) return;
    const t = setTimeout(() => { this.timers.delete(t); this.add(key); }, Math.min(ms, MAX_TIMER_MS));
    t.unref();
    this.timers.add(t);
  }

  /** Resolves when nothing is queued or running (for tests). */
  idle(): Promise<void> {
    if (this.queue.length === 0 && this.active === 0) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }

  /** Stops processing; pending keys are dropped. */
  stop(): void {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  private pump(): void {
    while (!this.stopped && this.active < this.workers && this.queue.length > 0) {
      const key = this.queue.shift()!;
      this.queued.delete(key);
      this.processing.add(key);
      this.active++;
      void this.run(key);
    }
    if (this.queue.length === 0 && this.active === 0) {
      const w = this.idleWaiters;
      this.idleWaiters = [];
      for (const r of w) r();
    }
  }

  private async run(key: string): Promise<void> {
    try {
      await this.reconcile(key);
      this.failures.delete(key);
    } catch (e) {
      const n = (this.failures.get(key) ?? 0) + 1;
      this.failures.set(key, n);
      // A reconcile still running when the queue stops (the cluster shutting down) may fail: not worth a log line.
      if (!this.stopped && (n === 1 || n % 10 === 0)) this.onError(key, e);
      this.addAfter(key, Math.min(5 * 2 ** (n - 1), 30_000));
    } finally {
      this.processing.delete(key);
      this.active--;
      if (this.dirty.delete(key)) this.add(key);
      this.pump();
    }
  }
}
