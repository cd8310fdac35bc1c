/** Small stream helpers shared by the shell and the tools. */
import { PassThrough, Readable, Writable } from 'node:stream';

export { sleep } from '../../net/sleep.js';

/** A writable that keeps everything written to it. */
export class Collector extends Writable {
  private chunks: Buffer[] = [];
  override _write(chunk: Buffer | string, _enc: BufferEncoding, cb: () => void): void {
    this.chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
    cb();
  }
  /** The bytes written so far. */
  buffer(): Buffer { return Buffer.concat(this.chunks); }
  /** The text written so far. */
  text(): string { return this.buffer().toString(); }
}

/** A writable that discards everything (/dev/null). */
export function nullSink(): Writable {
  return new Writable({ write: (_c, _e, cb) => cb() });
}

/** A readable holding fixed content. */
export function fromString(s: string | Buffer): Readable {
  return Readable.from([Buffer.from(s)]);
}

/** A pipe between two commands; write errors after the reader is gone are ignored. */
export function pipe(): PassThrough {
  const p = new PassThrough();
  p.on('error', () => { /* reader gone */ });
  return p;
}

/** Reads one line (without its newline) from a stream, leaving the rest unread; null at end of input. */
export function readLine(r: Readable, signal?: AbortSignal): Promise<string | null> {
  if (r.readableEnded || r.destroyed) return Promise.resolve(null);
  return new Promise((resolve) => {
    let buf = Buffer.alloc(0);
    const done = (v: string | null, rest?: Buffer): void => {
      r.off('data', onData); r.off('end', onEnd); r.off('close', onEnd); signal?.removeEventListener('abort', onAbort);
      r.pause();
      if (rest?.length) r.unshift(rest);
      resolve(v);
    };
    const onData = (c: Buffer | string): void => {
      buf = Buffer.concat([buf, Buffer.isBuffer(c) ? c : Buffer.from(c)]);
      const nl = buf.indexOf(10);
      if (nl >= 0) done(buf.subarray(0, nl).toString(), buf.subarray(nl + 1));
    };
    const onEnd = (): void => done(buf.length ? buf.toString() : null);
    const onAbort = (): void => done(null, buf);
    r.on('data', onData); r.once('end', onEnd); r.once('close', onEnd);
    signal?.addEventListener('abort', onAbort, { once: true });
    r.resume();
  });
}

/** Reads a whole stream (null: empty). */
export async function readAll(r: Readable | null, signal?: AbortSignal): Promise<Buffer> {
  if (!r || r.readableEnded) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  return new Promise((resolve) => {
    const fin = (): void => { r.off('data', onData); signal?.removeEventListener('abort', fin); resolve(Buffer.concat(chunks)); };
    const onData = (c: Buffer | string): void => { chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(c)); };
    r.on('data', onData); r.once('end', fin); r.once('close', fin);
    signal?.addEventListener('abort', fin, { once: true });
    r.resume();
  });
}

/** A `sleep` operand in seconds as GNU and BusyBox read it: `1.5`, `2m`, `1h`, `1d`, `inf`/`infinity`; NaN when invalid. */
export function parseSleep(x: string): number {
  if (/^inf(inity)?$/i.test(x)) return Infinity;
  const m = /^(\d+(?:\.\d*)?|\.\d+)([smhd]?)$/.exec(x);
  if (!m) return NaN;
  return Number(m[1]) * ({ '': 1, s: 1, m: 60, h: 3600, d: 86400 }[m[2] as '' | 's' | 'm' | 'h' | 'd']);
}


/** A writable that turns `\n` into `\r\n` (a terminal's onlcr). */
export function crlf(out: Writable): Writable {
  let lastCR = false;
  return new Writable({
    write(chunk: Buffer | string, _e, cb) {
      const s = chunk.toString();
      let o = '';
      for (const ch of s) { if (ch === '\n' && !lastCR) o += '\r'; o += ch; lastCR = ch === '\r'; }
      out.write(o);
      cb();
    },
  });
}
