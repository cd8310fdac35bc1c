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
  const split = (l: string): string[] => (l.includes('|') ? l.replace(/^\s*\|/, '').replace(/\|\s*$/, '').split('|').map((c) => c.trim()) : l.split('\t').map((c) => c.trim()));
  const rows = lines.map((l, i) => ({ cells: split(l), line: first + i })).filter((r) => !/^\s*\+[-+]*\+\s*$/.test(lines[r.line - first]!));
  const [head, ...body] = rows;
  if (!head) return;
  const cols = head.cells.slice(1).map((c) => c.toLowerCase());
  for (const r of body) {
    const src = r.cells[0] ?? '';
    r.cells.slice(1).forEach((v, i) => { if (cols[i] !== undefined && v !== '' && v !== '?') into.set(`${src}>${cols[i]}`, cell(v, `${file}:${r.line}`)); });
  }
}

/** Reads an expected table (grid or TSV blocks headed `KEY:`, or YAML `KEY: {src: {dst: "."|"X"|bool}}`); a block without a key applies to `defaultKey`. */
export function parseExpected(text: string, file: string, defaultKey: string): Expected {
  const out: Expected = new Map();
  const trimmed = text.trimStart();
  if (!trimmed.startsWith('+') && !trimmed.startsWith('-\t') && !trimmed.startsWith('|') && !/^[A-Z]+\/\d+:\s*\n\s*[+|-]/.test(trimmed)) {
    let doc: unknown;
    try { doc = parseYaml(text); } catch (e) { throw new SnapshotError(`${file}: ${(e as Error).message}`); }
    if (!doc || typeof doc !== 'object') throw new SnapshotError(`${file}: expected a table (the format knet connectivity prints) or a YAML mapping KEY -> source -> destination -> "."/"X"`);
    for (const [k, rows] of Object.entries(doc as Record<string, Record<string, Record<string, unknown>>>)) {
      const m = new Map<string, boolean>();
      for (const [src, cols] of Object.entries(rows ?? {})) for (const [dst, v] of Object.entries(cols ?? {})) m.set(`${src}>${dst}`, cell(v, `${file}: ${k} ${src} -> ${dst}`));
      out.set(k.toUpperCase().replace(/^(\w+)\/(\d+)$/, '$1/$2'), m);
    }
    return out;
  }
  const lines = text.split('\n');
  let key = defaultKey;
  let block: string[] = [];
  let start = 1;
  const flush = (): void => {
    if (block.length) readGrid(block, file, start, out.get(key) ?? out.set(key, new Map()).get(key)!);
    block = [];
  };
  lines.forEach((l, i) => {
    const m = /^\s*([A-Za-z]+\/\d+):\s*$/.exec(l);
    if (m) { flush(); key = m[1]!.toUpperCase(); start = i + 2; return; }
    if (!l.trim()) { flush(); start = i + 2; return; }
    if (!block.length) start = i + 1;
    block.push(l);
  });
  flush();
  return out;
}

/** The outcome of checking a table against an expectation: the differing cells as lines, and the tally. */
export interface Check { readonly diffs: string[]; readonly correct: number; readonly total: number }

/** Every cell where the computed table differs from the expected one, as lines; cells the expectation omits are not compared. */
export function compareTables(t: TruthTable, expected: Expected): string[] {
  return checkExpected(t, expected).diffs;
}

/** Compares the computed table with an expectation; an expected cell naming an unknown key or pod counts as wrong. */
export function checkExpected(t: TruthTable, expected: Expected): Check {
  const diffs: string[] = [];
  let total = 0;
  const known = new Set(t.pods);
  for (const [k, cells] of expected) {
    const got = t.cells.get(k);
    total += got ? cells.size : 1;
    if (!got) { diffs.push(`${k}: not computed (keys: ${t.keys.map(keyName).join(', ')})`); continue; }
    for (const [pair, want] of cells) {
      const [src = '', dst = ''] = pair.split('>');
      if (!known.has(src) || !known.has(dst)) { diffs.push(`${k} ${src} -> ${dst}: no such pod in the table`); continue; }
      const have = got[t.pods.indexOf(src)]![t.pods.indexOf(dst)]!;
      if (have !== want) diffs.push(`${k} ${src} -> ${dst}: expected ${want ? '. (allowed)' : 'X (blocked)'}, computed ${have ? '. (allowed)' : 'X (blocked)'}`);
    }
  }
  return { diffs, correct: total - diffs.length, total };
}

/** The tally line Cyclonus prints after a comparison: `2 wrong, 30 correct out of 32`. */
export function tally(c: Check): string {
  return `${c.total - c.correct} wrong, ${c.correct} correct out of ${c.total}`;
}
