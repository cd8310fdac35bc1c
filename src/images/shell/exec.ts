/** The shell interpreter: runs parsed lists with pipes, redirections, builtins and external programs. */
import { posix } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import type { ProcessContext } from '../types.js';
import { Incomplete, SyntaxError } from './lex.js';
import { parse, type AndOr, type Cmd, type List, type Pipeline } from './parse.js';
import { expandFields, expandString, type ExpandEnv } from './expand.js';
import { globMatcher } from './posix-regex.js';
import { drained, Slicer } from './pacing.js';
import { BUILTINS } from './builtins.js';
import { Collector, pipe } from './streams.js';
import { applyRedirs } from './redirect.js';
import { FuncReturn, Interrupted, LoopCtl, ShellExit } from './signals.js';

export { FuncReturn, Interrupted, LoopCtl, ShellExit };

/** Which shell is being imitated (messages and prompts differ). */
export type Flavour = 'ash' | 'dash' | 'bash' | 'zsh';

/** Standard streams of a command plus its stop signal. */
export interface IO { stdin: Readable | null; stdout: Writable; stderr: Writable; signal: AbortSignal }

/** One shell (or subshell) with its variables and state. */
export class Shell {
  vars = new Map<string, string>();
  exported = new Set<string>();
  funcs = new Map<string, Cmd>();
  params: string[] = [];
  status = 0;
  line = 1;
  interactive = false;
  errexit = false;
  jobs: Promise<number>[] = [];
  lastBg = 0;
  private condDepth = 0;
  private substStatus = 0;

  constructor(readonly ctx: ProcessContext, readonly flavour: Flavour, public argv0: string) {}

  get cwd(): string { return this.vars.get('PWD') ?? '/'; }
  set cwd(v: string) { this.vars.set('PWD', v); }

  /** An independent copy (subshells, pipeline elements, command substitution). */
  clone(): Shell {
    const s = new Shell(this.ctx, this.flavour, this.argv0);
    s.vars = new Map(this.vars); s.exported = new Set(this.exported); s.funcs = new Map(this.funcs);
    s.params = [...this.params]; s.status = this.status; s.line = this.line; s.errexit = this.errexit;
    return s;
  }

  /** Resolves a path against the working directory. */
  path(p: string): string { return posix.resolve(this.cwd, p); }

  /** The exported variables as a program environment. */
  environ(extra: Record<string, string> = {}): Record<string, string> {
    const env: Record<string, string> = {};
    for (const n of this.exported) { const v = this.vars.get(n); if (v !== undefined) env[n] = v; }
    return { ...env, ...extra };
  }

  /** Writes an error line prefixed as this flavour does (`sh: …`, `sh: 1: …`, `bash: line 1: …`). */
  err(io: IO, msg: string): void {
    const prefix = this.flavour === 'dash' ? `${this.argv0}: ${this.line}: `
      : this.flavour === 'bash' && !this.interactive ? `${this.argv0}: line ${this.line}: ` : `${this.argv0}: `;
    io.stderr.write(prefix + msg + '\n');
  }

  /** Parses and runs source text; syntax errors print and give status 2. */
  async run(src: string, io: IO): Promise<number> {
    let list: List;
    try { list = parse(src); } catch (e) {
      if (e instanceof Incomplete || e instanceof SyntaxError) { this.syntaxError(io, e); this.status = 2; return 2; }
      throw e;
    }
    return this.list(list, io);
  }

  /** Prints a syntax error in this flavour's words. */
  syntaxError(io: IO, e: Error): void {
    const m = /unexpected "(.*)"/.exec(e.message);
    if (this.flavour === 'bash') io.stderr.write(`${this.argv0}: ${this.interactive ? '' : `-c: line ${this.line}: `}syntax error near unexpected token \`${m?.[1] ?? 'newline'}'\n`);
    else if (this.flavour === 'dash') io.stderr.write(`${this.argv0}: ${this.line}: Syntax error: ${m ? `"${m[1]}" unexpected` : 'end of file unexpected'}\n`);
    else if (this.flavour === 'zsh') io.stderr.write(`zsh: parse error near \`${m?.[1] ?? '\\n'}'\n`);
    else this.err(io, `syntax error: ${e.message}`);
  }

