/**
 * Users' regular expressions and shell patterns for the built-in programs, run by a linear-time
 * engine (re2js): grep's POSIX basic (BRE, with GNU's `\+ \? \|` extensions) and extended (ERE)
 * syntax, and the shell's glob patterns (`case`, `${v#pat}`), are translated to RE2 syntax. A
 * pattern like `(a+)+$` then costs time proportional to the input instead of doubling per
 * character (a backtracking engine on the event loop froze the whole cluster). What RE2 cannot
 * run in linear time, back-references, is refused with a clear error instead of being tried.
 */
import { RE2JS } from 're2js';

/** A pattern the tools refuse, with a message in GNU grep's words where GNU has one. */
export class RegexError extends Error {}

/** Characters RE2 treats as operators outside a bracket expression. */
const RE2_SPECIAL = new Set([...'\\.+*?()|[]{}^$']);
const CLASSES = new Set(['alnum', 'alpha', 'blank', 'cntrl', 'digit', 'graph', 'lower', 'print', 'punct', 'space', 'upper', 'xdigit']);
const UNMATCHED_BRACKET = 'Unmatched [, [^, [:, [., or [=';

const literal = (c: string): string => (RE2_SPECIAL.has(c) ? '\\' + c : c);
const classChar = (c: string): string => ('\\[]^-'.includes(c) ? '\\' + c : c);

/**
 * Translates the bracket expression starting at `p[i]` (`[`); returns it in RE2 syntax and the index
 * after its `]`. In POSIX a backslash inside brackets is an ordinary character; in a shell pattern it
 * quotes the next one, and `!` negates as `^` does.
 */
export function bracket(p: string, i: number, glob = false): [string, number] {
  let j = i + 1;
  let negate = false;
  if (p[j] === '^' || (glob && p[j] === '!')) { negate = true; j++; }
  let body = '';
  if (p[j] === ']') { body += '\\]'; j++; }
  while (j < p.length && p[j] !== ']') {
    const c = p[j]!;
    const kind = p[j + 1];
    if (c === '[' && (kind === ':' || kind === '=' || kind === '.')) {
      const end = p.indexOf(kind + ']', j + 2);
      if (end < 0) throw new RegexError(UNMATCHED_BRACKET);
      const name = p.slice(j + 2, end);
      if (kind === ':' && !CLASSES.has(name)) throw new RegexError('Invalid character class name');
      if (kind !== ':' && [...name].length !== 1) throw new RegexError('Invalid collation character');
      body += kind === ':' ? `[:${name}:]` : classChar(name);
      j = end + 2;
      continue;
    }
    if (glob && c === '\\' && j + 1 < p.length) { body += classChar(p[j + 1]!); j += 2; continue; }
    body += c === '\\' || c === '[' ? '\\' + c : c;
    j++;
  }
  if (j >= p.length) throw new RegexError(UNMATCHED_BRACKET);
  return [`[${negate ? '^' : ''}${body}]`, j + 1];
}

/** An interval `{n}`, `{n,}`, `{n,m}` or `{,m}` whose body starts at `p[i]`; undefined when there is none. */
function interval(p: string, i: number, close: string): { q: string; end: number } | undefined {
  const end = p.indexOf(close, i);
  if (end < 0) return undefined;
  const m = /^(\d*)(,?)(\d*)$/.exec(p.slice(i, end));
  if (!m || (!m[1] && !m[2])) return undefined;
  const lo = m[1] || '0';
  if (m[3] && Number(m[3]) < Number(lo)) throw new RegexError('Invalid content of \\{\\}');
  return { q: `{${lo}${m[2]}${m[3]}}`, end: end + close.length };
}

