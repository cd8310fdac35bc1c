/** Word expansion: quotes, parameters, command substitution, arithmetic, field splitting. */
import { skipUnit } from './lex.js';
import { arith } from './arith.js';
import { globMatcher } from './posix-regex.js';
import { Slicer } from './pacing.js';

/** What expansion needs from the shell. */
export interface ExpandEnv {
  get(name: string): string | undefined;
  set(name: string, value: string): void;
  params(): string[];
  /** Runs a command substitution and returns its output. */
  subst(src: string): Promise<string>;
}

interface Piece { text: string; quoted: boolean; split?: string[] }

/** Expands a word into fields (field splitting applies to unquoted expansions). */
export async function expandFields(raw: string, env: ExpandEnv): Promise<string[]> {
  const pieces = await pieceList(raw, env, false);
  const fields: string[] = [];
  let cur = '';
  let have = false;
  for (const p of pieces) {
    if (p.split) {
      p.split.forEach((f, i) => { if (i > 0) { fields.push(cur); cur = ''; } cur += f; have = true; });
      continue;
    }
    if (p.quoted) { cur += p.text; have = true; continue; }
    const parts = p.text.split(/[ \t\n]+/);
    parts.forEach((part, i) => {
      if (i > 0 && have) { fields.push(cur); cur = ''; have = false; }
      if (part) { cur += part; have = true; }
    });
  }
  if (have) fields.push(cur);
  return fields;
}

/** Expands a word into one string (assignments, redirection targets, case words). */
export async function expandString(raw: string, env: ExpandEnv): Promise<string> {
  const pieces = await pieceList(raw, env, false);
  return pieces.map((p) => (p.split ? p.split.join(' ') : p.text)).join('');
}

/** Expands here-document text (parameters and substitutions, no quote removal). */
export async function expandHeredoc(raw: string, env: ExpandEnv): Promise<string> {
  const pieces = await pieceList(raw, env, true);
  return pieces.map((p) => p.text).join('');
}

async function pieceList(s: string, env: ExpandEnv, heredoc: boolean): Promise<Piece[]> {
  const out: Piece[] = [];
  let i = 0;
  if (!heredoc && s[0] === '~' && (s.length === 1 || s[1] === '/')) { out.push({ text: env.get('HOME') ?? '/', quoted: true }); i = 1; }
  while (i < s.length) {
    const c = s[i]!;
    if (!heredoc && c === "'") {
      const j = s.indexOf("'", i + 1);
      out.push({ text: s.slice(i + 1, j), quoted: true });
      i = j + 1;
    } else if (!heredoc && c === '"') {
      const j = skipUnit(s, i) - 1;
      const inner = await pieceList2(s.slice(i + 1, j), env);
      for (const p of inner) out.push(p);
      if (!inner.length) out.push({ text: '', quoted: true });
      i = j + 1;
    } else if (c === '\\') {
      if (heredoc && !'$`\\\n'.includes(s[i + 1] ?? '')) { out.push({ text: '\\', quoted: true }); i++; continue; }
      if (s[i + 1] !== '\n') out.push({ text: s[i + 1] ?? '', quoted: true });
      i += 2;
    } else if (c === '$' || c === '`') {
      const [piece, j] = await dollar(s, i, env, heredoc);
      out.push(piece);
      i = j;
    } else {
      let j = i + 1;
      while (j < s.length && !"'\"\\$`".includes(s[j]!)) j++;
      out.push({ text: s.slice(i, j), quoted: heredoc });
      i = j;
    }
  }
  return out;
}

