/** tar's command line as GNU tar and busybox read it: an old-style first word (`cf`), clusters (`-xmf -`), long options. */
import type { Userland } from './tool-input.js';

/** What a tar invocation asks for. */
export interface TarOptions {
  mode: 'c' | 'x' | 't';
  /** The archive (`-` for stdin/stdout, the default). */
  file: string;
  /** `-C`: the directory members are read from or written to. */
  dir?: string;
  verbose: boolean;
  gzip: boolean;
  /** `-O`: extract to stdout. */
  toStdout: boolean;
  names: string[];
}

/** Options that take an argument. */
const WITH_ARG = new Set(['f', 'C']);
/** Flags accepted without effect here (owners, permissions, times, block size of a memory filesystem). */
const IGNORED = new Set(['m', 'p', 'o', 'h', 'P']);
const LONG: Record<string, string> = {
  '--create': 'c', '--extract': 'x', '--get': 'x', '--list': 't', '--verbose': 'v', '--gzip': 'z', '--gunzip': 'z',
  '--to-stdout': 'O', '--touch': 'm', '--preserve-permissions': 'p', '--same-permissions': 'p', '--dereference': 'h',
  '--absolute-names': 'P', '--no-same-owner': '', '--no-same-permissions': '', '--same-owner': '', '--numeric-owner': '',
};

/** The usage error texts of each userland (GNU: exit 2, busybox: exit 1). */
function usage(ul: Userland, why: string): { error: string; code: number } {
  if (ul === 'busybox') return { error: `${why ? `tar: ${why}\n` : ''}BusyBox v1.37.0 (2024-09-26 21:31:42 UTC) multi-call binary.\n\nUsage: tar c|x|t [-ZzJjahmvokO] [-f TARFILE] [-C DIR] [-T FILE] [-X FILE] [LONGOPT]... [FILE]...\n`, code: 1 };
  return { error: `tar: ${why}\nTry 'tar --help' or 'tar --usage' for more information.\n`, code: 2 };
}

/** Parses argv (without argv[0]); an error carries the userland's message and exit code. */
export function parseTarArgs(args: string[], ul: Userland): TarOptions | { error: string; code: number } {
  let mode: TarOptions['mode'] | undefined;
  const o: Omit<TarOptions, 'mode'> = { file: '-', verbose: false, gzip: false, toStdout: false, names: [] };
  const pending: string[] = [];
  const letter = (c: string): string | undefined => {
    if (c === 'c' || c === 'x' || c === 't') {
      if (mode && mode !== c) return "You may not specify more than one '-Acdtrux', '--delete' or  '--test-label' option";
      mode = c;
    } else if (c === 'v') o.verbose = true;
    else if (c === 'z') o.gzip = true;
    else if (c === 'O') o.toStdout = true;
    else if (WITH_ARG.has(c)) pending.push(c);
    else if (!IGNORED.has(c)) return ul === 'busybox' ? `invalid option -- '${c}'` : `invalid option -- '${c}'`;
    return undefined;
  };
  const take = (opt: string, value: string | undefined): string | undefined => {
    if (value === undefined) return `option requires an argument -- '${opt}'`;
    if (opt === 'f') o.file = value; else o.dir = value;
    return undefined;
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    let err: string | undefined;
    if (i === 0 && !a.startsWith('-')) {
      for (const c of a) err ??= letter(c);
      while (!err && pending.length) err = take(pending.shift()!, args[++i]);
    } else if (a.startsWith('--') && a.length > 2) {
      const [k, v] = a.split(/=(.*)/s, 2) as [string, string | undefined];
      if (k === '--file' || k === '--directory') err = take(k === '--file' ? 'f' : 'C', v ?? args[++i]);
      else if (k in LONG) { const c = LONG[k]!; if (c) err = letter(c); }
      else err = `unrecognized option '${a}'`;
    } else if (a.startsWith('-') && a.length > 1) {
      for (let j = 1; j < a.length && !err; j++) {
        const c = a[j]!;
        if (WITH_ARG.has(c)) { err = take(c, j + 1 < a.length ? a.slice(j + 1) : args[++i]); break; }
        err = letter(c);
      }
    } else o.names.push(a);
    if (err) return usage(ul, err);
  }
  if (!mode) return usage(ul, ul === 'busybox' ? '' : "You must specify one of the '-Acdtrux', '--delete' or '--test-label' options");
  if (mode === 'c' && !o.names.length) return ul === 'busybox' ? { error: 'tar: empty archive\n', code: 1 } : usage(ul, 'Cowardly refusing to create an empty archive');
  return { mode, ...o };
}
