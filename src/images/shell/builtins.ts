/** Shell builtins: echo, printf, cd, pwd, exit, export, read, test, type and friends. */
import type { IO, Shell } from './exec.js';
import type { FileSystem } from '../types.js';
import { FuncReturn, LoopCtl, ShellExit } from './signals.js';
import { printf, unescape } from './printf.js';
import { testExpr } from './testcmd.js';
import { parseSleep, readLine, sleep } from './streams.js';

/** A builtin: gets the shell, the words (argv[0] included) and the streams. */
export type Builtin = (sh: Shell, argv: string[], io: IO) => Promise<number>;

const STD_DIRS = new Set(['/', '/tmp', '/root', '/etc', '/home', '/var', '/usr', '/bin', '/sbin', '/usr/bin', '/usr/local', '/opt', '/srv', '/mnt', '/proc', '/sys', '/dev', '/run', '/lib']);

/** Whether a directory exists in the container (standard directories always do). */
export function isDir(sh: Shell, p: string): boolean {
  return isDirPath(sh.ctx.fs, p);
}

/** Whether a path is a directory of a container's files (the standard ones always are). */
export function isDirPath(fs: FileSystem, p: string): boolean {
  return STD_DIRS.has(p) || fs.list(p) !== undefined;
}

function echo(sh: Shell, argv: string[], io: IO): Promise<number> {
  let args = argv.slice(1);
  let nl = true;
  let esc = sh.flavour === 'dash' || sh.flavour === 'zsh';
  while (args[0] && /^-[neE]+$/.test(args[0]) && !(sh.flavour === 'dash' && args[0] !== '-n')) {
    for (const f of args[0].slice(1)) { if (f === 'n') nl = false; else esc = f === 'e'; }
    args = args.slice(1);
  }
  let s = args.join(' ');
  if (esc) { const u = unescape(s, true); s = u.text; if (u.stop) nl = false; }
  io.stdout.write(s + (nl ? '\n' : ''));
  return Promise.resolve(0);
}

function setVars(sh: Shell, args: string[], exp: boolean): number {
  for (const a of args) {
    if (a.startsWith('-')) continue;
    const eq = a.indexOf('=');
    const name = eq < 0 ? a : a.slice(0, eq);
    if (eq >= 0) sh.vars.set(name, a.slice(eq + 1));
    if (exp) sh.exported.add(name);
  }
  return 0;
}

async function read(sh: Shell, argv: string[], io: IO): Promise<number> {
  const names: string[] = [];
  let raw = false;
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '-r') raw = true;
    else if (a === '-p') io.stderr.write(argv[++i] ?? '');
    else if (a === '-t') i++;
    else names.push(a);
  }
  if (!names.length) names.push('REPLY');
  if (!io.stdin) return 1;
  let line = await readLine(io.stdin, io.signal);
  if (line === null) { for (const n of names) sh.vars.set(n, ''); return 1; }
  if (!raw) line = line.replace(/\\(.)/g, '$1');
  const parts = line.trim().split(/[ \t]+/);
  names.forEach((n, i) => sh.vars.set(n, i === names.length - 1 ? parts.slice(i).join(' ') : parts[i] ?? ''));
  return 0;
}

function typeOf(sh: Shell, name: string): string | undefined {
  if (sh.funcs.has(name)) return `${name} is a function`;
  if (BUILTINS[name]) return `${name} is a shell builtin`;
  const w = sh.locate(name);
  if (typeof w === 'string' && w !== 'unknown') return `${name} is ${w}`;
  if (w === 'unknown') return `${name} is /usr/bin/${name}`;
  return undefined;
}

