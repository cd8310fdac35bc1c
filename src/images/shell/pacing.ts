/**
 * Cooperative pacing for built-in programs: every pod program runs on the cluster's one event loop,
 * so long CPU work hands the loop back once per time slice, and output waits while the reader is
 * behind (a pipe's or an exec stream's buffer is full) instead of piling up in memory.
 */
import type { Writable } from 'node:stream';

/** The longest a program computes before it lets the API server, DNS and other pods run. */
export const SLICE_MS = 8;

/** Tracks one program's time slice: `due()` is cheap; `pause()` yields to the event loop and starts a new slice. */
export class Slicer {
  private start = performance.now();

  constructor(private readonly sliceMs = SLICE_MS) {}

  /** Whether the current slice is used up. */
  due(): boolean { return performance.now() - this.start >= this.sliceMs; }

  /** Yields to the event loop (after pending I/O callbacks run) and starts a new slice. */
  async pause(): Promise<void> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.start = performance.now();
  }

  /** Yields when the slice is used up. */
  async tick(): Promise<void> { if (this.due()) await this.pause(); }
}

/** Whether a stream can no longer take output (the reading side of a pipe went away: EPIPE). */
export function readerGone(out: Writable): boolean {
  return out.destroyed || out.writableEnded;
}

/** Resolves once a full stream drains, closes or fails, or the signal aborts. */
export function drained(out: Writable, signal?: AbortSignal): Promise<void> {
  if (!out.writableNeedDrain || readerGone(out) || signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      out.off('drain', done); out.off('close', done); out.off('error', done); signal?.removeEventListener('abort', done);
      resolve();
    };
    out.on('drain', done); out.on('close', done); out.on('error', done);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** Writes output, waiting while the reader is behind; false when the reader is gone or the program was stopped. */
export async function writeOut(out: Writable, data: string | Buffer, signal?: AbortSignal): Promise<boolean> {
  if (readerGone(out) || signal?.aborted) return false;
  if (!out.write(data)) await drained(out, signal);
  return !readerGone(out) && !signal?.aborted;
}
