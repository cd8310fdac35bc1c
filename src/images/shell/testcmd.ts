/** The `test` / `[` builtin: string, integer and file tests with `!`, `-a`, `-o`. */
import type { IO, Shell } from './exec.js';
import { isDir } from './builtins.js';

const UNARY = new Set(['-z', '-n', '-e', '-f', '-d', '-s', '-r', '-w', '-x', '-L', '-h', '-b', '-c', '-p', '-S', '-t']);
const BINARY = new Set(['=', '==', '!=', '<', '>', '-eq', '-ne', '-lt', '-le', '-gt', '-ge']);

/** Evaluates a test expression; 0 true, 1 false, 2 error. */
export async function testExpr(sh: Shell, args: string[], io: IO, name: string): Promise<number> {
  let i = 0;
  const fail = (msg: string): never => { throw new Error(msg); };
  const int = (s: string): number => (/^\s*-?\d+\s*$/.test(s) ? Number(s) : fail(`${s}: integer expected`));
  const primary = (): boolean => {
    const a = args[i];
    if (a === undefined) return false;
    if (a === '!') { i++; return !primary(); }
    if (a === '(') { i++; const v = orExpr(); i++; return v; }
    const op = args[i + 1];
    if (op !== undefined && BINARY.has(op) && args[i + 2] !== undefined) {
      const b = args[i + 2]!;
      i += 3;
      switch (op) {
        case '=': case '==': return a === b;
        case '!=': return a !== b;
        case '<': return a < b;
        case '>': return a > b;
        case '-eq': return int(a) === int(b);
        case '-ne': return int(a) !== int(b);
        case '-lt': return int(a) < int(b);
        case '-le': return int(a) <= int(b);
        case '-gt': return int(a) > int(b);
        default: return int(a) >= int(b);
      }
    }
    if (UNARY.has(a) && args[i + 1] !== undefined) {
      const v = args[i + 1]!;
      i += 2;
      const p = sh.path(v);
      switch (a) {
        case '-z': return v === '';
        case '-n': return v !== '';
        case '-d': return isDir(sh, p);
        case '-f': return sh.ctx.fs.read(p) !== undefined;
        case '-s': return (sh.ctx.fs.read(p)?.length ?? 0) > 0;
        case '-t': return false;
        default: return sh.ctx.fs.exists(p) || isDir(sh, p);
      }
    }
    i++;
    return a !== '';
  };
  const andExpr = (): boolean => { let v = primary(); while (args[i] === '-a') { i++; const r = primary(); v = v && r; } return v; };
  const orExpr = (): boolean => { let v = andExpr(); while (args[i] === '-o') { i++; const r = andExpr(); v = v || r; } return v; };
  try {
    const v = orExpr();
    if (i < args.length) fail(`${args[i]}: unknown operand`);
    return v ? 0 : 1;
  } catch (e) {
    sh.err(io, `${name}: ${(e as Error).message}`);
    return 2;
  }
}
