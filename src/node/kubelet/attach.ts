/**
 * How an attach session follows a container's stdio, as containerd's CRI ContainerIO.Attach does:
 * when the client's stdin ends, a `stdinOnce` container without a TTY gets its stdin closed and the
 * session keeps streaming output until the container stops; otherwise the session ends there.
 * Also the output a container that keeps stdin open wrote before its first attach, replayed to it.
 */
import type { Readable, Writable } from 'node:stream';

/** The bytes of early output replayed to a first attach at most (the newest are kept). */
const EARLY_MAX_BYTES = 64 * 1024;
/** How long after the start early output is kept for a first attach. */
const EARLY_MAX_MS = 30_000;

/**
 * Output written before the first attach of a container with `stdin: true`. `kubectl run -i` attaches
 * only after the pod is Running and Ready, so a command's first lines raced the attach and were lost
 * (kubernetes/kubernetes#27264; kubectl 1.36 reads the log before attaching, #136010). `docker run -i`
 * attaches before the start; knet replays to the first attach what came before it instead, bounded in
 * bytes and time. A log read shows that output already, so it empties the record (no line twice).
 */
export class EarlyOutput {
  private chunks: Buffer[] | undefined = [];
  private bytes = 0;
  private readonly until: number;

  constructor(now = Date.now()) {
    this.until = now + EARLY_MAX_MS;
  }

  /** Records output while no client has attached yet. */
  record(chunk: Buffer, now = Date.now()): void {
    if (!this.chunks) return;
    if (now > this.until) { this.chunks = undefined; return; }
    this.chunks.push(chunk);
    this.bytes += chunk.length;
    while (this.bytes > EARLY_MAX_BYTES) {
      const first = this.chunks[0]!;
      const drop = Math.min(first.length, this.bytes - EARLY_MAX_BYTES);
      this.bytes -= drop;
      if (drop === first.length) this.chunks.shift(); else this.chunks[0] = first.subarray(drop);
    }
  }

  /** A log read has shown the output so far: a later first attach needs only what follows. */
  shown(): void {
    if (this.chunks) { this.chunks = []; this.bytes = 0; }
  }

  /** Takes the record for the first attach (empty once taken, or after the time bound). */
  take(now = Date.now()): Buffer {
    const c = this.chunks;
    this.chunks = undefined;
    return c && now <= this.until ? Buffer.concat(c) : Buffer.alloc(0);
  }
}

/** What a session needs of its container's stdio. */
export interface AttachTarget {
  /** The container's stdin (undefined when the spec has no `stdin: true`). */
  stdin: Writable | undefined;
  stdinOnce: boolean;
  tty: boolean;
}

/**
 * Copies the client's input to the container's stdin; calls `end` when the session ends because of
 * that input ending (never for a `stdinOnce` container without a TTY: its output goes on). Returns
 * a detach function that stops the copy.
 */
export function connectStdin(input: Readable, c: AttachTarget, end: () => void): () => void {
  const stdin = c.stdin;
  if (!stdin) { input.resume(); return () => undefined; }
  const onData = (d: Buffer) => {
    if (stdin.writableEnded || stdin.destroyed) return;
    if (!stdin.write(d)) { input.pause(); stdin.once('drain', () => input.resume()); }
  };
  const onEnd = () => {
    if (c.stdinOnce && !stdin.writableEnded) stdin.end();
    if (!(c.stdinOnce && !c.tty)) end();
  };
  input.on('data', onData);
  input.once('end', onEnd);
  return () => { input.off('data', onData); input.off('end', onEnd); };
}
