/**
 * The truth table as text: a grid per key like Cyclonus prints (`.` allowed, `X` blocked; rows are
 * sources, columns destinations), and the reading of expected tables for `--expect` in that form, in
 * the upstream e2e TruthTable form (tab-separated, `-` in the corner) or as YAML.
 */
import { parse as parseYaml } from 'yaml';
import { keyName, type TruthTable } from './matrix.js';
import { SnapshotError } from './snapshot.js';

/** Expected verdicts: key → `src>dst` → allowed. */
export type Expected = Map<string, Map<string, boolean>>;

function grid(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const line = '+' + widths.map((w) => '-'.repeat(w + 2)).join('+') + '+';
  const fmt = (r: string[]): string => '| ' + r.map((c, i) => c.padEnd(widths[i]!)).join(' | ') + ' |';
  return [line, fmt(rows[0]!), line, ...rows.slice(1).map(fmt), line].join('\n');
}

/** Prints one grid per key, each headed `TCP/80:`. */
export function formatTable(t: TruthTable): string {
  const out: string[] = [];
  for (const k of t.keys) {
    const cells = t.cells.get(keyName(k))!;
    out.push(`${keyName(k)}:`, grid([['', ...t.pods], ...t.pods.map((src, i) => [src, ...cells[i]!.map((v) => (v ? '.' : 'X'))])]), '');
  }
  return out.join('\n');
}

function cell(v: unknown, where: string): boolean {
  if (v === true || v === '.' || v === 'allowed' || v === 'allow') return true;
  if (v === false || v === 'X' || v === 'x' || v === 'blocked' || v === 'deny' || v === 'denied') return false;
  throw new SnapshotError(`${where}: a cell must be "." (allowed) or "X" (blocked), not ${JSON.stringify(v)}`);
}

function readGrid(lines: string[], file: string, first: number, into: Map<string, boolean>): void {
  const split = (l: string): string[] => (l.includes('|') ? l.replace(/^\s*\|/, '').replace(/\|\s*$/, '').split('|').map((c) => c.trim()) : l.replace(/^[ \t]+(?=\S)/, '').split('\t').map((c) => c.trim()));
  const rows = lines.map((l, i) => ({ text: l, line: first + i })).filter((r) => !/^\s*\+[-+]*\+\s*$/.test(r.text)).map((r) => ({ cells: split(r.text), line: r.line }));
  const [head, ...body] = rows;
  if (!head) return;
  if (head.cells[0] !== '' && head.cells[0] !== '-') throw new SnapshotError(`${file}:${head.line}: expected a header row (an empty or "-" corner, then the destinations), not "${lines[head.line - first]!.trim()}"`);
  if (!body.length) throw new SnapshotError(`${file}:${head.line}: a table with a header and no rows`);
  const cols = head.cells.slice(1).map((c) => c.toLowerCase());
  const seen = new Set<string>();
  for (const r of body) {
    const src = r.cells[0] ?? '';
    if (seen.has(src)) throw new SnapshotError(`${file}:${r.line}: a second row for ${src}`);
    seen.add(src);
    if (r.cells.length - 1 > cols.length) throw new SnapshotError(`${file}:${r.line}: ${r.cells.length - 1} cells for ${cols.length} destinations`);
    r.cells.slice(1).forEach((v, i) => { if (v !== '' && v !== '?') into.set(`${src}>${cols[i]}`, cell(v, `${file}:${r.line}`)); });
  }
}

/** Lines naming a table rather than holding it: a key (`TCP/80:`), Cyclonus's `Ingress:`/`Egress:`/`Combined:`, e2e's `expected:`. */
const KEY_LINE = /^\s*([A-Za-z]+\/\d+):\s*$/;
const NAMED_TABLE = /^\s*(ingress|egress|combined|expected|observed|comparison|reachability):?\s*$/i;

