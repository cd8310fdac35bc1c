/**
 * Reverse lookups (PTR): a Service's cluster IP names the Service; otherwise every ready endpoint
 * with that IP names `<hostname>.<svc>.<ns>.svc.<zone>` (CoreDNS's order); knet adds
 * `<a-b-c-d>.<ns>.pod.<zone>` for other pod IPs.
 */
import { isIPv4 } from 'node:net';
import { cidrContains } from '../../../../net/ip.js';
import { dashedIP } from './cache.js';
import type { ZoneView } from './records.js';

/** The IP a full reverse name stands for (`4.3.2.1.in-addr.arpa` → 1.2.3.4), if it is one. */
export function reverseToIP(lname: string): string | undefined {
  if (lname.endsWith('.in-addr.arpa')) {
    const parts = lname.slice(0, -'.in-addr.arpa'.length).split('.');
    if (parts.length !== 4 || !parts.every((x) => /^(0|[1-9]\d{0,2})$/.test(x) && Number(x) < 256)) return undefined;
    return parts.reverse().join('.');
  }
  if (lname.endsWith('.ip6.arpa')) {
    const nib = lname.slice(0, -'.ip6.arpa'.length).split('.');
    if (nib.length !== 32 || !nib.every((x) => /^[0-9a-f]$/.test(x))) return undefined;
    const hex = nib.reverse().join('');
    const full = (hex.match(/.{4}/g) ?? []).join(':');
    return new URL(`http://[${full}]/`).hostname.slice(1, -1);
  }
  return undefined;
}

/** Whether a name is in a reverse zone. */
export function isReverse(lname: string): boolean {
  return lname.endsWith('.in-addr.arpa') || lname === 'in-addr.arpa' || lname.endsWith('.ip6.arpa') || lname === 'ip6.arpa';
}

/** PTR targets (no trailing dot) for an IP; empty when the cluster knows nothing of it. */
export function ptrTargets(v: ZoneView, ip: string): string[] {
  const svc = v.cache.serviceForIP(ip);
  if (svc) return [`${svc.metadata.name}.${svc.metadata.namespace}.svc.${v.zone}`];
  const eps = v.cache.endpointsForIP(ip).map(([h, ns, name]) => `${h}.${name}.${ns}.svc.${v.zone}`);
  if (eps.length) return eps;
  return v.cache.podNamespaces(ip).map((ns) => `${dashedIP(ip)}.${ns}.pod.${v.zone}`);
}

/** Whether an IP belongs to the cluster's own ranges (answered authoritatively, never forwarded). */
export function inClusterRanges(ip: string, cidrs: readonly string[]): boolean {
  return isIPv4(ip) && cidrs.some((c) => cidrContains(c, ip));
}
