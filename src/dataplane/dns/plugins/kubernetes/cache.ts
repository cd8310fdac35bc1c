/**
 * The DNS view of the cluster: Services, EndpointSlices, Pods and Namespaces as maps keyed for
 * lookups, updated synchronously by informer events (so a change is visible to the next query).
 * Per-Service endpoint lists and the reverse (IP → names) maps are derived here.
 */
import type { KObject } from '../../../../api/meta.js';
import type { Service } from '../../../../api/kinds/service-schema.js';
import type { EndpointSlice } from '../../../../api/kinds/endpointslice.js';
import type { Pod } from '../../../../api/kinds/pod-types.js';

/** A ready endpoint address of a Service with the ports of its slice. */
export interface EndpointAddr {
  ip: string;
  /** The endpoint's hostname, or the dashed IP (CoreDNS's system-assigned id). */
  hostname: string;
  ports: { name: string; protocol: string; port: number }[];
}

const SERVICE_LABEL = 'kubernetes.io/service-name';

/** CoreDNS's id for an endpoint without hostname: the IP with `.`/`:` turned into `-`. */
export function dashedIP(ip: string): string {
  const s = ip.replace(/[.:]/g, '-');
  return s.endsWith('-') ? s + '0' : s;
}

function svcKey(ns: string, name: string): string {
  return `${ns}/${name}`;
}

/** Cluster objects indexed for DNS. */
export class ClusterCache {
  /** Bumped on every change (answer caches compare it). */
  generation = 0;
  /** Unix seconds of the last change (the SOA serial). */
  modified = Math.floor(Date.now() / 1000);
  private readonly namespaces = new Set<string>();
  private readonly services = new Map<string, Service>();
  private readonly slices = new Map<string, Map<string, EndpointSlice>>();
  private readonly sliceOwner = new Map<string, string>();
  private readonly endpointMemo = new Map<string, EndpointAddr[]>();
  private readonly clusterIPs = new Map<string, string>();
  private readonly podIPs = new Map<string, Map<string, string>>();
  private endpointRev: Map<string, string[]> | undefined;

  private touch(): void {
    this.generation++;
    this.modified = Math.floor(Date.now() / 1000);
  }

  /** Applies a namespace event. */
  namespace(o: KObject, deleted: boolean): void {
    const name = o.metadata.name ?? '';
    if (deleted) this.namespaces.delete(name); else this.namespaces.add(name);
    this.touch();
  }

  /** Applies a Service event. */
  service(o: KObject, deleted: boolean): void {
    const s = o as Service;
    const key = svcKey(s.metadata.namespace ?? '', s.metadata.name ?? '');
    const old = this.services.get(key);
    for (const ip of old?.spec?.clusterIPs ?? [old?.spec?.clusterIP ?? '']) if (this.clusterIPs.get(ip) === key) this.clusterIPs.delete(ip);
    if (deleted) this.services.delete(key);
    else {
      this.services.set(key, s);
      for (const ip of s.spec?.clusterIPs ?? [s.spec?.clusterIP ?? '']) if (ip && ip !== 'None') this.clusterIPs.set(ip, key);
    }
    this.touch();
  }

  /** Applies an EndpointSlice event. */
  slice(o: KObject, deleted: boolean): void {
    const s = o as EndpointSlice;
    const ns = s.metadata.namespace ?? '';
    const id = svcKey(ns, s.metadata.name ?? '');
    const before = this.sliceOwner.get(id);
    if (before) {
      this.slices.get(before)?.delete(id);
      this.endpointMemo.delete(before);
      this.sliceOwner.delete(id);
    }
    const svc = s.metadata.labels?.[SERVICE_LABEL];
    if (!deleted && svc) {
      const key = svcKey(ns, svc);
      let m = this.slices.get(key);
      if (!m) this.slices.set(key, (m = new Map()));
      m.set(id, s);
      this.sliceOwner.set(id, key);
      this.endpointMemo.delete(key);
    }
    this.endpointRev = undefined;
    this.touch();
  }

  /** Applies a Pod event (pod IPs serve `pods verified` and reverse lookups). */
  pod(o: KObject, deleted: boolean): void {
    const p = o as Pod;
    const uid = p.metadata.uid ?? `${p.metadata.namespace}/${p.metadata.name}`;
    for (const m of this.podIPs.values()) m.delete(uid);
    const ips = (p.status?.podIPs ?? []).map((x) => x.ip).filter((x): x is string => !!x);
    if (p.status?.podIP && !ips.includes(p.status.podIP)) ips.push(p.status.podIP);
    if (!deleted && !p.spec?.hostNetwork) {
      for (const ip of ips) {
        let m = this.podIPs.get(ip);
        if (!m) this.podIPs.set(ip, (m = new Map()));
        m.set(uid, p.metadata.namespace ?? '');
      }
    }
    for (const [ip, m] of this.podIPs) if (m.size === 0) this.podIPs.delete(ip);
    this.touch();
  }

  /** Whether a namespace exists. */
  hasNamespace(ns: string): boolean {
    return this.namespaces.has(ns);
  }

  /** A Service by namespace and name. */
  getService(ns: string, name: string): Service | undefined {
    return this.services.get(svcKey(ns, name));
  }

  /** The ready endpoint addresses of a Service, over all its slices (IPv4/IPv6 slices only). */
  endpoints(ns: string, name: string): EndpointAddr[] {
    const key = svcKey(ns, name);
    const memo = this.endpointMemo.get(key);
    if (memo) return memo;
    const out: EndpointAddr[] = [];
    for (const s of this.slices.get(key)?.values() ?? []) {
      if (s.addressType === 'FQDN') continue;
      const ports = (s.ports ?? []).map((p) => ({ name: p.name ?? '', protocol: p.protocol ?? 'TCP', port: p.port ?? -1 }));
      if (ports.length === 0) ports.push({ name: '', protocol: '', port: -1 });
      for (const e of s.endpoints ?? []) {
        if (e.conditions?.ready === false) continue;
        for (const ip of e.addresses ?? []) out.push({ ip, hostname: e.hostname || dashedIP(ip), ports });
      }
    }
    this.endpointMemo.set(key, out);
    return out;
  }

  /** The Service (`ns/name`) whose cluster IP this is. */
  serviceForIP(ip: string): Service | undefined {
    const key = this.clusterIPs.get(ip);
    return key ? this.services.get(key) : undefined;
  }

  /** `[hostname, ns, service]` of every ready endpoint with this IP. */
  endpointsForIP(ip: string): [string, string, string][] {
    if (!this.endpointRev) {
      const rev = new Map<string, string[]>();
      for (const key of this.slices.keys()) {
        const [ns = '', name = ''] = key.split('/');
        for (const e of this.endpoints(ns, name)) {
          const list = rev.get(e.ip) ?? [];
          list.push(`${e.hostname}/${ns}/${name}`);
          rev.set(e.ip, list);
        }
      }
      this.endpointRev = rev;
    }
    return [...new Set(this.endpointRev.get(ip) ?? [])].map((s) => s.split('/') as [string, string, string]);
  }

  /** Namespaces of the pods using this IP. */
  podNamespaces(ip: string): string[] {
    return [...new Set(this.podIPs.get(ip)?.values() ?? [])];
  }
}
