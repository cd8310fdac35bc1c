/** The shell's tokenizer: words (kept raw for later expansion), operators, newlines and here-documents. */

/** A token: a raw word, an operator, an IO number or a newline. */
export type Token =
  | { t: 'word'; raw: string }
  | { t: 'op'; op: string }
  | { t: 'io'; fd: number }
  | { t: 'nl' }
  | { t: 'heredoc'; body: string; quoted: boolean };

/** Input ended in the middle of a construct (an interactive shell then asks for more, PS2). */
export class Incomplete extends Error {
  constructor(readonly expecting: string) { super(`unexpected end of file (expecting "${expecting}")`); }
}

/** A syntax error with the offending token. */
export class SyntaxError extends Error {}

const OPS = ['&&', '||', ';;', '>>', '<<-', '<<', '>&', '<&', '>|', '|', '&', ';', '<', '>', '(', ')'];
const META = new Set([' ', '\t', '\n', ';', '&', '|', '<', '>', '(', ')']);

/** Splits shell source into tokens. */
export function tokenize(s: string): Token[] {
  const out: Token[] = [];
  const pending: { tok: Token & { t: 'heredoc' }; delim: string; strip: boolean }[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (c === ' ' || c === '\t') { i++; continue; }
    if (c === '\\' && s[i + 1] === '\n') { i += 2; continue; }
    if (c === '#') { while (i < s.length && s[i] !== '\n') i++; continue; }
    if (c === '\n') {
      out.push({ t: 'nl' });
      i++;
      for (const h of pending.splice(0)) i = readHeredoc(s, i, h);
      continue;
    }
    if (/[0-9]/.test(c)) {
      let j = i;
      while (j < s.length && /[0-9]/.test(s[j]!)) j++;
      if (s[j] === '<' || s[j] === '>') { out.push({ t: 'io', fd: Number(s.slice(i, j)) }); i = j; continue; }
    }
    const op = OPS.find((o) => s.startsWith(o, i));
    if (op) {
      out.push({ t: 'op', op });
      i += op.length;
      if (op === '<<' || op === '<<-') {
        while (s[i] === ' ' || s[i] === '\t') i++;
        const end = scanWord(s, i);
        const rawDelim = s.slice(i, end);
        i = end;
        const quoted = /['"\\]/.test(rawDelim);
        const tok = { t: 'heredoc' as const, body: '', quoted };
        out.push(tok);
        pending.push({ tok, delim: rawDelim.replace(/['"\\]/g, ''), strip: op === '<<-' });
      }
      continue;
    }
    const end = scanWord(s, i);
    out.push({ t: 'word', raw: s.slice(i, end) });
    i = end;
  }
  if (pending.length) throw new Incomplete(pending[0]!.delim);
  return out;
}

function readHeredoc(s: string, i: number, h: { tok: { body: string }; delim: string; strip: boolean }): number {
  let body = '';
  for (;;) {
    if (i >= s.length) throw new Incomplete(h.delim);
    let nl = s.indexOf('\n', i);
    if (nl < 0) nl = s.length;
    let line = s.slice(i, nl);
    i = nl + 1;
    if (h.strip) line = line.replace(/^\t+/, '');
    if (line === h.delim) break;
    body += line + '\n';
  }
  h.tok.body = body;
  return Math.min(i, s.length);
}

/** The end of the word starting at i (quotes, escapes and substitutions included). */
export function scanWord(s: string, i: number): number {
  while (i < s.length && !META.has(s[i]!)) i = skipUnit(s, i);
  return i;
}

/** Skips one character or one quoted/substituted unit starting at i. */
export function skipUnit(s: string, i: number): number {
  const c = s[i]!;
  if (c === '\\') return Math.min(i + 2, s.length);
  if (c === "'") {
    const j = s.indexOf("'", i + 1);
    if (j < 0) throw new Incomplete("'");
    return j + 1;
  }
  if (c === '"') {
    let j = i + 1;
    while (j < s.length && s[j] !== '"') j = s[j] === '\\' ? j + 2 : s[j] === '$' || s[j] === '`' ? skipUnit(s, j) : j + 1;
    if (j >= s.length) throw new Incomplete('"');
    return j + 1;
  }
  if (c === '`') {
    let j = i + 1;
    while (j < s.length && s[j] !== '`') j += s[j] === '\\' ? 2 : 1;
    if (j >= s.length) throw new Incomplete('`');
    return j + 1;
  }
  if (c === '$' && s[i + 1] === '(') return skipParens(s, i + 1);
  if (c === '$' && s[i + 1] === '{') {
    let j = i + 2;
    while (j < s.length && s[j] !== '}') j = skipUnit(s, j);
    if (j >= s.length) throw new Incomplete('}');
    return j + 1;
  }
  return i + 1;
}

/** Skips a balanced `( … )` starting at the opening parenthesis. */
function skipParens(s: string, i: number): number {
  let depth = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (c === '(') { depth++; i++; continue; }
    if (c === ')') { depth--; i++; if (depth === 0) return i; continue; }
    i = skipUnit(s, i);
  }
  throw new Incomplete(')');
}
