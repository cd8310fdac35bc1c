/** The shell as a program: `sh -c`, scripts, and the interactive prompt loop (busybox ash, dash, bash, zsh flavours). */
import { Readable } from 'node:stream';
import type { ProcessContext, Program } from '../types.js';
import { Shell, type Flavour, type IO } from './exec.js';
import { Incomplete, SyntaxError } from './lex.js';
import { parse, type List } from './parse.js';
import { Interrupted, ShellExit } from './signals.js';
import { crlf } from './streams.js';
import { Terminal } from './terminal.js';

/** The prompt each flavour shows for root. */
export function prompt(sh: Shell, flavour: Flavour): string {
  const home = sh.vars.get('HOME') ?? '/root';
  const cwd = sh.cwd === home ? '~' : sh.cwd.startsWith(home + '/') ? '~' + sh.cwd.slice(home.length) : sh.cwd;
  switch (flavour) {
    case 'bash': return `root@${sh.ctx.pod.hostname}:${cwd}# `;
    case 'dash': return '# ';
    case 'zsh': return `${sh.ctx.pod.hostname}:${cwd}# `;
    default: return `${cwd} # `;
  }
}

function initShell(ctx: ProcessContext, flavour: Flavour, argv0: string): Shell {
  const sh = new Shell(ctx, flavour, argv0);
  for (const [k, v] of Object.entries(ctx.env)) { sh.vars.set(k, v); sh.exported.add(k); }
  const defaults: Record<string, string> = {
    PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', HOME: '/root', PWD: ctx.cwd || '/', SHLVL: '1',
  };
  for (const [k, v] of Object.entries(defaults)) { if (!sh.vars.has(k) || k === 'PWD') sh.vars.set(k, v); sh.exported.add(k); }
  sh.vars.set('IFS', ' \t\n');
  if (flavour === 'bash') { sh.vars.set('HOSTNAME', ctx.pod.hostname); sh.vars.set('BASH', argv0); }
  return sh;
}

/** Builds the shell program of a flavour. */
export function shellProgram(flavour: Flavour): Program {
  return async (ctx) => {
    const argv0 = ctx.argv[0] ?? 'sh';
    const args = ctx.argv.slice(1);
    let cmd: string | undefined;
    let useC = false;
    let forceI = false;
    let errexit = false;
    while (args.length && /^[-+][a-zA-Z]+$/.test(args[0]!)) {
      const f = args.shift()!;
      if (f.includes('c')) useC = true;
      if (f.includes('i')) forceI = true;
      if (f.includes('e') && f.startsWith('-')) errexit = true;
      if (f.includes('o')) args.shift();
    }
    if (args[0] === '--' || args[0] === '-') args.shift();
    const sh = initShell(ctx, flavour, argv0);
    sh.errexit = errexit;
    const tty = !!ctx.tty;
    const out = tty ? crlf(ctx.stdout) : ctx.stdout;
    const errOut = tty ? out : ctx.stderr;
    const io: IO = { stdin: ctx.stdin, stdout: out, stderr: errOut, signal: ctx.signal };
    const finish = async (p: Promise<number>): Promise<number> => {
      try { return await p; } catch (e) {
        if (e instanceof ShellExit) return e.code;
        if (e instanceof Interrupted) return ctx.signal.aborted ? 143 : 130;
        throw e;
      }
    };
    if (useC) {
      if (args[0] === undefined) { sh.err(io, '-c requires an argument'); return 2; }
      cmd = args.shift()!;
      if (args.length) { sh.argv0 = args.shift()!; sh.params = args; }
      return finish(sh.run(cmd, io));
    }
    if (args[0] !== undefined) {
      const file = args.shift()!;
      const data = ctx.fs.read(sh.path(file));
      sh.params = args;
      if (!data) {
        if (flavour === 'bash') { io.stderr.write(`${argv0}: ${file}: No such file or directory\n`); return 127; }
        sh.err(io, flavour === 'dash' ? `Can't open ${file}` : `can't open '${file}': No such file or directory`);
        return 2;
      }
      sh.argv0 = file;
      return finish(sh.run(data.toString(), io));
    }
    return interactive(sh, ctx, io, tty, forceI || tty);
  };
}

async function interactive(sh: Shell, ctx: ProcessContext, io: IO, tty: boolean, isInteractive: boolean): Promise<number> {
  sh.interactive = isInteractive;
  const term = new Terminal(ctx.stdin ?? Readable.from([]), io.stdout, tty);
  const aborted = new Promise<null>((resolve) => {
    if (ctx.signal.aborted) resolve(null);
    ctx.signal.addEventListener('abort', () => resolve(null), { once: true });
  });
  let pending = '';
  for (;;) {
    const ps = pending ? '> ' : prompt(sh, sh.flavour);
    const line = await Promise.race([term.readLine(ps), aborted]);
    if (ctx.signal.aborted) return 143;
    if (line === null) {
      if (pending) { sh.syntaxError(io, new Incomplete('end of file')); return 2; }
      if (tty && sh.flavour === 'bash') io.stdout.write('exit\n');
      return sh.status;
    }
    if (line === '\x03') { pending = ''; sh.status = 130; continue; }
    pending += line + '\n';
    let list: List;
    try { list = parse(pending); } catch (e) {
      if (e instanceof Incomplete) continue;
      if (e instanceof SyntaxError) { sh.syntaxError(io, e); sh.status = 2; pending = ''; sh.line++; continue; }
      throw e;
    }
    pending = '';
    const fg = term.foreground(ctx.signal);
    try {
      await sh.list(list, { ...io, stdin: fg.stdin, signal: fg.signal });
      if (fg.signal.aborted && !ctx.signal.aborted) io.stdout.write('\n');
    } catch (e) {
      if (e instanceof ShellExit) { if (tty && sh.flavour === 'bash') io.stdout.write('exit\n'); return e.code; }
      if (!(e instanceof Interrupted)) throw e;
      if (ctx.signal.aborted) return 143;
      io.stdout.write('\n');
      sh.status = 130;
    } finally { fg.done(); }
    sh.line++;
  }
}
