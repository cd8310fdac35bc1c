/** Pod and Service helpers shared by the endpoint controllers (endpointslice/util and podutil upstream). */
import type { Pod } from '../../api/kinds/pod.js';
import type { Service, ServicePort } from '../../api/kinds/service-schema.js';
import { isPodReady, readyCondition } from '../util/pods.js';

export { isPodReady };

/** ShouldPodBeInEndpoints: not terminal, has an IP, and (unless included) not terminating. */
export function shouldPodBeInEndpoints(p: Pod, includeTerminating: boolean): boolean {
  if (p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed') return false;
  if (!p.status?.podIP && !p.status?.podIPs?.length) return false;
  if (!includeTerminating && p.metadata.deletionTimestamp) return false;
  return true;
}

/** ShouldSetHostname: the pod has a hostname and its subdomain names this Service. */
export function shouldSetHostname(p: Pod, svc: Service): boolean {
  return !!p.spec?.hostname && p.spec.subdomain === svc.metadata.name && p.metadata.namespace === svc.metadata.namespace;
}

/** IsServiceIPSet: clusterIP set and not None. */
export function isServiceIPSet(svc: Service): boolean {
  const ip = svc.spec?.clusterIP;
  return !!ip && ip !== 'None';
}

/** The IP family of a Service's endpoints: its first ipFamily, else the family of its ClusterIP or of the pod IP. */
export function serviceFamily(svc: Service, podIP = ''): 'IPv4' | 'IPv6' {
  const fam = svc.spec?.ipFamilies?.[0];
  if (fam === 'IPv4' || fam === 'IPv6') return fam;
  const ip = isServiceIPSet(svc) ? svc.spec!.clusterIP! : podIP;
  return ip.includes(':') ? 'IPv6' : 'IPv4';
}

/** The pod's IPs (status.podIPs, else status.podIP). */
export function podIPs(p: Pod): string[] {
  const ips = (p.status?.podIPs ?? []).map((x) => x.ip).filter((ip): ip is string => !!ip);
  if (ips.length === 0 && p.status?.podIP) ips.push(p.status.podIP);
  return ips;
}

/** The pod IP of the given family, if any. */
export function podIPOfFamily(p: Pod, family: 'IPv4' | 'IPv6'): string | undefined {
  return podIPs(p).find((ip) => ip.includes(':') === (family === 'IPv6'));
}

/** FindPort: the container port a Service port targets on this pod (named ports by name and protocol). */
export function findPort(p: Pod, sp: ServicePort): number | undefined {
  const target = sp.targetPort ?? sp.port;
  if (typeof target === 'number') return target;
  if (/^\d+$/.test(target)) return Number(target);
  const proto = sp.protocol ?? 'TCP';
  const containers = [...(p.spec?.containers ?? []), ...(p.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always')];
  for (const c of containers) {
    for (const cp of c.ports ?? []) if (cp.name === target && (cp.protocol ?? 'TCP') === proto) return cp.containerPort;
  }
  return undefined;
}

/** Whether a Service's selector (a plain label map; empty selects all) selects the pod's labels. */
export function selectorMatches(selector: Record<string, string>, labels: Record<string, string> | undefined): boolean {
  for (const [k, v] of Object.entries(selector)) if (labels?.[k] !== v) return false;
  return true;
}

/** The pod's trigger time: when its Ready condition last changed (ms since epoch; 0 when unknown). */
export function podTriggerTime(p: Pod): number {
  const t = Date.parse(readyCondition(p)?.lastTransitionTime ?? '');
  return Number.isNaN(t) ? 0 : t;
}

/** Formats a time like Go's RFC3339Nano in UTC (trailing zeros of the fraction dropped). */
export function rfc3339Nano(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d*?)0*Z$/, (_m, f: string) => (f ? `.${f}Z` : 'Z'));
}