/** The inside of double quotes: only `$`, backquote and some backslashes are special. */
async function pieceList2(s: string, env: ExpandEnv): Promise<Piece[]> {
  const out: Piece[] = [];
  let i = 0;
  let lit = '';
  const flush = (): void => { if (lit) out.push({ text: lit, quoted: true }); lit = ''; };
  while (i < s.length) {
    const c = s[i]!;
    if (c === '\\' && '$`"\\\n'.includes(s[i + 1] ?? 'x')) { if (s[i + 1] !== '\n') lit += s[i + 1]; i += 2; continue; }
    if (c === '$' || c === '`') {
      flush();
      const [p, j] = await dollar(s, i, env, true);
      out.push(p);
      i = j;
      continue;
    }
    lit += c;
    i++;
  }
  flush();
  return out;
}

async function dollar(s: string, i: number, env: ExpandEnv, quoted: boolean): Promise<[Piece, number]> {
  if (s[i] === '`') {
    const j = skipUnit(s, i);
    const out = await env.subst(s.slice(i + 1, j - 1).replace(/\\([`\\$])/g, '$1'));
    return [{ text: out.replace(/\n+$/, ''), quoted }, j];
  }
  const n = s[i + 1];
  if (n === '(' && s[i + 2] === '(') {
    const j = skipUnit(s, i);
    const expr = await expandString(s.slice(i + 3, j - 2).replace(/"/g, ''), env);
    return [{ text: String(arith(expr, env)), quoted }, j];
  }
  if (n === '(') {
    const j = skipUnit(s, i);
    const out = await env.subst(s.slice(i + 2, j - 1));
    return [{ text: out.replace(/\n+$/, ''), quoted }, j];
  }
  if (n === '{') {
    const j = skipUnit(s, i);
    return [await braced(s.slice(i + 2, j - 1), env, quoted), j];
  }
  if (n === '@' || n === '*') {
    const ps = env.params();
    if (quoted && n === '@') return [{ text: '', quoted, split: ps.length ? ps : undefined }, i + 2];
    return [{ text: ps.join(' '), quoted }, i + 2];
  }
  if (n !== undefined && /[?$#!0-9-]/.test(n)) return [{ text: env.get(n) ?? '', quoted }, i + 2];
  const m = /^[A-Za-z_]\w*/.exec(s.slice(i + 1));
  if (!m) return [{ text: '$', quoted: true }, i + 1];
  return [{ text: env.get(m[0]) ?? '', quoted }, i + 1 + m[0].length];
}

async function braced(body: string, env: ExpandEnv, quoted: boolean): Promise<Piece> {
  if (body.startsWith('#') && body.length > 1) return { text: String((env.get(body.slice(1)) ?? '').length), quoted };
  const m = /^([A-Za-z_]\w*|[0-9]+|[?$#!@*])(:?[-=+?]|%%|%|##|#)?([\s\S]*)$/.exec(body);
  if (!m) return { text: '', quoted };
  const [, name, op, rest] = m as unknown as [string, string, string | undefined, string];
  const val = name === '@' || name === '*' ? env.params().join(' ') : env.get(name);
  const word = async (): Promise<string> => expandString(rest, env);
  const empty = val === undefined || (op?.startsWith(':') && val === '');
  switch (op) {
    case undefined: return { text: val ?? '', quoted };
    case '-': case ':-': return { text: empty ? await word() : val!, quoted };
    case '=': case ':=': { if (empty) env.set(name, await word()); return { text: env.get(name) ?? '', quoted }; }
    case '+': case ':+': return { text: empty ? '' : await word(), quoted };
    case '?': case ':?': return { text: val ?? '', quoted };
    default: {
      const v = val ?? '';
      const re = globMatcher(await word());
      // Prefix (#, ##) or suffix (%, %%) lengths in the order the operator prefers; each test is linear (re2js).
      const prefix = op === '#' || op === '##';
      const shortest = op === '#' || op === '%';
      const slicer = new Slicer();
      for (let i = 0; i <= v.length; i++) {
        const len = shortest ? i : v.length - i;
        if (re.test(prefix ? v.slice(0, len) : v.slice(v.length - len))) return { text: prefix ? v.slice(len) : v.slice(0, v.length - len), quoted };
        await slicer.tick();
      }
      return { text: v, quoted };
    }
  }
}
