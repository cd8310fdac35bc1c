/** Command-line flag parsing in the styles of Go's `flag` package and spf13/pflag (cobra), plus Go durations. */

/** Flag kinds. */
export type FlagKind = 'bool' | 'int' | 'string' | 'duration';
/** Parsed flag values (durations in milliseconds). */
export type FlagValues = Record<string, string | number | boolean>;
/** The outcome of parsing. */
export type FlagResult = { ok: true; values: FlagValues; args: string[] } | { ok: false; error: string };

const UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, 'μs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Parses a Go duration (`1s`, `1m30s`, `250ms`, `0`) to milliseconds; undefined when invalid. */
export function parseGoDuration(s: string): number | undefined {
  let rest = s;
  let sign = 1;
  if (rest.startsWith('-') || rest.startsWith('+')) { sign = rest.startsWith('-') ? -1 : 1; rest = rest.slice(1); }
  if (rest === '0') return 0;
  if (rest === '') return undefined;
  let total = 0;
  while (rest) {
    const m = /^(\d+\.?\d*|\.\d+)(ns|us|µs|μs|ms|s|m|h)/.exec(rest);
    if (!m || !m[1] || !m[2]) return undefined;
    total += Number(m[1]) * (UNITS[m[2]] ?? 0);
    rest = rest.slice(m[0].length);
  }
  return sign * total;
}

/** Formats milliseconds as Go's time.Duration.String does (`0s`, `1.5s`, `1m30s`, `250ms`). */
export function formatGoDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms < 0) return '-' + formatGoDuration(-ms);
  if (ms < 1) return ms * 1000 >= 1 ? `${trim(ms * 1000)}µs` : `${trim(ms * 1e6)}ns`;
  if (ms < 1000) return `${trim(ms)}ms`;
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = (ms % 60_000) / 1000;
  return (h ? `${h}h` : '') + (h || m ? `${m}m` : '') + `${trim(s)}s`;
}

function trim(n: number): string {
  return String(Number(n.toFixed(9)));
}

function convert(name: string, kind: FlagKind, raw: string, dashes: string): { v: string | number | boolean } | { error: string } {
  if (kind === 'string') return { v: raw };
  if (kind === 'bool') {
    if (/^(1|t|T|TRUE|true|True)$/.test(raw)) return { v: true };
    if (/^(0|f|F|FALSE|false|False)$/.test(raw)) return { v: false };
    return { error: `invalid argument "${raw}" for "${dashes}${name}" flag: strconv.ParseBool: parsing "${raw}": invalid syntax` };
  }
  if (kind === 'int') {
    if (!/^[+-]?\d+$/.test(raw)) return { error: `invalid argument "${raw}" for "${dashes}${name}" flag: strconv.ParseInt: parsing "${raw}": invalid syntax` };
    return { v: Number(raw) };
  }
  const d = parseGoDuration(raw);
  if (d === undefined) return { error: `invalid argument "${raw}" for "${dashes}${name}" flag: time: invalid duration "${raw}"` };
  return { v: d };
}

/** Parses pflag-style flags (`--name=value`, `--name value`, `--bool`), interspersed with arguments. */
export function parsePflags(argv: string[], spec: Record<string, FlagKind>, defaults: FlagValues): FlagResult {
  const values: FlagValues = { ...defaults };
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    if (a === '--') { args.push(...argv.slice(i + 1)); break; }
    if (!a.startsWith('-') || a === '-') { args.push(a); continue; }
    const body = a.replace(/^--?/, '');
    const eq = body.indexOf('=');
    const name = eq >= 0 ? body.slice(0, eq) : body;
    const kind = spec[name];
    if (!kind) return { ok: false, error: a.startsWith('--') ? `unknown flag: --${name}` : `unknown shorthand flag: '${name[0] ?? ''}' in ${a}` };
    let raw: string;
    if (eq >= 0) raw = body.slice(eq + 1);
    else if (kind === 'bool') raw = 'true';
    else if (i + 1 < argv.length) raw = argv[++i] ?? '';
    else return { ok: false, error: `flag needs an argument: --${name}` };
    const r = convert(name, kind, raw, '--');
    if ('error' in r) return { ok: false, error: r.error };
    values[name] = r.v;
  }
  return { ok: true, values, args };
}

/** Parses Go `flag`-package flags (`-name=value`, `-name value`, `--name`); parsing stops at the first argument. */
export function parseGoFlags(argv: string[], spec: Record<string, FlagKind>, defaults: FlagValues): FlagResult {
  const values: FlagValues = { ...defaults };
  let i = 0;
  for (; i < argv.length; i++) {
    const a = argv[i] ?? '';
    if (a === '--') { i++; break; }
    if (!a.startsWith('-') || a === '-') break;
    const body = a.replace(/^--?/, '');
    const eq = body.indexOf('=');
    const name = eq >= 0 ? body.slice(0, eq) : body;
    const kind = spec[name];
    if (!kind) return { ok: false, error: `flag provided but not defined: -${name}` };
    let raw: string;
    if (eq >= 0) raw = body.slice(eq + 1);
    else if (kind === 'bool') raw = 'true';
    else if (i + 1 < argv.length) raw = argv[++i] ?? '';
    else return { ok: false, error: `flag needs an argument: -${name}` };
    const r = convert(name, kind, raw, '-');
    if ('error' in r) return { ok: false, error: `invalid value "${raw}" for flag -${name}: parse error` };
    values[name] = r.v;
  }
  return { ok: true, values, args: argv.slice(i) };
}
