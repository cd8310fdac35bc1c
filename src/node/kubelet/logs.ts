/** Container logs as the kubelet keeps them: timestamped lines per container instance, with followers. */
import { Writable } from 'node:stream';

/** One log line (without its newline) and when it was written. */
interface Line { ts: Date; text: string }

/** Options of a log read (the pods/log query). */
export interface LogReadOptions {
  follow: boolean;
  tailLines?: number;
  sinceSeconds?: number;
  sinceTime?: string;
  timestamps: boolean;
  limitBytes?: number;
}

const MAX_LINES = 10_000;

/** The log of one container instance. */
export class ContainerLog {
  private readonly lines: Line[] = [];
  private partial = '';
  private followers = new Set<(l: Line) => void>();
  private closed = false;
  private closeWaiters: (() => void)[] = [];

  /** A writable stream that appends to this log (stdout and stderr both write here). */
  stream(): Writable {
    return new Writable({ write: (chunk: Buffer | string, _enc, cb) => { this.append(chunk.toString()); cb(); } });
  }

  /** Appends text; complete lines become entries. */
  append(text: string): void {
    const parts = (this.partial + text).split('\n');
    this.partial = parts.pop() ?? '';
    for (const p of parts) this.push(p);
  }

  private push(text: string): void {
    const l = { ts: new Date(), text };
    this.lines.push(l);
    if (this.lines.length > MAX_LINES) this.lines.shift();
    for (const f of this.followers) f(l);
  }

  /** Marks the instance finished: flushes a partial line and ends followers. */
  close(): void {
    if (this.closed) return;
    if (this.partial) { this.push(this.partial); this.partial = ''; }
    this.closed = true;
    for (const w of this.closeWaiters.splice(0)) w();
  }

  /** Writes the selected lines to out; with follow, keeps writing until the instance ends or the signal aborts. */
  async read(opts: LogReadOptions, out: Writable, signal: AbortSignal): Promise<void> {
    const since = opts.sinceTime ? Date.parse(opts.sinceTime) : opts.sinceSeconds ? Date.now() - opts.sinceSeconds * 1000 : undefined;
    let lines = since !== undefined ? this.lines.filter((l) => l.ts.getTime() >= since) : this.lines.slice();
    if (opts.tailLines !== undefined) lines = opts.tailLines <= 0 ? [] : lines.slice(-opts.tailLines);
    let budget = opts.limitBytes ?? Infinity;
    const emit = (l: Line): boolean => {
      const s = (opts.timestamps ? `${l.ts.toISOString().slice(0, -1)}000000Z ` : '') + l.text + '\n';
      if (budget <= 0) return false;
      const b = Buffer.from(s);
      out.write(b.length > budget ? b.subarray(0, budget) : b);
      budget -= b.length;
      return budget > 0;
    };
    for (const l of lines) if (!emit(l)) return;
    if (!opts.follow || this.closed) return;
    await new Promise<void>((resolve) => {
      const f = (l: Line) => { if (!emit(l)) done(); };
      const done = () => { this.followers.delete(f); signal.removeEventListener('abort', done); resolve(); };
      this.followers.add(f);
      this.closeWaiters.push(done);
      signal.addEventListener('abort', done);
      if (signal.aborted) done();
    });
  }
}
