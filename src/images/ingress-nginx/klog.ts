/** klog's text format as ingress-nginx writes it (`I1207 02:12:18.123456       7 main.go:205] "msg" key="value"`). */
import type { Writable } from 'node:stream';

/** klog severities. */
export type KlogSeverity = 'I' | 'W' | 'E' | 'F';

/** The container's pid of the controller process (dumb-init is 1; upstream logs show 7). */
const PID = 7;

/** The klog header: severity, month/day, time with microseconds (UTC), the pid right-aligned in 7 columns, file:line. */
export function klogHeader(sev: KlogSeverity, at: string, d = new Date()): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const micro = p(d.getUTCMilliseconds(), 3) + '000';
  return `${sev}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}.${micro} ${String(PID).padStart(7)} ${at}]`;
}

/**
 * A structured value as klog prints it: strings quoted (Go %q), except values that already are Go
 * `%+v` renderings of slices or structs (`[...]`, `{...}`), which klog prints bare.
 */
export function klogValue(v: string): string {
  return /^(\[.*\]|\{.*\})$/s.test(v) ? v : JSON.stringify(v);
}

/** Writes klog lines of one process. */
export class Klog {
  constructor(private readonly out: Writable, private readonly now: () => Date = () => new Date()) {}

  /** A structured line: `"message" k="v" …`. */
  info(sev: KlogSeverity, at: string, message: string, kv: Record<string, string> = {}): void {
    const pairs = Object.entries(kv).map(([k, v]) => ` ${k}=${klogValue(v)}`).join('');
    this.out.write(`${klogHeader(sev, at, this.now())} ${JSON.stringify(message)}${pairs}\n`);
  }

  /** A plain (printf-style) line. */
  text(sev: KlogSeverity, at: string, text: string): void {
    this.out.write(`${klogHeader(sev, at, this.now())} ${text}\n`);
  }
}
