/**
 * The Corefile parser: server blocks (`keys… {` … `}`, or one key line and the rest of the file),
 * directives with their arguments and nested `{}` option blocks, snippets `(name) { … }` with
 * `import name`, and `import FILE` through a file reader. Errors are worded as CoreDNS words them.
 */
import { lex, parseError, type Token } from './lexer.js';

/** One directive (or an option line inside a directive's block). */
export interface Directive {
  name: string;
  args: string[];
  line: number;
  file: string;
  /** The lines of its `{ … }` block (empty when it has none). */
  block: Directive[];
}

/** One server block: its keys (`zone[:port]`, several allowed) and its directives, in file order. */
export interface ServerBlock {
  keys: string[];
  line: number;
  directives: Directive[];
}

/** What parsing may read. */
export interface ParseOptions {
  /** The file name in error messages (CoreDNS uses the -conf path); default `Corefile`. */
  file?: string;
  env?: Readonly<Record<string, string | undefined>>;
  /** Reads a file for `import FILE` (absent: only snippets can be imported). */
  readFile?: (path: string) => string | undefined;
}

interface Tok extends Token { nl: boolean }

const MAX_IMPORT_DEPTH = 10;
/** The most tokens a Corefile may expand to: snippets importing snippets fan out exponentially. */
const MAX_EXPANDED_TOKENS = 100_000;

function withLines(tokens: Token[]): Tok[] {
  let prev = -1;
  return tokens.map((t) => { const nl = t.line !== prev; prev = t.line; return { ...t, nl }; });
}

const isOpen = (t: Tok | undefined): boolean => t?.text === '{' && !t.quoted;
const isClose = (t: Tok | undefined): boolean => t?.text === '}' && !t.quoted;

/** Expands snippet definitions and imports into one token stream. */
function expand(tokens: Tok[], o: ParseOptions, snippets: Map<string, Tok[]>, depth: number, budget = { left: MAX_EXPANDED_TOKENS }): Tok[] {
  const out: Tok[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const snip = /^\((.+)\)$/.exec(t.text);
    if (t.nl && snip && !t.quoted && isOpen(tokens[i + 1]) && depth === 0) {
      let level = 1, j = i + 2;
      for (; j < tokens.length && level > 0; j++) { if (isOpen(tokens[j])) level++; else if (isClose(tokens[j])) level--; }
      if (level > 0) throw parseError(t.file, t.line, 'Unexpected EOF');
      snippets.set(snip[1]!, tokens.slice(i + 2, j - 1));
      i = j - 1;
      continue;
    }
    if (t.nl && t.text === 'import' && !t.quoted) {
      const arg = tokens[i + 1];
      if (!arg || arg.nl) throw parseError(t.file, t.line, "Wrong argument count or unexpected line ending after 'import'");
      if (depth >= MAX_IMPORT_DEPTH) throw parseError(t.file, t.line, `Import cycle or too deep nesting of import '${arg.text}'`);
      let body = snippets.get(arg.text);
      if (!body) {
        const text = o.readFile?.(arg.text);
        if (text === undefined) throw parseError(t.file, t.line, `File to import not found: ${arg.text}`);
        body = withLines(lex(text, arg.text, o.env));
      }
      const inner = expand(body, o, snippets, depth + 1, budget);
      if (inner[0]) inner[0] = { ...inner[0], nl: true };
      out.push(...inner);
      i++;
      if (tokens[i + 1] && !tokens[i + 1]!.nl) tokens[i + 1] = { ...tokens[i + 1]!, nl: true };
      continue;
    }
    if (--budget.left < 0) throw parseError(t.file, t.line, `Too many tokens after expanding imports (more than ${MAX_EXPANDED_TOKENS}): import fans out too much`);
    out.push(t);
  }
  return out;
}

class Reader {
  i = 0;
  constructor(readonly toks: Tok[], readonly file: string) {}
  peek(): Tok | undefined { return this.toks[this.i]; }
  next(): Tok | undefined { return this.toks[this.i++]; }
  lastLine(): number { return this.toks[this.toks.length - 1]?.line ?? 1; }
}

/** Reads directive lines until a closing brace (inBlock) or the end. */
function lines(r: Reader, inBlock: boolean): Directive[] {
  const out: Directive[] = [];
  for (;;) {
    const t = r.next();
    if (!t) {
      if (inBlock) throw parseError(r.file, r.lastLine(), 'Unexpected EOF');
      return out;
    }
    if (isClose(t)) {
      if (inBlock) return out;
      throw parseError(t.file, t.line, "Unexpected '}' because no matching opening brace");
    }
    if (isOpen(t)) throw parseError(t.file, t.line, "Unexpected '{' on a new line; it must end the line of its directive");
    const d: Directive = { name: t.text, args: [], line: t.line, file: t.file, block: [] };
    while (r.peek() && !r.peek()!.nl) {
      const a = r.next()!;
      if (isClose(a)) { r.i--; break; }
      if (isOpen(a)) {
        if (r.peek() && !r.peek()!.nl && !isClose(r.peek())) throw parseError(a.file, a.line, `Unexpected next token after '{' on same line`);
        d.block = lines(r, true);
        break;
      }
      d.args.push(a.text);
    }
    out.push(d);
  }
}

/** Parses Corefile text into server blocks; throws CorefileError with CoreDNS's wording. */
export function parseCorefile(text: string, o: ParseOptions = {}): ServerBlock[] {
  const file = o.file ?? 'Corefile';
  const r = new Reader(expand(withLines(lex(text, file, o.env)), o, new Map(), 0), file);
  const blocks: ServerBlock[] = [];
  while (r.peek()) {
    const first = r.next()!;
    if (isClose(first) || isOpen(first)) throw parseError(first.file, first.line, `Unexpected '${first.text}' because no matching opening brace`);
    const keys = [first.text];
    let more = first.text.endsWith(',');
    while (r.peek() && (!r.peek()!.nl || more) && !isOpen(r.peek())) {
      const k = r.next()!;
      keys.push(k.text);
      more = k.text.endsWith(',');
    }
    const split = keys.flatMap((k) => k.split(',')).map((k) => k.trim()).filter((k) => k !== '');
    if (isOpen(r.peek())) {
      r.next();
      blocks.push({ keys: split, line: first.line, directives: lines(r, true) });
      continue;
    }
    if (blocks.length > 0) throw parseError(first.file, first.line, `Expected '{' after server block keys, got '${r.peek()?.text ?? 'EOF'}'`);
    blocks.push({ keys: split, line: first.line, directives: lines(r, false) });
  }
  return blocks;
}
