/**
 * Memory probes of a child process for the pods benchmark: VmRSS from /proc, and (when the child
 * runs with `--inspect=127.0.0.1:0`) a forced garbage collection and JS heap size over the inspector
 * protocol on loopback.
 */
import { readFileSync } from 'node:fs';
import { WebSocket } from 'ws';
import { quantile } from './http.js';

const sleep = (t: number) => new Promise((r) => setTimeout(r, t));

/** Resident set size of a process in KiB (/proc/<pid>/status VmRSS). */
export function rssKiB(pid: number): number {
  const m = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : NaN;
}

/** The median of `n` RSS samples taken `gapMs` apart, in KiB. */
export async function medianRssKiB(pid: number, n = 5, gapMs = 200): Promise<number> {
  const s: number[] = [];
  for (let i = 0; i < n; i++) {
    if (i) await sleep(gapMs);
    s.push(rssKiB(pid));
  }
  return quantile(s, 0.5);
}

/** The inspector address a child printed on stderr ("Debugger listening on ws://…"), if any. */
export function inspectorUrl(stderrText: string): string | undefined {
  const m = /Debugger listening on (ws:\/\/127\.0\.0\.1:\d+\/[\w-]+)/.exec(stderrText);
  return m?.[1];
}

/** Forces a full GC in the inspected process and returns its JS heap use afterwards, in KiB. */
export async function heapAfterGcKiB(url: string): Promise<number> {
  const ws = new WebSocket(url, { perMessageDeflate: false });
  await new Promise<void>((ok, fail) => { ws.once('open', () => ok()); ws.once('error', fail); });
  let id = 0;
  const call = (method: string): Promise<Record<string, unknown>> => new Promise((ok, fail) => {
    const me = ++id;
    const on = (raw: Buffer) => {
      const m = JSON.parse(raw.toString()) as { id?: number; result?: Record<string, unknown>; error?: { message: string } };
      if (m.id !== me) return;
      ws.off('message', on);
      if (m.error) fail(new Error(`${method}: ${m.error.message}`)); else ok(m.result ?? {});
    };
    ws.on('message', on);
    ws.send(JSON.stringify({ id: me, method }));
  });
  try {
    await call('HeapProfiler.collectGarbage');
    await call('HeapProfiler.collectGarbage');
    const usage = await call('Runtime.getHeapUsage');
    return Number(usage['usedSize']) / 1024;
  } finally {
    ws.close();
  }
}
