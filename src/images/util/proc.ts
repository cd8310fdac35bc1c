/** Small process helpers shared by the built-in programs: waiting, sleeping, Go-style log lines. */
import type { Writable } from 'node:stream';

export { sleep } from '../../net/sleep.js';

/** Resolves when the signal is aborted (immediately if it already is). */
export function untilAborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

/** `2006/01/02 15:04:05` in UTC (the containers' time zone). */
export function goLogTime(d = new Date()): string {
  return `${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** Writes a line as Go's `log.Printf` does (timestamp prefix, newline added when missing). */
export function goLog(out: Writable, msg: string): void {
  out.write(`${goLogTime()} ${msg.endsWith('\n') ? msg : msg + '\n'}`);
}

/** Go's `time.Now()` as `%v` prints it (`2026-11-24 02:30:00.123456789 +0000 UTC m=+1.000000001`). */
export function goNow(startedAt: number): string {
  const d = new Date();
  const iso = d.toISOString();
  const frac = String(d.getUTCMilliseconds()).padStart(3, '0') + '000' + String(Math.floor(Math.random() * 1000)).padStart(3, '0');
  const mono = ((performance.now() - startedAt) / 1000).toFixed(9);
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}.${frac} +0000 UTC m=+${mono}`;
}
