/**
 * CronJob schedules: parsing with the messages of robfig/cron's ParseStandard (which
 * kube-apiserver and the CronJob controller use), and next activation times in a time zone
 * (computed with cron-parser on the five standard fields).
 */
import { CronExpressionParser } from 'cron-parser';

/** A parsed schedule: the next activation strictly after a time, and the latest at or before one (for `@every`, counted from the activation `anchor`). */
export interface Schedule { next(after: number): number; latest(atOrBefore: number, anchor: number): number }

interface Bounds { min: number; max: number; names?: Record<string, number> }

const MONTHS = Object.fromEntries(['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'].map((m, i) => [m, i + 1]));
const DAYS = Object.fromEntries(['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'].map((d, i) => [d, i]));
const FIELDS: Bounds[] = [{ min: 0, max: 59 }, { min: 0, max: 23 }, { min: 1, max: 31 }, { min: 1, max: 12, names: MONTHS }, { min: 0, max: 6, names: DAYS }];
const DESCRIPTORS: Record<string, string> = {
  '@yearly': '0 0 1 1 *', '@annually': '0 0 1 1 *', '@monthly': '0 0 1 * *', '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *', '@midnight': '0 0 * * *', '@hourly': '0 * * * *',
};

/** strconv.Atoi's error text. */
function parseIntGo(s: string, expr: string): number {
  if (!/^[+-]?\d+$/.test(s)) throw new Error(`failed to parse int from ${s}: strconv.Atoi: parsing "${s}": invalid syntax`);
  const n = parseInt(s, 10);
  if (n < 0) throw new Error(`negative number (${n}) not allowed: ${expr}`);
  return n;
}

function parseValue(s: string, b: Bounds, expr: string): number {
  const named = b.names?.[s.toLowerCase()];
  return named ?? parseIntGo(s, expr);
}

/** getRange of robfig/cron: `*`, `?`, `a`, `a-b`, each with an optional `/step`. */
function checkRange(expr: string, b: Bounds): void {
  const rangeAndStep = expr.split('/');
  const lowAndHigh = rangeAndStep[0]!.split('-');
  const single = lowAndHigh.length === 1;
  let start: number, end: number;
  if (lowAndHigh[0] === '*' || lowAndHigh[0] === '?') { start = b.min; end = b.max; } else {
    start = parseValue(lowAndHigh[0]!, b, expr);
    if (lowAndHigh.length === 1) end = start;
    else if (lowAndHigh.length === 2) end = parseValue(lowAndHigh[1]!, b, expr);
    else throw new Error(`too many hyphens: ${expr}`);
  }
  if (rangeAndStep.length === 2) {
    const step = parseIntGo(rangeAndStep[1]!, expr);
    if (single && lowAndHigh[0] !== '*' && lowAndHigh[0] !== '?') end = b.max;
    if (step === 0) throw new Error(`step of range should be a positive number: ${expr}`);
  } else if (rangeAndStep.length > 2) throw new Error(`too many slashes: ${expr}`);
  if (start < b.min) throw new Error(`beginning of range (${start}) below minimum (${b.min}): ${expr}`);
  if (end > b.max) throw new Error(`end of range (${end}) above maximum (${b.max}): ${expr}`);
  if (start > end) throw new Error(`beginning of range (${start}) beyond end of range (${end}): ${expr}`);
}

/** Go's time.ParseDuration for the `@every` descriptor (h, m, s, ms units). */
function parseDuration(s: string): number {
  const m = /^((?:\d+(?:\.\d+)?(?:h|ms|m|s))+)$/.exec(s);
  if (!m) throw new Error(`failed to parse duration @every ${s}: time: invalid duration "${s}"`);
  let ms = 0;
  for (const [, n, u] of s.matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s)/g)) ms += Number(n) * ({ h: 3600_000, m: 60_000, s: 1000, ms: 1 }[u as 'h'] ?? 0);
  return ms;
}

/** Whether a time zone name is known (time.LoadLocation). */
export function knownTimeZone(tz: string): boolean {
  try { new Intl.DateTimeFormat('en-US', { timeZone: tz }); return true; } catch { return false; }
}

/**
 * Parses a schedule as cron.ParseStandard does (five fields, descriptors, `@every`, an optional
 * `CRON_TZ=`/`TZ=` prefix); `timeZone` (spec.timeZone) applies when the schedule names none.
 * Throws an Error with robfig/cron's message.
 */
export function parseSchedule(spec: string, timeZone?: string): Schedule {
  let s = spec.trim();
  if (s === '') throw new Error('empty spec string');
  let tz = timeZone || 'UTC';
  const tzm = /^(CRON_TZ|TZ)=(\S*)/.exec(s);
  if (tzm) {
    if (!knownTimeZone(tzm[2]!)) throw new Error(`provided bad location ${tzm[2]}: unknown time zone ${tzm[2]}`);
    tz = tzm[2]!;
    s = s.slice(tzm[0].length).trim();
  }
  if (s.startsWith('@every ')) {
    const every = Math.max(1000, Math.floor(parseDuration(s.slice(7).trim()) / 1000) * 1000);
    // robfig's ConstantDelaySchedule has no anchor: activations are `every` apart from wherever one starts.
    return { next: (after) => Math.floor(after / 1000) * 1000 + every, latest: (t, anchor) => anchor + Math.floor((t - anchor) / every) * every };
  }
  if (s.startsWith('@')) {
    const d = DESCRIPTORS[s];
    if (!d) throw new Error(`unrecognized descriptor: ${s}`);
    s = d;
  }
  const fields = s.split(/\s+/).filter(Boolean);
  if (fields.length !== 5) throw new Error(`expected exactly 5 fields, found ${fields.length}: [${fields.join(' ')}]`);
  fields.forEach((f, i) => { for (const part of f.split(',')) checkRange(part, FIELDS[i]!); });
  const expr = fields.join(' ');
  return {
    next: (after) => CronExpressionParser.parse(expr, { currentDate: new Date(after), tz }).next().getTime(),
    latest: (t) => CronExpressionParser.parse(expr, { currentDate: new Date(t + 1), tz }).prev().getTime(),
  };
}
