/**
 * grep as GNU grep and BusyBox print it: basic (default), extended (-E), fixed (-F) or Perl-like (-P,
 * GNU only) patterns, all matched by re2js in linear time with POSIX leftmost-longest semantics;
 * -i -v -w -x -c -l -L -q -s -n -o -h -H -m N -A/-B/-C N -e PAT -f FILE. Long inputs are scanned in
 * time slices so the event loop keeps serving the cluster.
 */
import { RE2JS } from 're2js';
import type { ProcessContext, Program } from '../types.js';
import { posixToRe2, RegexError } from './posix-regex.js';
import { Slicer, writeOut } from './pacing.js';
import { inputs, lines, resolvePath, splitLines, type Userland } from './tool-input.js';

/** Parsed command line. */
interface GrepArgs {
  patterns: string[];
  files: string[];
  syntax: 'G' | 'E' | 'F' | 'P';
  flags: Set<string>;
  max?: number;
  after: number;
  before: number;
}

const BB_USAGE = 'BusyBox v1.37.0 (2024-09-26 21:31:42 UTC) multi-call binary.\n\nUsage: grep [-HhnlLoqvsrRiwFE] [-m N] [-A|B|C N] { PATTERN | -e PATTERN... | -f FILE... } [FILE]...\n';
const GNU_USAGE = "Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n";
const BOOL_FLAGS = 'ivwxclLqsnohHrRaI';
const LONG: Record<string, string> = {
  '--ignore-case': 'i', '--invert-match': 'v', '--word-regexp': 'w', '--line-regexp': 'x', '--count': 'c',
  '--files-with-matches': 'l', '--files-without-match': 'L', '--quiet': 'q', '--silent': 'q', '--no-messages': 's',
  '--line-number': 'n', '--only-matching': 'o', '--no-filename': 'h', '--with-filename': 'H',
  '--extended-regexp': 'E', '--fixed-strings': 'F', '--basic-regexp': 'G', '--perl-regexp': 'P',
};

class UsageError extends Error {}

function parseArgs(ctx: ProcessContext, argv: string[], bb: boolean): GrepArgs {
  const a: GrepArgs = { patterns: [], files: [], syntax: 'G', flags: new Set(), after: 0, before: 0 };
  let fromOptions = false;
  const num = (v: string | undefined, what: string): number => {
    if (v === undefined || !/^\d+$/.test(v)) throw new UsageError(bb ? `grep: invalid number '${v ?? ''}'` : `grep: ${v ?? ''}: invalid ${what} argument`);
    return Number(v);
  };
  const withArg = (c: string, v: string | undefined): void => {
    if (v === undefined) throw new UsageError(bb ? `grep: option requires an argument -- '${c}'` : `grep: option requires an argument -- '${c}'`);
    if (c === 'e') { a.patterns.push(v); fromOptions = true; } else if (c === 'f') {
      const text = ctx.fs.read(resolvePath(ctx, v));
      if (!text) throw new UsageError(`grep: ${v}: No such file or directory`);
      a.patterns.push(...lines(text)); fromOptions = true;
    } else if (c === 'm') a.max = num(v, 'max count');
    else if (c === 'A') a.after = num(v, 'context length');
    else if (c === 'B') a.before = num(v, 'context length');
    else { a.after = num(v, 'context length'); a.before = a.after; }
  };
  const rest: string[] = [];
  for (let i = 1; i < argv.length; i++) {
    const s = argv[i]!;
    if (s === '--') { rest.push(...argv.slice(i + 1)); break; }
    if (s.startsWith('--')) {
      const [name, value] = s.split(/=(.*)/s) as [string, string | undefined];
      if (name.startsWith('--colo')) continue;
      if (name === '--regexp') { withArg('e', value ?? argv[++i]); continue; }
      const f = LONG[name];
      if (!f || (bb && f === 'P')) throw new UsageError(`grep: unrecognized option '${s}'`);
      if ('EFGP'.includes(f)) a.syntax = f as GrepArgs['syntax']; else a.flags.add(f);
      continue;
    }
    if (!s.startsWith('-') || s === '-') { rest.push(s); continue; }
    for (let k = 1; k < s.length; k++) {
      const c = s[k]!;
      if ('efmABC'.includes(c)) { withArg(c, k + 1 < s.length ? s.slice(k + 1) : argv[++i]); break; }
      if ('EFGP'.includes(c) && !(bb && c === 'P')) { a.syntax = c as GrepArgs['syntax']; continue; }
      if (!BOOL_FLAGS.includes(c)) throw new UsageError(bb ? `grep: unrecognized option: ${c}` : `grep: invalid option -- '${c}'`);
      a.flags.add(c);
    }
  }
  if (!fromOptions) {
    const p = rest.shift();
    if (p === undefined) throw new UsageError('');
    a.patterns.push(...p.split('\n'));
  }
  a.files = rest;
  return a;
}

