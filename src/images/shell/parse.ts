/** The shell's parser: tokens to an AST of lists, and-or chains, pipelines and commands. */
import { Incomplete, SyntaxError, tokenize, type Token } from './lex.js';

/** A redirection: `>`, `>>`, `<`, `>&`, `<&`, here-document. */
export interface Redir { fd: number; op: string; target: string; heredoc?: { body: string; quoted: boolean } }

/** A command node. */
export type Cmd =
  | { k: 'simple'; assigns: [string, string][]; words: string[]; redirs: Redir[] }
  | { k: 'if'; branches: { cond: List; body: List }[]; orelse?: List; redirs: Redir[] }
  | { k: 'loop'; until: boolean; cond: List; body: List; redirs: Redir[] }
  | { k: 'for'; name: string; items?: string[]; body: List; redirs: Redir[] }
  | { k: 'case'; word: string; arms: { patterns: string[]; body: List }[]; redirs: Redir[] }
  | { k: 'group'; body: List; subshell: boolean; redirs: Redir[] }
  | { k: 'func'; name: string; body: Cmd; redirs: Redir[] };

/** A pipeline (`!` negates). */
export interface Pipeline { bang: boolean; cmds: Cmd[] }
/** An and-or chain. */
export interface AndOr { first: Pipeline; rest: { op: '&&' | '||'; p: Pipeline }[] }
/** A list of and-or chains, each possibly in the background. */
export interface List { items: { ao: AndOr; bg: boolean }[] }

const RESERVED = new Set(['if', 'then', 'elif', 'else', 'fi', 'while', 'until', 'do', 'done', 'for', 'in', 'case', 'esac', '{', '}', '!']);

/** Parses shell source into a list; throws Incomplete or SyntaxError. */
export function parse(src: string): List {
  const p = new Parser(tokenize(src));
  const list = p.list(new Set());
  if (p.pos < p.toks.length) throw new SyntaxError(p.unexpected());
  return list;
}

class Parser {
  pos = 0;
  constructor(readonly toks: Token[]) {}

  peek(): Token | undefined { return this.toks[this.pos]; }
  isWord(w: string): boolean { const t = this.peek(); return t?.t === 'word' && t.raw === w; }
  isOp(o: string): boolean { const t = this.peek(); return t?.t === 'op' && t.op === o; }
  skipNl(): void { while (this.peek()?.t === 'nl') this.pos++; }
  unexpected(): string {
    const t = this.peek();
    const s = !t ? 'end of file' : t.t === 'word' ? t.raw : t.t === 'op' ? t.op : t.t === 'nl' ? 'newline' : '<<';
    return `unexpected "${s}"`;
  }
  expect(w: string): void {
    this.skipNl();
    if (this.pos >= this.toks.length) throw new Incomplete(w);
    if (!this.isWord(w)) throw new SyntaxError(`${this.unexpected()} (expecting "${w}")`);
    this.pos++;
  }

  list(stop: Set<string>): List {
    const items: List['items'] = [];
    for (;;) {
      this.skipNl();
      const t = this.peek();
      if (!t) break;
      if (t.t === 'word' && stop.has(t.raw)) break;
      if (t.t === 'op' && (t.op === ')' || t.op === ';;')) break;
      if (t.t === 'word' && RESERVED.has(t.raw) && !['if', 'while', 'until', 'for', 'case', '{', '!'].includes(t.raw)) {
        throw new SyntaxError(this.unexpected());
      }
      const ao = this.andOr();
      let bg = false;
      if (this.isOp('&')) { bg = true; this.pos++; } else if (this.isOp(';')) this.pos++;
      else if (this.peek() && this.peek()!.t !== 'nl' && !(this.peek()!.t === 'op' && [')', ';;'].includes((this.peek() as { op: string }).op))) {
        throw new SyntaxError(this.unexpected());
      }
      items.push({ ao, bg });
    }
    return { items };
  }

  andOr(): AndOr {
    const first = this.pipeline();
    const rest: AndOr['rest'] = [];
    while (this.isOp('&&') || this.isOp('||')) {
      const op = (this.peek() as { op: '&&' | '||' }).op;
      this.pos++;
      this.skipNl();
      rest.push({ op, p: this.pipeline() });
    }
    return { first, rest };
  }

  pipeline(): Pipeline {
    let bang = false;
    if (this.isWord('!')) { bang = true; this.pos++; }
    const cmds = [this.command()];
    while (this.isOp('|')) { this.pos++; this.skipNl(); cmds.push(this.command()); }
    return { bang, cmds };
  }

