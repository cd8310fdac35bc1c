/**
 * The DNS view of the cluster: Services, EndpointSlices, Pods and Namespaces come from the cluster
 * view, whose events arrive synchronously (so a change is visible to the next query). Per-Service
 * endpoint lists and the reverse (IP → names) maps are derived and memoized here.
 */
import type { Service } from '../../../../api/kinds/service-schema.js';
import type { EndpointSlice } from '../../../../api/kinds/endpointslice.js';
import { keyOf, splitKey } from '../../../../client/informer.js';
import { sliceService } from '../../../../client/indexers.js';
import { PODS_BY_IP, SLICES_BY_SERVICE, type ClusterView } from '../../../../client/view.js';

/** A ready endpoint address of a Service with the ports of its slice. */
export interface EndpointAddr {
  ip: string;
  /** The endpoint's hostname, or the dashed IP (CoreDNS's system-assigned id). */
  hostname: string;
  ports: { name: string; protocol: string; port: number }[];
}

/** CoreDNS's id for an endpoint without hostname: the IP with `.`/`:` turned into `-`. */
export function dashedIP(ip: string): string {
  const s = ip.replace(/[.:]/g, '-');
  return s.endsWith('-') ? s + '0' : s;
}

function svcKey(ns: string, name: string): string {
  return `${ns}/${name}`;
}

const clusterIPsOf = (s: Service): string[] => (s.spec?.clusterIPs ?? [s.spec?.clusterIP ?? '']).filter((ip) => ip && ip !== 'None');

/** Cluster objects as DNS looks them up. */
export class ClusterCache {
  /** Bumped on every change (answer caches compare it). */
  generation = 0;
  /** Unix seconds of the last change (the SOA serial). */
  modified = Math.floor(Date.now() / 1000);
  private readonly endpointMemo = new Map<string, EndpointAddr[]>();
  private readonly clusterIPs = new Map<string, string>();
  private endpointRev: Map<string, string[]> | undefined;
  private readonly unsubscribe: (() => void)[];

  /** Subscribes to the view's Namespaces, Services, EndpointSlices and Pods. */
  constructor(private readonly view: ClusterView) {
    const touch = () => this.touch();
    const slice = (s: EndpointSlice) => this.slice(s);
    this.unsubscribe = [
      view.namespaces.subscribe({ add: touch, update: touch, delete: touch }),
      view.services.subscribe({ add: (s) => this.service(undefined, s), update: (a, b) => this.service(a, b), delete: (s) => this.service(s, undefined) }),
      view.endpointSlices.subscribe({ add: slice, update: (a, b) => { this.slice(a); this.slice(b); }, delete: slice }),
      view.pods.subscribe({ add: touch, update: touch, delete: touch }),
    ];
  }

  /** Stops following the view. */
  stop(): void {
    for (const off of this.unsubscribe.splice(0)) off();
  }

  private touch(): void {
    this.generation++;
    this.modified = Math.floor(Date.now() / 1000);
  }

  private service(before: Service | undefined, after: Service | undefined): void {
    const key = keyOf((after ?? before)!);
    for (const ip of before ? clusterIPsOf(before) : []) if (this.clusterIPs.get(ip) === key) this.clusterIPs.delete(ip);
    for (const ip of after ? clusterIPsOf(after) : []) this.clusterIPs.set(ip, key);
    this.touch();
  }

  /** A slice changed (called with its state before and after): its Service's endpoints are recomputed on the next lookup. */
  private slice(s: EndpointSlice): void {
    for (const key of sliceService(s)) this.endpointMemo.delete(key);
    this.endpointRev = undefined;
    this.touch();
  }

  /** Whether a namespace exists. */
  hasNamespace(ns: string): boolean {
    return this.view.namespaces.get('', ns) !== undefined;
  }

  /** A Service by namespace and name. */
  getService(ns: string, name: string): Service | undefined {
    return this.view.services.get(ns, name);
  }

  /** The ready endpoint addresses of a Service, over all its slices (IPv4/IPv6 slices only). */
  endpoints(ns: string, name: string): EndpointAddr[] {
    const key = svcKey(ns, name);
    const memo = this.endpointMemo.get(key);
    if (memo) return memo;
    const out: EndpointAddr[] = [];
    for (const s of this.view.endpointSlices.byIndex(SLICES_BY_SERVICE, key)) {
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
    return key ? this.view.services.get(...splitKey(key)) : undefined;
  }

  /** `[hostname, ns, service]` of every ready endpoint with this IP. */
  endpointsForIP(ip: string): [string, string, string][] {
    if (!this.endpointRev) {
      const rev = new Map<string, string[]>();
      for (const key of this.view.endpointSlices.indexKeys(SLICES_BY_SERVICE)) {
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
    return [...new Set(this.view.pods.byIndex(PODS_BY_IP, ip).filter((p) => !p.spec?.hostNetwork).map((p) => p.metadata.namespace ?? ''))];
  }
}
