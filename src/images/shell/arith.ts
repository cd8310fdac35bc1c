/** Shell arithmetic `$(( … ))`: integers, variables, the usual C operators and assignments. */

interface Vars { get(name: string): string | undefined; set(name: string, value: string): void }

const BIN: [string[], (a: number, b: number) => number][] = [
  [['||'], (a, b) => Number(a !== 0 || b !== 0)],
  [['&&'], (a, b) => Number(a !== 0 && b !== 0)],
  [['|'], (a, b) => a | b],
  [['^'], (a, b) => a ^ b],
  [['&'], (a, b) => a & b],
  [['==', '!='], () => 0],
  [['<=', '>=', '<', '>'], () => 0],
  [['<<', '>>'], () => 0],
  [['+', '-'], () => 0],
  [['*', '/', '%'], () => 0],
];

function apply(op: string, a: number, b: number): number {
  switch (op) {
    case '==': return Number(a === b);
    case '!=': return Number(a !== b);
    case '<=': return Number(a <= b);
    case '>=': return Number(a >= b);
    case '<': return Number(a < b);
    case '>': return Number(a > b);
    case '<<': return a << b;
    case '>>': return a >> b;
    case '+': return a + b;
    case '-': return a - b;
    case '*': return a * b;
    case '/': if (b === 0) throw new Error('divide by zero'); return Math.trunc(a / b);
    case '%': if (b === 0) throw new Error('divide by zero'); return a % b;
    default: return BIN.find(([ops]) => ops.includes(op))![1](a, b);
  }
}

/** Evaluates an arithmetic expression; throws on syntax errors. */
export function arith(expr: string, vars: Vars): number {
  const toks = expr.match(/\s*(0x[0-9a-fA-F]+|\d+|[A-Za-z_]\w*|\+\+|--|[-+*/%]=|<<|>>|<=|>=|==|!=|&&|\|\||[-+*/%()<>!~&|^=?:])/g)?.map((t) => t.trim()) ?? [];
  let i = 0;
  const num = (name: string): number => { const v = Number.parseInt(vars.get(name) ?? '0', 10); return Number.isNaN(v) ? 0 : v; };
  const primary = (): number => {
    const t = toks[i++];
    if (t === undefined) throw new Error('syntax error');
    if (t === '(') { const v = ternary(); i++; return v; }
    if (t === '-') return -primary();
    if (t === '+') return primary();
    if (t === '!') return Number(primary() === 0);
    if (t === '~') return ~primary();
    if (t === '++' || t === '--') { const n = toks[i++]!; const v = num(n) + (t === '++' ? 1 : -1); vars.set(n, String(v)); return v; }
    if (/^\d/.test(t)) return Number(t);
    const next = toks[i];
    if (next === '=') { i++; const v = ternary(); vars.set(t, String(v)); return v; }
    if (next && /^[-+*/%]=$/.test(next)) { i++; const v = apply(next[0]!, num(t), ternary()); vars.set(t, String(v)); return v; }
    if (next === '++' || next === '--') { i++; const v = num(t); vars.set(t, String(v + (next === '++' ? 1 : -1))); return v; }
    return num(t);
  };
  const level = (l: number): number => {
    if (l >= BIN.length) return primary();
    let a = level(l + 1);
    while (i < toks.length && BIN[l]![0].includes(toks[i]!)) { const op = toks[i++]!; a = apply(op, a, level(l + 1)); }
    return a;
  };
  const ternary = (): number => {
    const c = level(0);
    if (toks[i] !== '?') return c;
    i++;
    const a = ternary();
    i++;
    const b = ternary();
    return c !== 0 ? a : b;
  };
  const v = toks.length ? ternary() : 0;
  if (i < toks.length) throw new Error('syntax error');
  return v;
}
