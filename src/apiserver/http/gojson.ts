/**
 * JSON syntax errors worded as Go's encoding/json scanner words them (`invalid character 'x'
 * looking for beginning of value`, `unexpected end of JSON input`, …), since kube-apiserver puts
 * those messages into its 400 responses, plus the short body summary it appends.
 */

const MAX_DEPTH = 10_000;

/** Go's quoteChar: a byte shown in single quotes, escaped like strconv.Quote. */
function quoteChar(c: number): string {
  if (c === 0x27) return `'\\''`;
  if (c === 0x22) return `'"'`;
  const q = JSON.stringify(String.fromCharCode(c)).slice(1, -1);
  if (c < 0x20 && !/^\\[bfnrt]$/.test(q)) return `'\\x${c.toString(16).padStart(2, '0')}'`;
  if (c === 0x7f) return `'\\x7f'`;
  if (c >= 0x80 && c < 0xa0) return `'\\u00${c.toString(16)}'`;
  return `'${q}'`;
}

const isSpace = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
const isHex = (c: number) => isDigit(c) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);

class Scan {
  i = 0;
  readonly stack: ('obj' | 'arr')[] = [];
  constructor(readonly b: Buffer) {}
  peek(): number | undefined { return this.b[this.i]; }
  skipSpace(): void { while (this.i < this.b.length && isSpace(this.b[this.i]!)) this.i++; }
  fail(c: number, context: string): never { throw new SyntaxError(`invalid character ${quoteChar(c)} ${context}`); }
  need(): number {
    const c = this.b[this.i];
    if (c === undefined) throw new SyntaxError('unexpected end of JSON input');
    return c;
  }
}

function literal(s: Scan, word: string): void {
  for (let k = 1; k < word.length; k++) {
    const c = s.need();
    if (c !== word.charCodeAt(k)) s.fail(c, `in literal ${word} (expecting '${word[k]}')`);
    s.i++;
  }
}

function digits(s: Scan): void { while (s.i < s.b.length && isDigit(s.b[s.i]!)) s.i++; }

function number(s: Scan): void {
  if (s.peek() === 0x2d) {
    s.i++;
    const c = s.need();
    if (!isDigit(c)) s.fail(c, 'in numeric literal');
  }
  if (s.peek() === 0x30) s.i++; else digits(s);
  if (s.peek() === 0x2e) {
    s.i++;
    const c = s.need();
    if (!isDigit(c)) s.fail(c, 'after decimal point in numeric literal');
    digits(s);
  }
  if (s.peek() === 0x65 || s.peek() === 0x45) {
    s.i++;
    if (s.peek() === 0x2b || s.peek() === 0x2d) s.i++;
    const c = s.need();
    if (!isDigit(c)) s.fail(c, 'in exponent of numeric literal');
    digits(s);
  }
}

function string(s: Scan): void {
  s.i++; // opening quote
  for (;;) {
    const c = s.need();
    s.i++;
    if (c === 0x22) return;
    if (c < 0x20) s.fail(c, 'in string literal');
    if (c === 0x5c) {
      const e = s.need();
      s.i++;
      if (e === 0x75) {
        for (let k = 0; k < 4; k++) { const h = s.need(); if (!isHex(h)) s.fail(h, 'in \\u hexadecimal character escape'); s.i++; }
      } else if (!'bfnrt\\/"'.includes(String.fromCharCode(e))) s.fail(e, 'in string escape code');
    }
  }
}

/** Scans one value; containers are handled iteratively so deep nesting cannot overflow the stack. */
function value(s: Scan): void {
  for (;;) {
    s.skipSpace();
    const c = s.need();
    let done = true;
    if (c === 0x7b || c === 0x5b) {
      if (s.stack.length >= MAX_DEPTH) throw new SyntaxError('exceeded max depth');
      s.i++;
      s.skipSpace();
      const close = c === 0x7b ? 0x7d : 0x5d;
      if (s.need() === close) s.i++;
      else {
        s.stack.push(c === 0x7b ? 'obj' : 'arr');
        if (c === 0x7b) key(s);
        done = false;
      }
    } else if (c === 0x22) string(s);
    else if (c === 0x2d || isDigit(c)) number(s);
    else if (c === 0x74) { s.i++; literal(s, 'true'); }
    else if (c === 0x66) { s.i++; literal(s, 'false'); }
    else if (c === 0x6e) { s.i++; literal(s, 'null'); }
    else s.fail(c, 'looking for beginning of value');
    if (!done) continue;
    // After a value: close containers or move to the next element.
    for (;;) {
      const top = s.stack[s.stack.length - 1];
      if (!top) return;
      s.skipSpace();
      const d = s.need();
      s.i++;
      if (d === 0x2c) { if (top === 'obj') key(s); break; }
      if ((top === 'obj' && d === 0x7d) || (top === 'arr' && d === 0x5d)) { s.stack.pop(); continue; }
      s.fail(d, top === 'obj' ? 'after object key:value pair' : 'after array element');
    }
  }
}

function key(s: Scan): void {
  s.skipSpace();
  const c = s.need();
  if (c !== 0x22) s.fail(c, 'looking for beginning of object key string');
  string(s);
  s.skipSpace();
  const d = s.need();
  if (d !== 0x3a) s.fail(d, 'after object key');
  s.i++;
}

/** The message Go's json.Unmarshal gives for malformed input, or undefined when `b` is valid JSON. */
export function goJsonSyntaxError(b: Buffer): string | undefined {
  const s = new Scan(b);
  try {
    value(s);
    s.skipSpace();
    const c = s.peek();
    if (c !== undefined) s.fail(c, 'after top-level value');
    return undefined;
  } catch (e) {
    if (e instanceof SyntaxError) return e.message;
    throw e;
  }
}

/** kube-apiserver's summarizeData: the body's start as text when it begins with '{', else as hex. */
export function summarizeBody(b: Buffer, max = 30): string {
  if (b.length === 0) return '<empty>';
  const head = b.subarray(0, max);
  const more = b.length > max ? ' ...' : '';
  return b[0] === 0x7b ? head.toString('utf8') + more : head.toString('hex') + more;
}
