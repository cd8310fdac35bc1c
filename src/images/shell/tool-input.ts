/** Input of the core tools: named files or stdin, bounded in memory, and line-wise reading that stops early. */
import { posix } from 'node:path';
import type { Readable } from 'node:stream';
import type { ProcessContext } from '../types.js';
import type { Slicer } from './pacing.js';

/** Which userland's messages to imitate. */
export type Userland = 'busybox' | 'gnu';

/**
 * The most a tool holds of one input (sort, tail, grep read whole inputs): beyond it the tool fails
 * with "memory exhausted" as a memory-limited container would, instead of growing the cluster's heap.
 */
export const MAX_INPUT_BYTES = 64 * 1024 * 1024;

const WINDOW = 1 << 20;

/** A path resolved against the program's working directory. */
export const resolvePath = (ctx: ProcessContext, f: string): string => posix.resolve(ctx.cwd || '/', f);

/** The lines of a text, without the final newline's empty remainder. */
export const lines = (b: Buffer): string[] => { const s = b.toString(); const l = s.split('\n'); if (l[l.length - 1] === '') l.pop(); return l; };

/** `lines`, one window of about a mebibyte at a time with a turn of the event loop between windows. */
export async function splitLines(b: Buffer, slicer: Slicer): Promise<string[]> {
  const out: string[] = [];
  for (let start = 0; start < b.length;) {
    let end = Math.min(b.length, start + WINDOW);
    if (end < b.length) {
      // Cut after a newline: the window's last one, or (for a line longer than a window) the next one.
      const nl = b.lastIndexOf(10, end - 1);
      const next = b.indexOf(10, end);
      end = nl >= start ? nl + 1 : next < 0 ? b.length : next + 1;
    }
    for (const l of lines(b.subarray(start, end))) out.push(l);
    start = end;
    await slicer.tick();
  }
  return out;
}

/** Reads a stream to its end; undefined when it passes `max` bytes (the rest is left unread). */
export function readBounded(r: Readable | null, signal: AbortSignal | undefined, max = MAX_INPUT_BYTES): Promise<Buffer | undefined> {
  if (!r || r.readableEnded) return Promise.resolve(Buffer.alloc(0));
  const chunks: Buffer[] = [];
  let size = 0;
  return new Promise((resolve) => {
    const finish = (v: Buffer | undefined): void => {
      r.off('data', onData); r.off('end', onEnd); r.off('close', onEnd); signal?.removeEventListener('abort', onEnd);
      resolve(v);
    };
    const onEnd = (): void => finish(Buffer.concat(chunks));
    const onData = (c: Buffer | string): void => {
      const b = Buffer.isBuffer(c) ? c : Buffer.from(c);
      size += b.length;
      if (size > max) { r.pause(); finish(undefined); return; }
      chunks.push(b);
    };
    r.on('data', onData); r.once('end', onEnd); r.once('close', onEnd);
    signal?.addEventListener('abort', onEnd, { once: true });
    r.resume();
  });
}

/** Reads the first `n` lines (with their newlines) or bytes and stops reading, leaving the rest of the stream to its writer. */
export function readLines(r: Readable | null, n: number, signal?: AbortSignal, unit: 'lines' | 'bytes' = 'lines'): Promise<Buffer> {
  if (!r || r.readableEnded || n <= 0) return Promise.resolve(Buffer.alloc(0));
  const chunks: Buffer[] = [];
  let seen = 0;
  return new Promise((resolve) => {
    const finish = (): void => {
      r.off('data', onData); r.off('end', finish); r.off('close', finish); signal?.removeEventListener('abort', finish);
      r.pause();
      resolve(Buffer.concat(chunks));
    };
    const onData = (c: Buffer | string): void => {
      const b = Buffer.isBuffer(c) ? c : Buffer.from(c);
      let cut = -1;
      if (unit === 'bytes') { if (seen + b.length >= n) cut = n - seen; seen += b.length; } else {
        for (let at = b.indexOf(10); at >= 0 && cut < 0; at = b.indexOf(10, at + 1)) if (++seen === n) cut = at + 1;
      }
      if (cut < 0) { chunks.push(b); return; }
      chunks.push(b.subarray(0, cut));
      finish();
    };
    r.on('data', onData); r.once('end', finish); r.once('close', finish);
    signal?.addEventListener('abort', finish, { once: true });
    r.resume();
  });
}

/** Reads the named files (or stdin for none / `-`), reporting missing ones and oversized input as the userland does. */
export async function inputs(ctx: ProcessContext, files: string[], tool: string, ul: Userland): Promise<{ data: Buffer[]; failed: boolean }> {
  const data: Buffer[] = [];
  let failed = false;
  if (!files.length) files = ['-'];
  for (const f of files) {
    if (f === '-') {
      const b = await readBounded(ctx.stdin, ctx.signal);
      if (b) { data.push(b); continue; }
      ctx.stderr.write(`${tool}: memory exhausted\n`);
      return { data, failed: true };
    }
    const b = ctx.fs.read(resolvePath(ctx, f));
    if (b) { data.push(b); continue; }
    failed = true;
    const dir = ctx.fs.list(resolvePath(ctx, f)) !== undefined;
    if (ul === 'busybox') ctx.stderr.write(dir ? `${tool}: read error: Is a directory\n` : `${tool}: can't open '${f}': No such file or directory\n`);
    else ctx.stderr.write(`${tool}: ${f}: ${dir ? 'Is a directory' : 'No such file or directory'}\n`);
  }
  return { data, failed };
}