/** Every builtin by name. */
export const BUILTINS: Record<string, Builtin> = {
  echo: async (sh, a, io) => echo(sh, a, io),
  printf: async (_sh, a, io) => { io.stdout.write(printf(a[1] ?? '', a.slice(2))); return 0; },
  true: async () => 0,
  false: async () => 1,
  ':': async () => 0,
  pwd: async (sh, _a, io) => { io.stdout.write(sh.cwd + '\n'); return 0; },
  cd: async (sh, a, io) => {
    let dir = a[1] ?? sh.vars.get('HOME') ?? '/';
    if (dir === '-') { dir = sh.vars.get('OLDPWD') ?? sh.cwd; io.stdout.write(dir + '\n'); }
    const p = sh.path(dir);
    if (!isDir(sh, p)) {
      if (sh.flavour === 'bash') sh.err(io, `cd: ${dir}: No such file or directory`);
      else if (sh.flavour === 'dash') sh.err(io, `cd: can't cd to ${dir}`);
      else if (sh.flavour === 'zsh') io.stderr.write(`cd: no such file or directory: ${dir}\n`);
      else sh.err(io, `cd: can't cd to ${dir}: No such file or directory`);
      return sh.flavour === 'dash' ? 2 : 1;
    }
    sh.vars.set('OLDPWD', sh.cwd);
    sh.cwd = p;
    return 0;
  },
  exit: async (sh, a) => { throw new ShellExit(a[1] !== undefined ? Number(a[1]) & 255 : sh.status); },
  return: async (sh, a) => { throw new FuncReturn(a[1] !== undefined ? Number(a[1]) : sh.status); },
  break: async (_sh, a) => { throw new LoopCtl('break', Number(a[1] ?? 1)); },
  continue: async (_sh, a) => { throw new LoopCtl('continue', Number(a[1] ?? 1)); },
  export: async (sh, a, io) => {
    if (a.length === 1 || a[1] === '-p') {
      for (const n of [...sh.exported].sort()) if (sh.vars.has(n)) io.stdout.write(`export ${n}='${sh.vars.get(n)!.replace(/'/g, "'\\''")}'\n`);
      return 0;
    }
    return setVars(sh, a.slice(1), true);
  },
  local: async (sh, a) => setVars(sh, a.slice(1), false),
  readonly: async (sh, a) => setVars(sh, a.slice(1), false),
  unset: async (sh, a) => { for (const n of a.slice(1)) if (!n.startsWith('-')) { sh.vars.delete(n); sh.exported.delete(n); sh.funcs.delete(n); } return 0; },
  set: async (sh, a, io) => {
    if (a.length === 1) { for (const [k, v] of [...sh.vars].sort()) io.stdout.write(`${k}='${v}'\n`); return 0; }
    let i = 1;
    for (; i < a.length && /^[-+]/.test(a[i]!) && a[i] !== '--'; i++) if (a[i]!.includes('e')) sh.errexit = a[i]!.startsWith('-');
    if (a[i] === '--') i++;
    if (i < a.length || a.includes('--')) sh.params = a.slice(i);
    return 0;
  },
  shift: async (sh, a) => { const n = Number(a[1] ?? 1); if (n > sh.params.length) return 1; sh.params = sh.params.slice(n); return 0; },
  sleep: async (sh, a, io) => {
    const secs = a.slice(1).reduce((t, x) => t + parseSleep(x), 0);
    if (Number.isNaN(secs) || a.length < 2) { io.stderr.write(`sleep: invalid number '${a[1] ?? ''}'\n`); return 1; }
    return (await sleep(secs * 1000, io.signal)) ? 0 : 130;
  },
  read,
  test: async (sh, a, io) => testExpr(sh, a.slice(1), io, 'test'),
  '[': async (sh, a, io) => {
    if (a[a.length - 1] !== ']') { io.stderr.write(`${sh.flavour === 'ash' ? 'sh: ' : ''}[: missing ]\n`); return 2; }
    return testExpr(sh, a.slice(1, -1), io, '[');
  },
  type: async (sh, a, io) => {
    let st = 0;
    for (const n of a.slice(1)) {
      const t = typeOf(sh, n);
      if (t) io.stdout.write(t + '\n');
      else { st = 1; if (sh.flavour === 'bash') sh.err(io, `type: ${n}: not found`); else io.stdout.write(`${n}: not found\n`); }
    }
    return st;
  },
  command: async (sh, a, io) => {
    if (a[1] === '-v' || a[1] === '-V') {
      const n = a[2] ?? '';
      const w = BUILTINS[n] ? n : sh.locate(n);
      if (!w) return 1;
      io.stdout.write((a[1] === '-V' ? typeOf(sh, n) : w === 'unknown' ? `/usr/bin/${n}` : w) + '\n');
      return 0;
    }
    return a.length > 1 ? sh.invoke(a.slice(1), io) : 0;
  },
  eval: async (sh, a, io) => sh.run(a.slice(1).join(' '), io),
  exec: async (sh, a, io) => { if (a.length < 2) return 0; throw new ShellExit(await sh.invoke(a.slice(1), io)); },
  '.': async (sh, a, io) => source(sh, a, io),
  source: async (sh, a, io) => source(sh, a, io),
  wait: async (sh) => { const codes = await Promise.all(sh.jobs.splice(0)); return codes[codes.length - 1] ?? 0; },
  trap: async () => 0,
  umask: async (_sh, a, io) => { if (a.length === 1) io.stdout.write('0022\n'); return 0; },
  ulimit: async (_sh, a, io) => { if (a.length === 1) io.stdout.write('unlimited\n'); return 0; },
  alias: async () => 0,
  unalias: async () => 0,
  hash: async () => 0,
  jobs: async () => 0,
};

async function source(sh: Shell, a: string[], io: IO): Promise<number> {
  const f = a[1];
  const data = f ? sh.ctx.fs.read(sh.path(f)) : undefined;
  if (!data) { sh.err(io, `${a[0]}: can't open '${f ?? ''}': No such file or directory`); return 1; }
  return sh.run(data.toString(), io);
}

