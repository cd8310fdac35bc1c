/**
 * The shell's side of a terminal: line editing with echo for the prompt (the shell's own line
 * editor), a cooked line discipline for foreground programs (echo, Ctrl-C, Ctrl-D), and plain
 * line reading when stdin is not a terminal.
 */
import { PassThrough, type Readable, type Writable } from 'node:stream';

/** A foreground job's view of the terminal. */
export interface Foreground { stdin: Readable | null; signal: AbortSignal; done(): void }

/** Reads command lines from stdin and hands input to foreground programs. */
export class Terminal {
  private buf = '';
  private ended = false;
  private line = '';
  private lineWaiter?: (l: string | null) => void;
  private child?: { stdin: PassThrough; ac: AbortController };

  constructor(stdin: Readable, private readonly out: Writable, private readonly tty: boolean) {
    stdin.on('data', (d: Buffer | string) => { this.buf += d.toString(); this.pump(); });
    const end = (): void => { this.ended = true; this.pump(); };
    stdin.once('end', end);
    stdin.once('close', end);
  }

  /** Prints the prompt and resolves with the next line (without newline), '\x03' after Ctrl-C, null at end of input. */
  readLine(prompt: string): Promise<string | null> {
    if (this.tty) this.out.write(prompt);
    return new Promise((resolve) => { this.lineWaiter = resolve; this.pump(); });
  }

  /** Gives the terminal to a foreground program until done() is called. */
  foreground(parent: AbortSignal): Foreground {
    const ac = new AbortController();
    const onParent = (): void => ac.abort();
    parent.addEventListener('abort', onParent, { once: true });
    if (!this.tty) {
      return { stdin: null, signal: ac.signal, done: () => parent.removeEventListener('abort', onParent) };
    }
    const stdin = new PassThrough();
    this.child = { stdin, ac };
    this.line = '';
    return {
      stdin, signal: ac.signal,
      done: () => { parent.removeEventListener('abort', onParent); this.child = undefined; this.line = ''; stdin.end(); this.pump(); },
    };
  }

  private resolveLine(v: string | null): void {
    const w = this.lineWaiter;
    this.lineWaiter = undefined;
    this.line = '';
    w?.(v);
  }

  private pump(): void {
    if (!this.tty) {
      if (!this.lineWaiter) return;
      const nl = this.buf.indexOf('\n');
      if (nl >= 0) { const l = this.buf.slice(0, nl); this.buf = this.buf.slice(nl + 1); this.resolveLine(l); return; }
      if (this.ended) { const rest = this.buf; this.buf = ''; this.resolveLine(rest.length ? rest : null); }
      return;
    }
    while (this.buf.length && (this.lineWaiter || this.child)) {
      const c = this.buf[0]!;
      if (c === '\x1b') {
        const m = /^\x1b(\[[0-9;]*[A-Za-z~]|O[A-Za-z]|.)?/.exec(this.buf)!;
        if (!m[1] && this.buf.length < 3 && !this.ended) return;
        this.buf = this.buf.slice(m[0].length);
        continue;
      }
      this.buf = this.buf.slice(1);
      if (c === '\r' || c === '\n') {
        if (c === '\n' && this.lastWasCR) { this.lastWasCR = false; continue; }
        this.lastWasCR = c === '\r';
        this.out.write('\r\n');
        if (this.child) { this.child.stdin.write(this.line + '\n'); this.line = ''; } else this.resolveLine(this.line);
        continue;
      }
      this.lastWasCR = false;
      if (c === '\x03') {
        this.out.write('^C');
        if (this.child) { this.line = ''; this.child.ac.abort(); } else { this.out.write('\r\n'); this.resolveLine('\x03'); }
        continue;
      }
      if (c === '\x04') {
        if (this.child) { if (this.line) { this.child.stdin.write(this.line); this.line = ''; } else this.child.stdin.end(); } else if (!this.line) this.resolveLine(null);
        continue;
      }
      if (c === '\x7f' || c === '\b') { if (this.line) { this.line = this.line.slice(0, -1); this.out.write('\b \b'); } continue; }
      if (c === '\x15') { this.out.write('\b \b'.repeat(this.line.length)); this.line = ''; continue; }
      if (c < ' ' && c !== '\t') continue;
      this.line += c;
      this.out.write(c);
    }
    if (this.ended && !this.buf.length) {
      if (this.child && !this.child.stdin.writableEnded) this.child.stdin.end();
      else if (this.lineWaiter) this.resolveLine(null);
    }
  }

  private lastWasCR = false;
}
