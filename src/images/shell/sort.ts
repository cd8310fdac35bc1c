/** The CPU-heavy parts of sort, wc and seq, done in time slices (see pacing.ts) so large inputs never hold the event loop. */
import type { Writable } from 'node:stream';
import { Slicer, writeOut } from './pacing.js';

/** Items sorted at once before merging. */
const RUN = 2048;

/** A stable merge sort that yields between runs and during merges. */
export async function sortLines(items: string[], cmp: (a: string, b: string) => number, slicer = new Slicer()): Promise<string[]> {
  let a = items.slice();
  for (let i = 0; i < a.length; i += RUN) {
    const run = a.slice(i, i + RUN).sort(cmp);
    for (let k = 0; k < run.length; k++) a[i + k] = run[k]!;
    await slicer.tick();
  }
  let b: string[] = new Array<string>(a.length);
  for (let width = RUN; width < a.length; width *= 2) {
    for (let lo = 0; lo < a.length; lo += 2 * width) {
      const mid = Math.min(lo + width, a.length);
      const hi = Math.min(lo + 2 * width, a.length);
      let i = lo;
      let j = mid;
      for (let k = lo; k < hi; k++) {
        b[k] = i < mid && (j >= hi || cmp(a[i]!, a[j]!) <= 0) ? a[i++]! : a[j++]!;
        if ((k & 1023) === 0) await slicer.tick();
      }
    }
    [a, b] = [b, a];
  }
  return a;
}

/** Line, word and byte counts as wc computes them (ASCII whitespace separates words). */
export async function countText(d: Buffer, slicer = new Slicer()): Promise<{ l: number; w: number; c: number }> {
  let l = 0;
  let w = 0;
  let inWord = false;
  for (let i = 0; i < d.length; i++) {
    const x = d[i]!;
    if (x === 10) l++;
    const space = x === 32 || (x >= 9 && x <= 13);
    if (!space && !inWord) w++;
    inWord = !space;
    if ((i & 0xfffff) === 0) await slicer.tick();
  }
  return { l, w, c: d.length };
}

/** Decimal places of a number as written (`0.25` → 2), which seq keeps in its output. */
const decimals = (s: string): number => (/\.(\d+)/.exec(s)?.[1]?.length ?? 0);

/** The numbers FIRST..LAST by STEP, written in chunks that wait for the reader; the exit code (141 when the reader went away). */
export async function writeSequence(out: Writable, args: string[], sep: string, signal: AbortSignal): Promise<number> {
  const [first, step, last] = args.length >= 3 ? [args[0]!, args[1]!, args[2]!] : args.length === 2 ? [args[0]!, '1', args[1]!] : ['1', '1', args[0]!];
  const places = Math.max(decimals(first), decimals(step), decimals(last));
  // In units of the finest decimal place, so 0.1 steps add up exactly (0 0.1 0.3 ends at 0.3).
  const scale = 10 ** places;
  const [a, s, z] = [first, step, last].map((x) => Math.round(Number(x) * scale)) as [number, number, number];
  const fmt = (v: number): string => (places ? (v / scale).toFixed(places) : String(v));
  const slicer = new Slicer();
  let chunk = '';
  let started = false;
  for (let k = 0; ; k++) {
    const v = a + k * s;
    if (s > 0 ? v > z : v < z) break;
    chunk += (started ? sep : '') + fmt(v);
    started = true;
    if (chunk.length >= 16_384) {
      if (!await writeOut(out, chunk, signal)) return signal.aborted ? 143 : 141;
      chunk = '';
      await slicer.tick();
    }
  }
  if (started) chunk += '\n';
  if (chunk && !await writeOut(out, chunk, signal)) return signal.aborted ? 143 : 141;
  return 0;
}
