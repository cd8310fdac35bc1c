/**
 * A coalesced, rate-limited sync (kube-proxy's BoundedFrequencyRunner in small): any number of
 * `schedule()` calls within `delayMs` give one `run()`; `synced()` resolves once no run is pending.
 * The service proxy's tracker and the Ingress routes compile their tables through one each.
 */
export class CoalescedSync {
  private timer?: NodeJS.Timeout;
  private waiters: (() => void)[] = [];
  private stopped = false;

  constructor(private readonly run: () => void, private readonly delayMs = 1) {}

  /** Asks for a run (one is pending at most). */
  schedule(): void {
    if (this.timer || this.stopped) return;
    this.timer = setTimeout(() => this.fire(), this.delayMs);
  }

  /**
   * Resolves when every run asked for so far has happened (at once when none is pending); with
   * `unscheduledWork`, the caller has work no run was asked for yet, so it waits for the next run.
   */
  synced(unscheduledWork = false): Promise<void> {
    if (!this.timer && !unscheduledWork) return Promise.resolve();
    return new Promise((r) => this.waiters.push(r));
  }

  /** Cancels a pending run and releases waiters; later schedules do nothing. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    for (const w of this.waiters.splice(0)) w();
  }

  private fire(): void {
    this.timer = undefined;
    if (this.stopped) return;
    try {
      this.run();
    } finally {
      // A run that scheduled another keeps its waiters for that one.
      if (!this.timer) for (const w of this.waiters.splice(0)) w();
    }
  }
}