/** Reads an expected table (grid or TSV blocks headed `KEY:`, or YAML `KEY: {src: {dst: "."|"X"|bool}}`); a block without a key applies to `defaultKey`. `#` lines are comments; of Cyclonus's three tables only `Combined:` is read. */
export function parseExpected(text: string, file: string, defaultKey: string): Expected {
  const out: Expected = new Map();
  const lines = text.split('\n').map((l) => (/^\s*#/.test(l) ? '' : l.replace(/\r$/, '')));
  const gridMode = lines.some((l) => /^\s*[+|]/.test(l) || /^\s*-\t/.test(l) || NAMED_TABLE.test(l));
  if (!gridMode) {
    let doc: unknown;
    try { doc = parseYaml(text); } catch (e) { throw new SnapshotError(`${file}: ${(e as Error).message}`); }
    if (!doc || typeof doc !== 'object') throw new SnapshotError(`${file}: expected a table (the format knet connectivity prints) or a YAML mapping KEY -> source -> destination -> "."/"X"`);
    for (const [k, rows] of Object.entries(doc as Record<string, Record<string, Record<string, unknown>>>)) {
      const m = new Map<string, boolean>();
      for (const [src, cols] of Object.entries(rows ?? {})) for (const [dst, v] of Object.entries(cols ?? {})) m.set(`${src}>${dst}`, cell(v, `${file}: ${k} ${src} -> ${dst}`));
      out.set(k.toUpperCase(), m);
    }
    return out;
  }
  let key = defaultKey;
  let skip = false;
  let block: string[] = [];
  let start = 1;
  const flush = (): void => {
    if (block.length && !skip) readGrid(block, file, start, out.get(key) ?? out.set(key, new Map()).get(key)!);
    block = [];
  };
  lines.forEach((l, i) => {
    const k = KEY_LINE.exec(l);
    if (k) { flush(); key = k[1]!.toUpperCase(); skip = false; return; }
    const named = NAMED_TABLE.exec(l);
    if (named) { flush(); skip = /^(ingress|egress|observed|comparison)$/i.test(named[1]!); return; }
    if (!l.trim()) { flush(); return; }
    if (!block.length) start = i + 1;
    block.push(l);
  });
  flush();
  if (![...out.values()].some((m) => m.size)) throw new SnapshotError(`${file}: no cells read (expected the table knet connectivity prints, upstream e2e's tab-separated form, or YAML)`);
  return out;
}

/** The outcome of checking a table against an expectation: the differing cells as lines, and the tally. */
export interface Check { readonly diffs: string[]; readonly correct: number; readonly total: number; readonly ignored: number }

/** Every cell where the computed table differs from the expected one, as lines; cells the expectation omits are not compared. */
export function compareTables(t: TruthTable, expected: Expected): string[] {
  return checkExpected(t, expected).diffs;
}

/** Compares the computed table with an expectation; an expected cell naming an unknown key or pod counts as wrong; a pod to itself is ignored, as upstream's e2e ignores loopback (kubernetes#95879). */
export function checkExpected(t: TruthTable, expected: Expected): Check {
  const diffs: string[] = [];
  let total = 0;
  let ignored = 0;
  const known = new Set(t.pods);
  for (const [k, cells] of expected) {
    const got = t.cells.get(k);
    total += got ? cells.size : 1;
    if (!got) { diffs.push(`${k}: not computed (keys: ${t.keys.map(keyName).join(', ')})`); continue; }
    for (const [pair, want] of cells) {
      const [src = '', dst = ''] = pair.split('>');
      if (src === dst) { ignored++; continue; }
      if (!known.has(src) || !known.has(dst)) { diffs.push(`${k} ${src} -> ${dst}: no such pod in the table`); continue; }
      const have = got[t.pods.indexOf(src)]![t.pods.indexOf(dst)]!;
      if (have !== want) diffs.push(`${k} ${src} -> ${dst}: expected ${want ? '. (allowed)' : 'X (blocked)'}, computed ${have ? '. (allowed)' : 'X (blocked)'}`);
    }
  }
  return { diffs, correct: total - ignored - diffs.length, total, ignored };
}

/** The tally line Cyclonus prints after a comparison: `2 wrong, 26 correct, 4 ignored out of 32`. */
export function tally(c: Pick<Check, 'correct' | 'total'> & { readonly ignored?: number }): string {
  const ignored = c.ignored ?? 0;
  return `${c.total - c.correct - ignored} wrong, ${c.correct} correct${ignored ? `, ${ignored} ignored` : ''} out of ${c.total}`;
}