/** Compiles the patterns (any of them matches) with grep's options; throws RegexError. */
export function compileGrep(patterns: string[], syntax: GrepArgs['syntax'], flags: ReadonlySet<string>): RE2JS {
  const one = (p: string): string => {
    if (syntax === 'F') return RE2JS.quote(p);
    return syntax === 'P' ? p : posixToRe2(p, syntax === 'E');
  };
  // No pattern at all (`-f /dev/null`) matches nothing.
  let src = patterns.length ? patterns.map((p) => `(?:${one(p)})`).join('|') : '[^\\x{0}-\\x{10FFFF}]';
  if (flags.has('x')) src = `^(?:${src})$`;
  else if (flags.has('w')) src = `\\b(?:${src})\\b`;
  try {
    return RE2JS.compile(src, (flags.has('i') ? RE2JS.CASE_INSENSITIVE : 0) | (syntax === 'P' ? 0 : RE2JS.LONGEST_MATCH));
  } catch (e) {
    throw new RegexError(e instanceof Error ? e.message : String(e));
  }
}

/** The grep program of a userland. */
export function grepProgram(ul: Userland): Program {
  const bb = ul === 'busybox';
  return async (ctx) => {
    let a: GrepArgs;
    let re: RE2JS;
    try { a = parseArgs(ctx, ctx.argv, bb); } catch (e) {
      if (!(e instanceof UsageError)) throw e;
      ctx.stderr.write((e.message ? e.message + '\n' : '') + (bb ? BB_USAGE : GNU_USAGE));
      return 2;
    }
    try { re = compileGrep(a.patterns, a.syntax, a.flags); } catch (e) {
      if (!(e instanceof RegexError)) throw e;
      ctx.stderr.write(bb ? `grep: bad regex '${a.patterns.join('\n')}': ${e.message}\n` : `grep: ${e.message}\n`);
      return 2;
    }
    const f = a.flags;
    const quiet = f.has('q');
    const r = await inputs(ctx, a.files, 'grep', ul);
    const names = a.files.length ? a.files : ['(standard input)'];
    const prefixName = f.has('H') || (names.length > 1 && !f.has('h'));
    const slicer = new Slicer();
    let any = false;
    for (const [fi, data] of r.data.entries()) {
      const name = names[fi] ?? '';
      const ls = await splitLines(data, slicer);
      let count = 0;
      let lastShown = -1;
      let afterLeft = 0;
      const show = async (li: number, sep: string, text: string): Promise<boolean> => {
        if (lastShown >= 0 && li > lastShown + 1 && (a.after || a.before)) await writeOut(ctx.stdout, '--\n', ctx.signal);
        lastShown = li;
        return writeOut(ctx.stdout, `${prefixName ? name + sep : ''}${f.has('n') ? `${li + 1}${sep}` : ''}${text}\n`, ctx.signal);
      };
      for (let li = 0; li < ls.length && a.max !== 0; li++) {
        if (slicer.due()) { await slicer.pause(); if (ctx.signal.aborted) return 130; }
        const line = ls[li]!;
        if (re.test(line) === f.has('v')) {
          if (afterLeft > 0 && !quiet && !f.has('c') && !f.has('l') && !f.has('L')) { afterLeft--; await show(li, '-', line); }
          continue;
        }
        count++;
        any = true;
        if (quiet || f.has('l') || f.has('L')) break;
        if (!f.has('c')) {
          for (let b = Math.max(lastShown + 1, li - a.before); b < li; b++) await show(b, '-', ls[b]!);
          if (f.has('o')) {
            if (!f.has('v')) for (const m = re.matcher(line); m.find();) if (m.group()) await show(li, ':', m.group() ?? '');
          } else if (!await show(li, ':', line)) return 141;
          afterLeft = a.after;
        }
        if (a.max !== undefined && count >= a.max) break;
      }
      if (quiet && any) return 0;
      if (f.has('c')) await writeOut(ctx.stdout, `${prefixName ? name + ':' : ''}${count}\n`, ctx.signal);
      if (f.has('l') && count) await writeOut(ctx.stdout, `${name}\n`, ctx.signal);
      if (f.has('L') && !count) await writeOut(ctx.stdout, `${name}\n`, ctx.signal);
    }
    if (r.failed && !(quiet && any)) return 2;
    return any ? 0 : 1;
  };
}
