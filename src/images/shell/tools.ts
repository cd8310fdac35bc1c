/** Small coreutils as programs (busybox or GNU wording): cat, env, ls, head, tail, grep, wc, ps, … */
import os from 'node:os';
import { posix } from 'node:path';
import type { Program } from '../types.js';
import { printf, unescape } from './printf.js';
import { parseSleep, readAll, sleep } from './streams.js';
import { grepProgram } from './grep.js';
import { Slicer, writeOut } from './pacing.js';
import { inputs, lines, readLines, resolvePath as p, splitLines, type Userland } from './tool-input.js';
import { countText, sortLines, writeSequence } from './sort.js';

export type { Userland };

function splitFlags(argv: string[]): { flags: Set<string>; rest: string[]; n?: number } {
  const flags = new Set<string>();
  const rest: string[] = [];
  let n: number | undefined;
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '-n' && posix.basename(argv[0] ?? '') !== 'grep' || a === '-c' && ['head', 'tail'].includes(posix.basename(argv[0] ?? ''))) { n = Number(argv[++i]); flags.add(a.slice(1)); continue; }
    if (/^-\d+$/.test(a)) { n = Number(a.slice(1)); continue; }
    if (/^-[A-Za-z]+$/.test(a)) { for (const c of a.slice(1)) flags.add(c); continue; }
    rest.push(a);
  }
  return { flags, rest, n };
}

/** The date the way `date` prints it by default (`Thu Jan  1 00:00:00 UTC 2025`). */
export function unixDate(d = new Date()): string {
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const mons = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const t = d.toISOString().slice(11, 19);
  return `${days[d.getUTCDay()]} ${mons[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2)} ${t} UTC ${d.getUTCFullYear()}`;
}

function dateFmt(fmt: string, d: Date): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  const map: Record<string, () => string> = {
    s: () => String(Math.floor(d.getTime() / 1000)), Y: () => String(d.getUTCFullYear()), m: () => pad(d.getUTCMonth() + 1),
    d: () => pad(d.getUTCDate()), H: () => pad(d.getUTCHours()), M: () => pad(d.getUTCMinutes()), S: () => pad(d.getUTCSeconds()),
    T: () => d.toISOString().slice(11, 19), F: () => d.toISOString().slice(0, 10), Z: () => 'UTC', N: () => String(d.getUTCMilliseconds() * 1e6).padStart(9, '0'), '%': () => '%',
  };
  return fmt.replace(/%(.)/g, (m, c: string) => map[c]?.() ?? m);
}

