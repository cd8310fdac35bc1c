/**
 * The Corefile lexer (Caddy syntax as CoreDNS reads it): whitespace-separated tokens with their line
 * numbers, `"quoted strings"` with `\"` escapes, `#` comments to the end of the line, and
 * `{$VAR}` / `{$VAR:default}` (and `{%VAR%}`) environment substitution inside tokens.
 */

/** One token of a Corefile. */
export interface Token {
  text: string;
  line: number;
  file: string;
  /** Whether the token was quoted (a quoted `{` is not a brace). */
  quoted?: boolean;
}

/** A Corefile error, worded as CoreDNS (Caddy's dispenser) words it: `FILE:LINE - Error during parsing: MSG`. */
export class CorefileError extends Error {}

/** Builds CoreDNS's parse-error text for a token position. */
export function parseError(file: string, line: number, msg: string): CorefileError {
  return new CorefileError(`${file}:${line} - Error during parsing: ${msg}`);
}

const ENV = /\{\$([^}:]+)(?::([^}]*))?\}|\{%([^%}]+)%\}/g;

/** Replaces `{$VAR}`, `{$VAR:default}` and `{%VAR%}` from env (unset: the default or empty). */
export function substituteEnv(text: string, env: Readonly<Record<string, string | undefined>>): string {
  return text.replace(ENV, (_m, a: string | undefined, def: string | undefined, b: string | undefined) => env[(a ?? b ?? '').trim()] ?? def ?? '');
}

/** Splits Corefile text into tokens. */
export function lex(text: string, file: string, env: Readonly<Record<string, string | undefined>> = {}): Token[] {
  const out: Token[] = [];
  let line = 1;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    if (c === '\n') { line++; i++; continue; }
    if (c === ' ' || c === '\t' || c === '\r') { i++; continue; }
    if (c === '#') { while (i < n && text[i] !== '\n') i++; continue; }
    const start = line;
    if (c === '"') {
      let s = '';
      i++;
      while (i < n && text[i] !== '"') {
        if (text[i] === '\\' && text[i + 1] === '"') { s += '"'; i += 2; continue; }
        if (text[i] === '\n') line++;
        s += text[i];
        i++;
      }
      if (i >= n) throw parseError(file, start, 'Unexpected EOF');
      i++;
      out.push({ text: substituteEnv(s, env), line: start, file, quoted: true });
      continue;
    }
    let s = '';
    while (i < n && !/\s/.test(text[i]!)) { s += text[i]; i++; }
    out.push({ text: substituteEnv(s, env), line: start, file });
  }
  return out;
}
