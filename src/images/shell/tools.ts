/** Small coreutils as programs (busybox or GNU wording): cat, env, ls, head, tail, grep, wc, ps, … */
import os from 'node:os';
import { posix } from 'node:path';
import type { ProcessContext, Program } from '../types.js';
import { printf, unescape } from './printf.js';
import { parseSleep, readAll, sleep } from './streams.js';

/** Which userland's messages to imitate. */
export type Userland = 'busybox' | 'gnu';

const p = (ctx: ProcessContext, f: string): string => posix.resolve(ctx.cwd || '/', f);

/** Reads the named files (or stdin for none / `-`), reporting missing ones as the userland does. */
async function inputs(ctx: ProcessContext, files: string[], tool: string, ul: Userland): Promise<{ data: Buffer[]; failed: boolean }> {
  const data: Buffer[] = [];
  let failed = false;
  if (!files.length) files = ['-'];
  for (const f of files) {
    if (f === '-') { data.push(await readAll(ctx.stdin, ctx.signal)); continue; }
    const b = ctx.fs.read(p(ctx, f));
    if (b) { data.push(b); continue; }
    failed = true;
    const dir = ctx.fs.list(p(ctx, f)) !== undefined;
    if (ul === 'busybox') ctx.stderr.write(dir ? `${tool}: read error: Is a directory\n` : `${tool}: can't open '${f}': No such file or directory\n`);
    else ctx.stderr.write(`${tool}: ${f}: ${dir ? 'Is a directory' : 'No such file or directory'}\n`);
  }
  return { data, failed };
}

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

const lines = (b: Buffer): string[] => { const s = b.toString(); const l = s.split('\n'); if (l[l.length - 1] === '') l.pop(); return l; };

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
      const { rest, n } = splitFlags(ctx.argv);
      const r = await inputs(ctx, rest, 'head', ul);
      for (const d of r.data) for (const l of lines(d).slice(0, n ?? 10)) ctx.stdout.write(l + '\n');
      return r.failed ? 1 : 0;
    },
    tail: async (ctx) => {
      const { rest, n } = splitFlags(ctx.argv);
      const r = await inputs(ctx, rest, 'tail', ul);
      for (const d of r.data) for (const l of lines(d).slice(-(n ?? 10))) ctx.stdout.write(l + '\n');
      return r.failed ? 1 : 0;
    },
    grep: async (ctx) => {
      const { flags, rest } = splitFlags(ctx.argv);
      const pat = rest.shift();
      if (pat === undefined) { ctx.stderr.write(bb ? 'BusyBox v1.37.0 (2024-09-26 21:31:42 UTC) multi-call binary.\n\nUsage: grep [-HhnlLoqvsrRiwFE] [-m N] [-A|B|C N] { PATTERN | -e PATTERN... | -f FILE... } [FILE]...\n' : "Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n"); return 2; }
      let src = flags.has('F') ? pat.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') : flags.has('E') ? pat : pat.replace(/\\([|(){}+?])/g, '\u0000$1').replace(/([|(){}+?])/g, '\\$1').replace(/\u0000/g, '');
      if (flags.has('w')) src = `\\b(?:${src})\\b`;
      const re = new RegExp(src, flags.has('i') ? 'i' : '');
      const r = await inputs(ctx, rest, 'grep', ul);
      let count = 0;
      for (const [fi, d] of r.data.entries()) {
        const prefix = rest.length > 1 ? `${rest[fi]}:` : '';
        for (const [li, l] of lines(d).entries()) {
          if (re.test(l) === flags.has('v')) continue;
          count++;
          if (flags.has('q') || flags.has('c')) continue;
          const line = flags.has('o') ? (re.exec(l)?.[0] ?? '') : l;
          ctx.stdout.write(`${prefix}${flags.has('n') ? `${li + 1}:` : ''}${line}\n`);
        }
      }
      if (flags.has('c')) ctx.stdout.write(`${count}\n`);
      return r.failed ? 2 : count ? 0 : 1;
    },
    wc: async (ctx) => {
      const { flags, rest } = splitFlags(ctx.argv);
      const r = await inputs(ctx, rest, 'wc', ul);
      const d = Buffer.concat(r.data);
      const s = d.toString();
      const counts: [string, number][] = [['l', (s.match(/\n/g) ?? []).length], ['w', s.split(/\s+/).filter(Boolean).length], ['c', d.length]];
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
      const n = ctx.argv.slice(1).map(Number);
      const [a, b] = n.length >= 2 ? [n[0]!, n[n.length - 1]!] : [1, n[0] ?? 1];
      const step = n.length === 3 ? n[1]! : 1;
      for (let i = a; step > 0 ? i <= b : i >= b; i += step) ctx.stdout.write(`${i}\n`);
      return 0;
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
      let l = r.data.flatMap(lines).sort();
      if (flags.has('n')) l = l.sort((x, y) => Number.parseFloat(x) - Number.parseFloat(y));
      if (flags.has('r')) l.reverse();
      if (flags.has('u')) l = l.filter((x, i) => l.indexOf(x) === i);
      for (const x of l) ctx.stdout.write(x + '\n');
      return 0;
    },
  };
}