/** The core tools of a userland. */
export function coreTools(ul: Userland): Record<string, Program> {
  const bb = ul === 'busybox';
  return {
    cat: async (ctx) => {
      const { rest } = splitFlags(ctx.argv);
      const r = await inputs(ctx, rest, 'cat', ul);
      for (const d of r.data) ctx.stdout.write(d);
      return r.failed ? 1 : 0;
    },
    echo: async (ctx) => {
      let a = ctx.argv.slice(1);
      let nl = true;
      let esc = false;
      while (a[0] && /^-[neE]+$/.test(a[0])) { for (const c of a[0].slice(1)) { if (c === 'n') nl = false; else esc = c === 'e'; } a = a.slice(1); }
      let s = a.join(' ');
      if (esc) { const u = unescape(s, true); s = u.text; if (u.stop) nl = false; }
      ctx.stdout.write(s + (nl ? '\n' : ''));
      return 0;
    },
    printf: async (ctx) => { ctx.stdout.write(printf(ctx.argv[1] ?? '', ctx.argv.slice(2))); return 0; },
    env: async (ctx) => {
      const a = ctx.argv.slice(1);
      const env = { ...ctx.env };
      while (a[0] && /^[A-Za-z_]\w*=/.test(a[0])) { const s = a.shift()!; env[s.slice(0, s.indexOf('='))] = s.slice(s.indexOf('=') + 1); }
      if (a.length) return ctx.spawn(a, { stdin: ctx.stdin, stdout: ctx.stdout, stderr: ctx.stderr, env, cwd: ctx.cwd, signal: ctx.signal });
      for (const [k, v] of Object.entries(env)) ctx.stdout.write(`${k}=${v}\n`);
      return 0;
    },
    printenv: async (ctx) => {
      const names = ctx.argv.slice(1);
      if (!names.length) { for (const [k, v] of Object.entries(ctx.env)) ctx.stdout.write(`${k}=${v}\n`); return 0; }
      let st = 0;
      for (const n of names) { const v = ctx.env[n]; if (v === undefined) st = 1; else ctx.stdout.write(v + '\n'); }
      return st;
    },
    hostname: async (ctx) => {
      const f = ctx.argv[1];
      ctx.stdout.write((f === '-i' || f === '-I' ? ctx.pod.ip + (f === '-I' ? ' ' : '') : ctx.pod.hostname) + '\n');
      return 0;
    },
    ls: async (ctx) => {
      const { flags, rest } = splitFlags(ctx.argv);
      let st = 0;
      const targets = rest.length ? rest : ['.'];
      for (const t of targets) {
        const path = p(ctx, t);
        const entries = ctx.fs.list(path);
        if (entries === undefined && !ctx.fs.exists(path)) {
          ctx.stderr.write(bb ? `ls: ${t}: No such file or directory\n` : `ls: cannot access '${t}': No such file or directory\n`);
          st = bb ? 1 : 2;
          continue;
        }
        if (targets.length > 1 && entries) ctx.stdout.write(`${t}:\n`);
        const names = (entries ?? [t]).filter((n) => flags.has('a') || !n.startsWith('.'));
        if (flags.has('a') && entries) names.unshift('.', '..');
        if (flags.has('l')) {
          for (const n of names) {
            const full = entries ? posix.join(path, n) : path;
            const isDir = ctx.fs.list(full) !== undefined;
            const size = ctx.fs.read(full)?.length ?? 4096;
            ctx.stdout.write(`${isDir ? 'drwxr-xr-x' : '-rw-r--r--'}    1 root     root     ${String(size).padStart(9)} Jan  1 00:00 ${n}\n`);
          }
        } else if (names.length) ctx.stdout.write(ctx.tty ? names.join('  ') + '\n' : names.join('\n') + '\n');
      }
      return st;
    },
    sleep: async (ctx) => {
      const s = ctx.argv.length > 1 ? ctx.argv.slice(1).reduce((t, x) => t + parseSleep(x), 0) : NaN;
      if (Number.isNaN(s)) { ctx.stderr.write(bb ? `sleep: invalid number '${ctx.argv[1] ?? ''}'\n` : `sleep: missing operand\n`); return 1; }
      return (await sleep(s * 1000, ctx.signal)) ? 0 : 143;
    },
    true: async () => 0,
    false: async () => 1,
    id: async (ctx) => {
      ctx.stdout.write(bb ? 'uid=0(root) gid=0(root) groups=0(root),1(bin),2(daemon),3(sys),4(adm),6(disk),10(wheel),11(floppy),20(dialout),26(tape),27(video)\n' : 'uid=0(root) gid=0(root) groups=0(root)\n');
      return 0;
    },
    whoami: async (ctx) => { ctx.stdout.write('root\n'); return 0; },
    uname: async (ctx) => {
      const f = new Set(ctx.argv.slice(1).join('').replace(/-/g, ''));
      const parts: string[] = [];
      const all = f.has('a');
      if (all || f.has('s') || f.size === 0) parts.push('Linux');
      if (all || f.has('n')) parts.push(ctx.pod.hostname);
      if (all || f.has('r')) parts.push(os.release());
      if (all || f.has('v')) parts.push('#1 SMP PREEMPT_DYNAMIC');
      if (all || f.has('m')) parts.push(os.machine());
      if (all) parts.push('GNU/Linux');
      ctx.stdout.write(parts.join(' ') + '\n');
      return 0;
    },
    date: async (ctx) => {
      const fmt = ctx.argv.slice(1).find((a) => a.startsWith('+'));
      ctx.stdout.write((fmt ? dateFmt(fmt.slice(1), new Date()) : unixDate()) + '\n');
      return 0;
    },
    head: async (ctx) => {
      const { flags, rest, n } = splitFlags(ctx.argv);
      const count = n ?? 10;
      const bytes = flags.has('c');
      let failed = false;
      for (const f of rest.length ? rest : ['-']) {
        // From a pipe, only what is printed is read: the writer then finds the pipe closed (SIGPIPE).
        const r = f === '-' ? { data: [await readLines(ctx.stdin, count, ctx.signal, bytes ? 'bytes' : 'lines')], failed: false } : await inputs(ctx, [f], 'head', ul);
        failed ||= r.failed;
        for (const d of r.data) ctx.stdout.write(bytes ? d.subarray(0, count) : lines(d).slice(0, count).map((l) => l + '\n').join(''));
      }
      return failed ? 1 : 0;
    },
    tail: async (ctx) => {
      const { rest, n } = splitFlags(ctx.argv);
      const r = await inputs(ctx, rest, 'tail', ul);
      for (const d of r.data) for (const l of (await splitLines(d, new Slicer())).slice(-(n ?? 10))) ctx.stdout.write(l + '\n');
      return r.failed ? 1 : 0;
    },
    grep: grepProgram(ul),
    wc: async (ctx) => {
      const { flags, rest } = splitFlags(ctx.argv);
      const r = await inputs(ctx, rest, 'wc', ul);
      const t = await countText(Buffer.concat(r.data));
      const counts: [string, number][] = [['l', t.l], ['w', t.w], ['c', t.c]];
      const shown = counts.filter(([f]) => flags.size === 0 || flags.has(f)).map(([, v]) => v);
      const name = rest[0] ? ` ${rest[0]}` : '';
      ctx.stdout.write((shown.length === 1 && !bb ? String(shown[0]) : shown.map((v) => String(v).padStart(bb ? 9 : 7)).join(bb ? ' ' : ' ').trimStart()) + name + '\n');
      return r.failed ? 1 : 0;
    },
    ps: async (ctx) => {
      if (bb) ctx.stdout.write(`PID   USER     TIME  COMMAND\n    1 root      0:00 ${ctx.argv[0] === 'ps' ? 'sh' : ctx.argv[0]}\n   ${String(7).padStart(2)} root      0:00 ps${ctx.argv.length > 1 ? ' ' + ctx.argv.slice(1).join(' ') : ''}\n`);
      else ctx.stdout.write('    PID TTY          TIME CMD\n      1 ?        00:00:00 sh\n      7 ?        00:00:00 ps\n');
      return 0;
    },
    kill: async (ctx) => {
      const pid = ctx.argv.slice(1).find((a) => !a.startsWith('-'));
      if (!pid) { ctx.stderr.write(bb ? 'kill: usage: kill [-s SIGNAL | -SIGNAL] PID...\n' : 'kill: usage: kill [-s sigspec | -n signum | -sigspec] pid | jobspec ... or kill -l [sigspec]\n'); return bb ? 1 : 2; }
      if (pid !== '1') { ctx.stderr.write(bb ? `kill: can't kill pid ${pid}: No such process\n` : `kill: (${pid}) - No such process\n`); return 1; }
      return 0;
    },
    mkdir: async (ctx) => {
      const { rest } = splitFlags(ctx.argv);
      const fs = ctx.fs as typeof ctx.fs & { mkdir?: (p: string) => void };
      for (const d of rest) { if (fs.mkdir) fs.mkdir(p(ctx, d)); else fs.write(p(ctx, d) + '/.keep', ''); }
      return 0;
    },
    touch: async (ctx) => { for (const f of ctx.argv.slice(1).filter((a) => !a.startsWith('-'))) if (!ctx.fs.exists(p(ctx, f))) ctx.fs.write(p(ctx, f), ''); return 0; },
    rm: async (ctx) => {
      const { flags, rest } = splitFlags(ctx.argv);
      let st = 0;
      for (const f of rest) {
        if (!ctx.fs.remove(p(ctx, f)) && !flags.has('f')) {
          ctx.stderr.write(bb ? `rm: can't remove '${f}': No such file or directory\n` : `rm: cannot remove '${f}': No such file or directory\n`);
          st = 1;
        }
      }
      return st;
    },
    clear: async (ctx) => { ctx.stdout.write('\x1b[H\x1b[J'); return 0; },
    seq: async (ctx) => {
      const args: string[] = [];
      let sep = '\n';
      for (let i = 1; i < ctx.argv.length; i++) {
        const a = ctx.argv[i]!;
        if (a === '-s') sep = ctx.argv[++i] ?? '';
        else if (a.startsWith('-s')) sep = a.slice(2);
        else args.push(a);
      }
      const fail = (msg: string): number => { ctx.stderr.write(`seq: ${msg}\n${bb ? '' : "Try 'seq --help' for more information.\n"}`); return 1; };
      if (!args.length || args.length > 3) return fail(args.length ? `extra operand '${args[3]}'` : 'missing operand');
      const bad = args.find((a) => !/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(a));
      if (bad !== undefined) return fail(bb ? `invalid number '${bad}'` : `invalid floating point argument: '${bad}'`);
      if (args.length === 3 && Number(args[1]) === 0) return fail(`invalid Zero increment value: '${args[1]}'`);
      return writeSequence(ctx.stdout, args, sep, ctx.signal);
    },
    tee: async (ctx) => {
      const d = await readAll(ctx.stdin, ctx.signal);
      for (const f of ctx.argv.slice(1).filter((a) => !a.startsWith('-'))) ctx.fs.write(p(ctx, f), d);
      ctx.stdout.write(d);
      return 0;
    },
    sort: async (ctx) => {
      const { flags, rest } = splitFlags(ctx.argv);
      const r = await inputs(ctx, rest, 'sort', ul);
      if (r.failed && !r.data.length) return 2;
      const num = (x: string): number => { const v = Number.parseFloat(x); return Number.isNaN(v) ? 0 : v; };
      const text = (x: string, y: string): number => (x < y ? -1 : x > y ? 1 : 0);
      const slicer = new Slicer();
      const all: string[] = [];
      for (const d of r.data) for (const x of await splitLines(d, slicer)) all.push(x);
      let l = await sortLines(all, flags.has('n') ? (x, y) => num(x) - num(y) || text(x, y) : text, slicer);
      if (flags.has('r')) l.reverse();
      if (flags.has('u')) l = l.filter((x, i) => i === 0 || x !== l[i - 1]);
      for (let i = 0; i < l.length; i += 4096) {
        if (!await writeOut(ctx.stdout, l.slice(i, i + 4096).map((x) => x + '\n').join(''), ctx.signal)) return 2;
        await slicer.tick();
      }
      return r.failed ? 2 : 0;
    },
  };
}