  command(): Cmd {
    const t = this.peek();
    if (!t) throw new Incomplete('command');
    let c: Cmd;
    if (t.t === 'op' && t.op === '(') {
      this.pos++;
      const body = this.list(new Set());
      if (!this.isOp(')')) { if (!this.peek()) throw new Incomplete(')'); throw new SyntaxError(this.unexpected()); }
      this.pos++;
      c = { k: 'group', body, subshell: true, redirs: [] };
    } else if (t.t === 'word' && t.raw === '{') {
      this.pos++;
      c = { k: 'group', body: this.list(new Set(['}'])), subshell: false, redirs: [] };
      this.expect('}');
    } else if (t.t === 'word' && t.raw === 'if') c = this.ifCmd();
    else if (t.t === 'word' && (t.raw === 'while' || t.raw === 'until')) {
      this.pos++;
      const cond = this.list(new Set(['do']));
      this.expect('do');
      const body = this.list(new Set(['done']));
      this.expect('done');
      c = { k: 'loop', until: t.raw === 'until', cond, body, redirs: [] };
    } else if (t.t === 'word' && t.raw === 'for') c = this.forCmd();
    else if (t.t === 'word' && t.raw === 'case') c = this.caseCmd();
    else if (t.t === 'word' && /^[A-Za-z_][\w-]*$/.test(t.raw) && this.toks[this.pos + 1]?.t === 'op'
      && (this.toks[this.pos + 1] as { op: string }).op === '(' && (this.toks[this.pos + 2] as { op?: string } | undefined)?.op === ')') {
      this.pos += 3;
      this.skipNl();
      c = { k: 'func', name: t.raw, body: this.command(), redirs: [] };
      return c;
    } else return this.simple();
    this.redirs(c.redirs);
    return c;
  }

  ifCmd(): Cmd {
    this.pos++;
    const branches: { cond: List; body: List }[] = [];
    let orelse: List | undefined;
    for (;;) {
      const cond = this.list(new Set(['then']));
      this.expect('then');
      const body = this.list(new Set(['elif', 'else', 'fi']));
      branches.push({ cond, body });
      this.skipNl();
      if (this.isWord('elif')) { this.pos++; continue; }
      if (this.isWord('else')) { this.pos++; orelse = this.list(new Set(['fi'])); }
      this.expect('fi');
      return { k: 'if', branches, orelse, redirs: [] };
    }
  }

  forCmd(): Cmd {
    this.pos++;
    const n = this.peek();
    if (!n) throw new Incomplete('in');
    if (n.t !== 'word') throw new SyntaxError(this.unexpected());
    this.pos++;
    let items: string[] | undefined;
    this.skipNl();
    if (this.isWord('in')) {
      this.pos++;
      items = [];
      for (let t = this.peek(); t?.t === 'word'; t = this.peek()) { items.push(t.raw); this.pos++; }
    }
    if (this.isOp(';')) this.pos++;
    this.expect('do');
    const body = this.list(new Set(['done']));
    this.expect('done');
    return { k: 'for', name: n.raw, items, body, redirs: [] };
  }

  caseCmd(): Cmd {
    this.pos++;
    const w = this.peek();
    if (!w) throw new Incomplete('in');
    if (w.t !== 'word') throw new SyntaxError(this.unexpected());
    this.pos++;
    this.expect('in');
    const arms: { patterns: string[]; body: List }[] = [];
    for (;;) {
      this.skipNl();
      if (!this.peek()) throw new Incomplete('esac');
      if (this.isWord('esac')) { this.pos++; break; }
      if (this.isOp('(')) this.pos++;
      const patterns: string[] = [];
      for (;;) {
        const p = this.peek();
        if (!p) throw new Incomplete(')');
        if (p.t !== 'word') throw new SyntaxError(this.unexpected());
        patterns.push(p.raw);
        this.pos++;
        if (this.isOp('|')) { this.pos++; continue; }
        if (this.isOp(')')) { this.pos++; break; }
        throw new SyntaxError(this.unexpected());
      }
      const body = this.list(new Set(['esac']));
      arms.push({ patterns, body });
      if (this.isOp(';;')) this.pos++;
    }
    return { k: 'case', word: w.raw, arms, redirs: [] };
  }

  simple(): Cmd {
    const c = { k: 'simple' as const, assigns: [] as [string, string][], words: [] as string[], redirs: [] as Redir[] };
    for (;;) {
      if (this.redir(c.redirs)) continue;
      const t = this.peek();
      if (t?.t !== 'word') break;
      const m = /^([A-Za-z_]\w*)=/.exec(t.raw);
      if (m && c.words.length === 0) c.assigns.push([m[1]!, t.raw.slice(m[0].length)]);
      else c.words.push(t.raw);
      this.pos++;
    }
    if (!c.words.length && !c.assigns.length && !c.redirs.length) {
      if (!this.peek()) throw new Incomplete('command');
      throw new SyntaxError(this.unexpected());
    }
    return c;
  }

  redirs(out: Redir[]): void { while (this.redir(out)) { /* more */ } }

  redir(out: Redir[]): boolean {
    let t = this.peek();
    let fd: number | undefined;
    if (t?.t === 'io') { fd = t.fd; this.pos++; t = this.peek(); }
    if (t?.t !== 'op' || !['>', '>>', '<', '>&', '<&', '>|', '<<', '<<-'].includes(t.op)) {
      if (fd !== undefined) throw new SyntaxError(this.unexpected());
      return false;
    }
    this.pos++;
    const op = t.op === '>|' ? '>' : t.op === '<<-' ? '<<' : t.op;
    const dfd = fd ?? (op.startsWith('<') ? 0 : 1);
    const target = this.peek();
    if (op === '<<') {
      if (target?.t !== 'heredoc') throw new SyntaxError(this.unexpected());
      this.pos++;
      out.push({ fd: dfd, op, target: '', heredoc: { body: target.body, quoted: target.quoted } });
      return true;
    }
    if (!target) throw new Incomplete('word');
    if (target.t !== 'word') throw new SyntaxError(this.unexpected());
    this.pos++;
    out.push({ fd: dfd, op, target: target.raw });
    return true;
  }
}