  /** Variable access for expansion, bound to the streams of the current command. */
  expEnv(io: IO): ExpandEnv {
    return {
      get: (n) => {
        if (n === '?') return String(this.status);
        if (n === '$') return '1';
        if (n === '#') return String(this.params.length);
        if (n === '!') return String(this.lastBg || '');
        if (n === '0') return this.argv0;
        if (n === '-') return this.interactive ? 'i' : '';
        if (/^[1-9]\d*$/.test(n)) return this.params[Number(n) - 1];
        return this.vars.get(n);
      },
      set: (n, v) => { this.vars.set(n, v); },
      params: () => this.params,
      subst: async (src) => {
        const out = new Collector();
        const sub = this.clone();
        let code: number;
        try { code = await sub.run(src, { ...io, stdout: out }); } catch (e) { if (e instanceof ShellExit) code = e.code; else throw e; }
        this.substStatus = code;
        return out.text();
      },
    };
  }

  /** Runs a list. */
  async list(l: List, io: IO): Promise<number> {
    for (const { ao, bg } of l.items) {
      if (io.signal.aborted) throw new Interrupted();
      if (bg) {
        const sub = this.clone();
        const job = sub.andOr(ao, { ...io, stdin: null }).catch((e) => (e instanceof ShellExit ? e.code : 1));
        this.jobs.push(job);
        this.lastBg = Math.max(this.lastBg, 100) + 1; // numbered per shell: no counter shared between pods
        this.status = 0;
        continue;
      }
      this.status = await this.andOr(ao, io);
      if (this.errexit && this.status !== 0 && this.condDepth === 0) throw new ShellExit(this.status);
    }
    return this.status;
  }

  private async andOr(ao: AndOr, io: IO): Promise<number> {
    const hasRest = ao.rest.length > 0;
    if (hasRest) this.condDepth++;
    let st: number;
    try { st = await this.pipeline(ao.first, io); } finally { if (hasRest) this.condDepth--; }
    for (const [i, { op, p }] of ao.rest.entries()) {
      if ((op === '&&') !== (st === 0)) continue;
      const last = i === ao.rest.length - 1;
      if (!last) this.condDepth++;
      try { st = await this.pipeline(p, io); } finally { if (!last) this.condDepth--; }
      this.status = st;
    }
    return st;
  }

  private async pipeline(p: Pipeline, io: IO): Promise<number> {
    if (p.bang) this.condDepth++;
    try {
      let st: number;
      if (p.cmds.length === 1) st = await this.command(p.cmds[0]!, io);
      else {
        const pipes = p.cmds.slice(1).map(() => pipe());
        const last = p.cmds.length - 1;
        const runs = p.cmds.map(async (c, i) => {
          const cio = { ...io, stdin: i > 0 ? pipes[i - 1]! : io.stdin, stdout: i < last ? pipes[i]! : io.stdout };
          try { return await this.clone().command(c, cio); } catch (e) {
            if (e instanceof ShellExit) return e.code;
            throw e;
          } finally {
            if (i < last) pipes[i]!.end();
            // The reader is done: its pipe closes, so a writer still producing stops (SIGPIPE), as `yes | head -1` does.
            if (i > 0) pipes[i - 1]!.destroy();
          }
        });
        const all = await Promise.all(runs);
        st = all[last]!;
      }
      return p.bang ? Number(st === 0) : st;
    } finally { if (p.bang) this.condDepth--; }
  }

  /** Runs one command (with its redirections). */
  async command(c: Cmd, io: IO): Promise<number> {
    if (c.k === 'simple') return this.simple(c, io);
    if (c.k === 'func') { this.funcs.set(c.name, c.body); return 0; }
    const r = await applyRedirs(this, c.redirs, io);
    if (typeof r === 'number') return r;
    try { return await this.compound(c, r.io); } finally { r.finish(); }
  }

  private async cond(l: List, io: IO): Promise<number> {
    this.condDepth++;
    try { return await this.list(l, io); } finally { this.condDepth--; }
  }

