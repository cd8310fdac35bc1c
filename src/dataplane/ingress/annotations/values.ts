/**
 * The value parsers and validators ingress-nginx applies to annotation values
 * (`IN:internal/ingress/annotations/parser/validators.go`): a value failing its validator makes the
 * whole Ingress invalid (`validation error on ingress ns/name: annotation X contains invalid value Y`).
 */
import { isIP } from 'node:net';

/** The prefix of ingress-nginx's annotations. */
export const PREFIX = 'nginx.ingress.kubernetes.io/';

/** An annotation value its validator refuses: the Ingress is not served. */
export class InvalidAnnotation extends Error {
  constructor(readonly annotation: string, readonly value: string, detail?: string) {
    super(`annotation ${annotation} contains invalid value ${value}${detail ? ` (${detail})` : ''}`);
  }
}

/** Reads one Ingress's annotations (names without the prefix), remembering which were read. */
export class Annotations {
  private readonly read = new Set<string>();
  constructor(private readonly all: Readonly<Record<string, string>>) {}

  /** The raw value, or undefined when absent. */
  get(name: string): string | undefined {
    this.read.add(name);
    return this.all[PREFIX + name];
  }

  /** The value trimmed; empty counts as absent. */
  str(name: string): string | undefined {
    const v = this.get(name)?.trim();
    return v ? v : undefined;
  }

  /** A value that must match `pattern` (a fixed, trusted expression). */
  matching(name: string, pattern: RegExp): string | undefined {
    const v = this.str(name);
    if (v !== undefined && !pattern.test(v)) throw new InvalidAnnotation(name, v);
    return v;
  }

  /** A boolean as Go's strconv.ParseBool reads it. */
  bool(name: string): boolean | undefined {
    const v = this.str(name);
    if (v === undefined) return undefined;
    if (/^(1|t|true)$/i.test(v)) return true;
    if (/^(0|f|false)$/i.test(v)) return false;
    throw new InvalidAnnotation(name, v);
  }

  /** A non-negative decimal integer. */
  int(name: string): number | undefined {
    const v = this.str(name);
    if (v === undefined) return undefined;
    if (!/^\d{1,9}$/.test(v)) throw new InvalidAnnotation(name, v);
    return Number(v);
  }

  /** An nginx size (`0`, `512`, `8k`, `1m`, `1g`) in bytes. */
  size(name: string): number | undefined {
    const v = this.str(name);
    if (v === undefined) return undefined;
    const n = parseSize(v);
    if (n === undefined) throw new InvalidAnnotation(name, v);
    return n;
  }

  /** A comma-separated list of CIDRs or addresses, each checked. */
  cidrs(name: string): string[] | undefined {
    const v = this.str(name);
    if (v === undefined) return undefined;
    const list = splitList(v);
    const bad = list.find((c) => !isCidr(c));
    if (bad !== undefined) throw new InvalidAnnotation(name, v, `${bad} is not a CIDR or IP address`);
    return list;
  }

  /** The annotation names (without prefix) present on the Ingress but never read. */
  unread(): string[] {
    return Object.keys(this.all).filter((k) => k.startsWith(PREFIX) && !this.read.has(k.slice(PREFIX.length))).map((k) => k.slice(PREFIX.length));
  }
}

/** An nginx size in bytes, or undefined when malformed. */
export function parseSize(v: string): number | undefined {
  const m = /^(\d{1,12})([bkmg]?)$/i.exec(v.trim());
  if (!m) return undefined;
  const unit = { '': 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[m[2]!.toLowerCase()] ?? 1;
  return Number(m[1]) * unit;
}

/** Splits a comma list, trimming entries and dropping empty ones. */
export function splitList(v: string): string[] {
  return v.split(',').map((s) => s.trim()).filter(Boolean);
}

/** Whether `s` is an IPv4/IPv6 address or a CIDR with a valid prefix length. */
export function isCidr(s: string): boolean {
  const slash = s.indexOf('/');
  if (slash < 0) return isIP(s) !== 0;
  const family = isIP(s.slice(0, slash));
  const bits = s.slice(slash + 1);
  if (!family || !/^\d{1,3}$/.test(bits)) return false;
  return Number(bits) <= (family === 4 ? 32 : 128);
}
