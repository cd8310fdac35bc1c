/**
 * Name → records for the cluster zone, following the Kubernetes DNS specification and CoreDNS's
 * kubernetes plugin: parse `[_port._proto.|endpoint.]svc.ns.svc.zone` and `ip.ns.pod.zone`, then
 * collect the matching Services, endpoints or pods. `undefined` means NXDOMAIN; `[]` means the name
 * exists without data (NOERROR, no answers).
 */
import { isIP } from 'node:net';
import type { ClusterCache } from './cache.js';

/** One record source: an address (A/AAAA), or a CNAME target, with an SRV port and target. */
export interface Rec {
  host: string;
  cname?: boolean;
  /** Port for SRV (-1 when none). */
  port: number;
  /** Name SRV records point at (no trailing dot). */
  target: string;
}

/** How pod records are answered (CoreDNS `pods` option). */
export type PodsMode = 'disabled' | 'insecure' | 'verified';

/** What the lookup knows about the zone. */
export interface ZoneView {
  cache: ClusterCache;
  zone: string;
  pods: PodsMode;
}

interface Parsed { kind: 'svc' | 'pod'; ns: string; name: string; endpoint?: string; port?: string; protocol?: string }

const strip = (s: string): string => (s.startsWith('_') ? s.slice(1) : s);

/** Splits the labels below the zone into a request (`undefined`: an invalid, hence non-existent, name). */
export function parseRequest(segs: string[]): Parsed | 'empty' | undefined {
  const last = segs.length - 1;
  const kind = segs[last];
  if (kind !== 'svc' && kind !== 'pod') return undefined;
  if (last === 0) return 'empty';
  const p: Parsed = { kind, ns: segs[last - 1] ?? '', name: '' };
  if (last === 1) return p;
  p.name = segs[last - 2] ?? '';
  if (last === 3) p.endpoint = segs[0];
  else if (last === 4) { p.port = strip(segs[0] ?? ''); p.protocol = strip(segs[1] ?? ''); }
  else if (last > 4) return undefined;
  return p;
}

const matches = (want: string | undefined, have: string): boolean => want === undefined || want === '' || want === have.toLowerCase();

function findPods(v: ZoneView, p: Parsed): Rec[] | undefined {
  if (v.pods === 'disabled') return undefined;
  const ip = (p.name.split('-').length === 4 && !p.name.includes('--')) ? p.name.replace(/-/g, '.') : p.name.replace(/-/g, ':');
  if (!isIP(ip)) return undefined;
  if (v.pods === 'verified' && !v.cache.podNamespaces(ip).includes(p.ns)) return undefined;
  return [{ host: ip, port: -1, target: `${p.name}.${p.ns}.pod.${v.zone}` }];
}

function findServices(v: ZoneView, p: Parsed): Rec[] | undefined {
  const svc = v.cache.getService(p.ns, p.name);
  if (!svc) return undefined;
  const base = `${p.name}.${p.ns}.svc.${v.zone}`;
  const spec = svc.spec ?? {};
  if (spec.type === 'ExternalName') {
    const ext = (spec.externalName ?? '').replace(/\.$/, '');
    if (p.endpoint !== undefined || !ext || isIP(ext)) return undefined;
    return [{ host: ext, cname: true, port: -1, target: base }];
  }
  let found = false;
  const out: Rec[] = [];
  if (spec.clusterIP === 'None' || p.endpoint !== undefined) {
    for (const e of v.cache.endpoints(p.ns, p.name)) {
      if (p.endpoint !== undefined && e.hostname !== p.endpoint) continue;
      for (const port of e.ports) {
        if (!matches(p.port, port.name) || !matches(p.protocol, port.protocol)) continue;
        found = true;
        out.push({ host: e.ip, port: port.port, target: `${e.hostname}.${base}` });
      }
    }
    return found ? out : undefined;
  }
  const ips = spec.clusterIPs ?? (spec.clusterIP ? [spec.clusterIP] : []);
  for (const port of spec.ports ?? []) {
    if (!matches(p.port, port.name ?? '') || !matches(p.protocol, port.protocol ?? 'TCP')) continue;
    found = true;
    for (const ip of ips) out.push({ host: ip, port: port.port, target: base });
  }
  return found ? out : undefined;
}

/** Records for a name below the zone, given as its labels (lower case, zone removed). */
export function records(v: ZoneView, segs: string[]): Rec[] | undefined {
  if (segs.length === 0) return [];
  if (segs.length === 1 && segs[0] === 'dns-version') return [];
  if (segs.length === 2 && segs[0] === 'ns' && segs[1] === 'dns') {
    const dns = v.cache.getService('kube-system', 'kube-dns');
    const ips = dns?.spec?.clusterIPs ?? (dns?.spec?.clusterIP ? [dns.spec.clusterIP] : []);
    return ips.filter((ip) => isIP(ip)).map((ip) => ({ host: ip, port: -1, target: `ns.dns.${v.zone}` }));
  }
  const p = parseRequest(segs);
  if (p === 'empty') return [];
  if (!p || !v.cache.hasNamespace(p.ns)) return undefined;
  if (!p.name) return [];
  return p.kind === 'pod' ? findPods(v, p) : findServices(v, p);
}
