/**
 * Network-value validation shared by Service, Endpoints and EndpointSlice: IP parsing with Go's
 * `net.ParseIP` leniency, the "non-special IP" rules, CIDRs, FQDNs and port protocols.
 */
import { field, type FieldError } from '../errors.js';
import { isDNS1123Label, isDNS1123Subdomain } from '../validation/names.js';

function parseIPv4(s: string): number[] | null {
  const parts = s.split('.');
  if (parts.length !== 4) return null;
  const out: number[] = [];
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return null;
    const n = Number(p);
    if (n > 255) return null;
    out.push(n);
  }
  return out;
}

function parseIPv6(s: string): number[] | null {
  if (!/^[0-9a-fA-F:.]+$/.test(s)) return null;
  let tail: number[] = [];
  let body = s;
  const lastColon = s.lastIndexOf(':');
  if (s.includes('.')) {
    const v4 = parseIPv4(s.slice(lastColon + 1));
    if (!v4) return null;
    tail = v4;
    body = s.slice(0, lastColon + 1) + '0:0';
  }
  const halves = body.split('::');
  if (halves.length > 2) return null;
  const groups = (h: string): string[] | null => (h === '' ? [] : h.split(':'));
  const head = groups(halves[0] ?? '');
  const rest = halves.length === 2 ? groups(halves[1] ?? '') : [];
  if (!head || !rest) return null;
  const total = head.length + rest.length;
  if (halves.length === 1 ? total !== 8 : total > 7) return null;
  const words = [...head, ...Array<string>(8 - total).fill('0'), ...rest];
  const bytes: number[] = [];
  for (const w of words) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(w)) return null;
    const n = parseInt(w, 16);
    bytes.push(n >> 8, n & 0xff);
  }
  if (tail.length === 4) bytes.splice(12, 4, ...tail);
  return bytes;
}

/** Parses an IP like Go's `netutils.ParseIPSloppy`: 4 bytes for IPv4 (including IPv4-mapped IPv6), 16 for IPv6, or null. */
export function parseIP(s: string): number[] | null {
  if (s.includes(':')) {
    const b = parseIPv6(s);
    if (!b) return null;
    const mapped = b.slice(0, 10).every((x) => x === 0) && b[10] === 0xff && b[11] === 0xff;
    return mapped ? b.slice(12) : b;
  }
  return parseIPv4(s);
}

/** validation.IsValidIP: one Invalid error when `value` is not an IP address. */
export function validateIP(path: string, value: string): FieldError[] {
  return parseIP(value) ? [] : [field.invalid(path, value, 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)')];
}

/** validation.IsValidIPv4Address / IsValidIPv6Address. */
export function validateIPFamily(path: string, value: string, family: 4 | 6): FieldError[] {
  const b = parseIP(value);
  return b && b.length === (family === 4 ? 4 : 16) ? [] : [field.invalid(path, value, `must be a valid IPv${family} address`)];
}

/** ValidateNonSpecialIP: rejects unspecified, loopback and link-local addresses (Endpoints, EndpointSlices, externalIPs). */
export function validateNonSpecialIP(path: string, value: string): FieldError[] {
  const b = parseIP(value);
  if (!b) return [field.invalid(path, value, 'must be a valid IP address')];
  const errs: FieldError[] = [];
  const v4 = b.length === 4;
  if (b.every((x) => x === 0)) errs.push(field.invalid(path, value, `may not be unspecified (${value})`));
  const loop = v4 ? b[0] === 127 : b.slice(0, 15).every((x) => x === 0) && b[15] === 1;
  if (loop) errs.push(field.invalid(path, value, 'may not be in the loopback range (127.0.0.0/8, ::1/128)'));
  const llu = v4 ? b[0] === 169 && b[1] === 254 : b[0] === 0xfe && ((b[1] ?? 0) & 0xc0) === 0x80;
  if (llu) errs.push(field.invalid(path, value, 'may not be in the link-local range (169.254.0.0/16, fe80::/10)'));
  const llm = v4 ? b[0] === 224 && b[1] === 0 && b[2] === 0 : b[0] === 0xff && ((b[1] ?? 0) & 0x0f) === 0x02;
  if (llm) errs.push(field.invalid(path, value, 'may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)'));
  return errs;
}

/** validation.IsValidCIDR. */
export function validateCIDR(path: string, value: string): FieldError[] {
  const m = /^(.+)\/(\d{1,3})$/.exec(value);
  const ip = m ? parseIP(m[1] ?? '') : null;
  const max = m && (m[1] ?? '').includes(':') ? 128 : 32;
  return ip && Number(m?.[2]) <= max ? [] : [field.invalid(path, value, 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)')];
}

/** validation.IsFullyQualifiedDomainName (EndpointSlice FQDN addresses). */
export function validateFQDN(path: string, value: string): FieldError[] {
  if (value.length === 0) return [field.required(path)];
  const name = value.endsWith('.') ? value.slice(0, -1) : value;
  const sub = isDNS1123Subdomain(name);
  if (sub.length) return [field.invalid(path, name, sub.join(','))];
  const labels = name.split('.');
  if (labels.length < 2) return [field.invalid(path, name, 'should be a domain with at least two segments separated by dots')];
  for (const l of labels) {
    const e = isDNS1123Label(l);
    if (e.length) return [field.invalid(path, l, e.join(','))];
  }
  return [];
}

/** ValidateDNS1123Label as a field error list. */
export function validateDNSLabel(path: string, value: string): FieldError[] {
  return isDNS1123Label(value).map((m) => field.invalid(path, value, m));
}

/** The protocols a Service or Endpoints port may use, in Kubernetes' sorted order. */
export const supportedProtocols = ['SCTP', 'TCP', 'UDP'];

/** `Too many: N: must have at most M items`, as field.TooMany renders. */
export function tooMany(path: string, actual: number, max: number): FieldError {
  return { type: 'FieldValueTooMany', field: path, value: actual, detail: `${actual}: must have at most ${max} ${max === 1 ? 'item' : 'items'}` };
}

/** Formats address bytes as Go's net.IP.String does: dotted IPv4, or IPv6 with the longest run of zero groups (two or more) as `::`. */
export function formatIPBytes(b: readonly number[]): string {
  if (b.length === 4) return b.join('.');
  const words = Array.from({ length: 8 }, (_, i) => ((b[2 * i] ?? 0) << 8) | (b[2 * i + 1] ?? 0));
  let best = -1, bestLen = 0;
  for (let i = 0; i < 8;) {
    if (words[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) { best = i; bestLen = j - i; }
    i = j;
  }
  const hex = (ws: number[]): string => ws.map((w) => w.toString(16)).join(':');
  return best < 0 ? hex(words) : `${hex(words.slice(0, best))}::${hex(words.slice(best + bestLen))}`;
}
