/**
 * sirupsen/logrus as kube-webhook-certgen configures it: to stdout, JSON by default (keys sorted:
 * fields, `level`, `msg`, `source` from the filename hook, `time` in RFC 3339) or text, with a
 * level threshold (`--log-level`, default info).
 */
import type { Writable } from 'node:stream';

/** logrus levels, most severe first. */
const LEVELS = ['panic', 'fatal', 'error', 'warning', 'info', 'debug', 'trace'] as const;
/** A level name. */
export type Level = (typeof LEVELS)[number];

/** Parses a `--log-level` value as logrus.ParseLevel does; undefined when invalid. */
export function parseLevel(s: string): Level | undefined {
  const l = s.toLowerCase();
  if (l === 'warn') return 'warning';
  return (LEVELS as readonly string[]).includes(l) ? (l as Level) : undefined;
}

/** RFC 3339 in UTC, without fractions (Go's time.RFC3339). */
function rfc3339(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** logrus' text quoting: bare when only safe characters, else a Go-quoted string. */
function textValue(v: string): string {
  return /^[A-Za-z0-9\-._/@^+]+$/.test(v) ? v : JSON.stringify(v);
}

/** A logger writing one entry per line. */
export class Logrus {
  constructor(private readonly out: Writable, private readonly level: Level = 'info', private readonly format: 'json' | 'text' = 'json', private readonly now: () => Date = () => new Date()) {}

  /** Writes an entry at `level` (dropped under the threshold) with its source `file:line` and fields. */
  log(level: Level, source: string, msg: string, fields: Record<string, string> = {}): void {
    if (LEVELS.indexOf(level) > LEVELS.indexOf(this.level)) return;
    const time = rfc3339(this.now());
    if (this.format === 'json') {
      const entry: Record<string, string> = { ...fields, level, msg, source, time };
      const sorted = Object.fromEntries(Object.keys(entry).sort().map((k) => [k, entry[k]]));
      this.out.write(JSON.stringify(sorted) + '\n');
      return;
    }
    const rest = Object.entries({ ...fields, source }).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k}=${textValue(v)}`);
    this.out.write([`time=${JSON.stringify(time)}`, `level=${level}`, `msg=${textValue(msg)}`, ...rest].join(' ') + '\n');
  }
}