/** Translates a POSIX regular expression (basic unless `extended`) to RE2 syntax; throws RegexError. */
export function posixToRe2(p: string, extended: boolean): string {
  let out = '';
  let atom = -1; // output index where the last repeatable atom starts (-1: none, a repetition sign is literal)
  let repeated = false; // the last atom already carries a repetition (RE2 refuses `a**`: it is wrapped first)
  let exprStart = true; // at the start of the pattern, a group or an alternative (BRE `^` is an anchor there)
  const groups: number[] = [];
  const emit = (s: string): void => { atom = out.length; out += s; repeated = false; exprStart = false; };
  const anchor = (s: string): void => { out += s; atom = -1; };
  const repeat = (q: string): void => {
    if (atom < 0) { emit(literal(q[0]!) + q.slice(1)); return; }
    if (repeated) out = `${out.slice(0, atom)}(?:${out.slice(atom)})`;
    out += q;
    repeated = true;
    exprStart = false;
  };
  const open = (): void => { groups.push(out.length); out += '('; atom = -1; exprStart = true; };
  const close = (): void => {
    const start = groups.pop();
    if (start === undefined) throw new RegexError('Unmatched ) or \\)');
    out += ')';
    atom = start; repeated = false; exprStart = false;
  };
  const alternative = (): void => { out += '|'; atom = -1; exprStart = true; };
  let i = 0;
  while (i < p.length) {
    const c = p[i]!;
    if (c === '[') { const [cls, j] = bracket(p, i); emit(cls); i = j; continue; }
    if (c === '\\') {
      const n = p[i + 1];
      if (n === undefined) throw new RegexError('Trailing backslash');
      i += 2;
      if (n >= '1' && n <= '9') {
        throw new RegexError(`back-references (\\${n}) are not supported: knet runs regular expressions in linear time (RE2), which cannot match them`);
      }
      if (!extended && n === '(') open();
      else if (!extended && n === ')') close();
      else if (!extended && n === '|') alternative();
      else if (!extended && n === '{') {
        const iv = interval(p, i, '\\}');
        if (!iv) throw new RegexError('Invalid content of \\{\\}');
        repeat(iv.q);
        i = iv.end;
      } else if (!extended && (n === '+' || n === '?')) repeat(n);
      else if (n === '<' || n === '>' || n === 'b' || n === 'B') anchor(n === 'B' ? '\\B' : '\\b');
      else if (n === '`' || n === "'") anchor(n === '`' ? '\\A' : '\\z');
      else if ('wWsS'.includes(n)) emit('\\' + n);
      else emit(literal(n));
      continue;
    }
    i++;
    if (c === '.') { emit('.'); continue; }
    if (extended) {
      if (c === '(') open();
      else if (c === ')') { if (groups.length) close(); else emit('\\)'); }
      else if (c === '|') alternative();
      else if (c === '*' || c === '+' || c === '?') repeat(c);
      else if (c === '{') {
        const iv = atom >= 0 ? interval(p, i, '}') : undefined;
        if (iv) { repeat(iv.q); i = iv.end; } else emit('\\{');
      } else if (c === '^') anchor('^');
      else if (c === '$') anchor('$');
      else emit(literal(c));
      continue;
    }
    if (c === '*') repeat('*');
    else if (c === '^' && exprStart) anchor('^');
    else if (c === '$' && (i === p.length || p.startsWith('\\)', i) || p.startsWith('\\|', i))) anchor('$');
    else emit(literal(c));
  }
  if (groups.length) throw new RegexError('Unmatched ( or \\(');
  return out;
}

/** Translates a shell pattern (`*`, `?`, `[...]`, backslash quoting) to RE2 syntax, unanchored. */
export function globToRe2(p: string): string {
  let r = '';
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    if (c === '*') r += '.*';
    else if (c === '?') r += '.';
    else if (c === '[') {
      let cls: [string, number] | undefined;
      try { cls = bracket(p, i, true); } catch { cls = undefined; }
      if (cls) { r += cls[0]; i = cls[1] - 1; } else r += '\\[';
    } else if (c === '\\' && i + 1 < p.length) r += literal(p[++i]!);
    else r += literal(c);
  }
  return r;
}

/** A shell pattern compiled to match whole strings (newlines included), in linear time. */
export function globMatcher(p: string): RE2JS {
  return RE2JS.compile(`^(?:${globToRe2(p)})$`, RE2JS.DOTALL);
}