  private async compound(c: Exclude<Cmd, { k: 'simple' | 'func' }>, io: IO): Promise<number> {
    const env = this.expEnv(io);
    switch (c.k) {
      case 'group':
        if (!c.subshell) return this.list(c.body, io);
        try { return await this.clone().list(c.body, io); } catch (e) { if (e instanceof ShellExit) return e.code; throw e; }
      case 'if':
        for (const b of c.branches) if (await this.cond(b.cond, io) === 0) return this.list(b.body, io);
        return c.orelse ? this.list(c.orelse, io) : 0;
      case 'case': {
        const w = await expandString(c.word, env);
        for (const arm of c.arms) {
          for (const p of arm.patterns) if (globMatcher(await expandString(p, env)).test(w)) return this.list(arm.body, io);
        }
        return 0;
      }
      case 'loop': case 'for': {
        const items = c.k === 'for' ? (c.items ? (await Promise.all(c.items.map((w) => expandFields(w, env)))).flat() : [...this.params]) : [];
        let st = 0;
        const slicer = new Slicer();
        for (let n = 0; ; n++) {
          if (io.signal.aborted) throw new Interrupted();
          if (c.k === 'for') { if (n >= items.length) break; this.vars.set(c.name, items[n]!); } else if ((await this.cond(c.cond, io) === 0) === c.until) break;
          try { st = await this.list(c.body, io); } catch (e) {
            if (!(e instanceof LoopCtl)) throw e;
            if (e.n > 1) { e.n--; throw e; }
            if (e.kind === 'break') break;
          }
          // A loop is CPU work on the cluster's event loop: it yields once per time slice, and waits while its output is unread.
          await drained(io.stdout, io.signal);
          await slicer.tick();
        }
        return st;
      }
    }
  }

  private async simple(c: Extract<Cmd, { k: 'simple' }>, io: IO): Promise<number> {
    const env = this.expEnv(io);
    this.substStatus = 0;
    const words: string[] = [];
    for (const w of c.words) words.push(...await expandFields(w, env));
    const assigns: Record<string, string> = {};
    for (const [n, raw] of c.assigns) assigns[n] = await expandString(raw, env);
    const r = await applyRedirs(this, c.redirs, io);
    if (typeof r === 'number') return r;
    try {
      if (!words.length) {
        for (const [n, v] of Object.entries(assigns)) this.vars.set(n, v);
        return this.substStatus;
      }
      return await this.invoke(words, r.io, assigns);
    } finally { r.finish(); }
  }

  /** Runs a command by name: function, builtin or program of the image. */
  async invoke(words: string[], io: IO, assigns: Record<string, string> = {}): Promise<number> {
    const name = words[0]!;
    const fn = this.funcs.get(name);
    if (fn) {
      const saved = this.params;
      this.params = words.slice(1);
      try { return await this.command(fn, io); } catch (e) { if (e instanceof FuncReturn) return e.code; throw e; } finally { this.params = saved; }
    }
    const b = BUILTINS[name];
    if (b && !(this.flavour === 'bash' && name === 'sleep')) {
      for (const [n, v] of Object.entries(assigns)) this.vars.set(n, v);
      return b(this, words, io);
    }
    return this.external(words, io, assigns);
  }

  /** Where a program is on PATH: true, false (missing), or 'unknown' when the image lists no binaries. */
  locate(name: string): string | false | 'unknown' {
    const fs = this.ctx.fs;
    if (name.includes('/')) return fs.exists(this.path(name)) ? this.path(name) : (fs.list('/bin') ? false : 'unknown');
    let anyDir = false;
    for (const d of (this.vars.get('PATH') ?? '/usr/sbin:/usr/bin:/sbin:/bin').split(':')) {
      if (!d) continue;
      if (fs.list(d)) anyDir = true;
      if (fs.exists(`${d}/${name}`)) return `${d}/${name}`;
    }
    return anyDir ? false : 'unknown';
  }

  /** Prints this flavour's "not found" error. */
  notFound(io: IO, name: string): number {
    if (this.flavour === 'zsh') io.stderr.write(`zsh: command not found: ${name}\n`);
    else if (this.flavour === 'bash') this.err(io, name.includes('/') ? `${name}: No such file or directory` : `${name}: command not found`);
    else this.err(io, `${name}: not found`);
    return 127;
  }

  private async external(words: string[], io: IO, assigns: Record<string, string>): Promise<number> {
    const name = words[0]!;
    const where = this.locate(name);
    if (where === false) return this.notFound(io, name);
    const code = await this.ctx.spawn(words, { stdin: io.stdin, stdout: io.stdout, stderr: io.stderr, env: this.environ(assigns), cwd: this.cwd, signal: io.signal });
    if (code === 127 && where === 'unknown') return this.notFound(io, name);
    return code;
  }
}
