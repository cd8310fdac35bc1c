/**
 * The addresses an ingress-nginx controller publishes in `status.loadBalancer.ingress` of the
 * Ingresses it serves (IN:internal/ingress/status/status.go `runningAddresses`,
 * `statusAddressFromService`): `--publish-status-address` when given, else the `--publish-service`
 * Service's addresses by type, else the addresses of the nodes its pods run on.
 */
import type { Ingress } from '../../api/kinds/ingress.js';
import type { ClusterView } from '../../client/view.js';
import { isIPv4 } from 'node:net';

/** One published address (an IngressLoadBalancerIngress without ports). */
export interface PublishedAddress { ip?: string; hostname?: string }

/** Where a controller's addresses come from. */
export interface PublishSource {
  /** `--publish-status-address`, comma-separated. */
  statusAddress?: string;
  /** `--publish-service` as `namespace/name`. */
  service?: string;
  /** The controller pods (`namespace/name`), for the node-address fallback. */
  pods: readonly string[];
}

/** An address with only the field it has. */
function address(ip: string | undefined, hostname: string | undefined): PublishedAddress {
  return ip ? { ip } : { hostname };
}

function toAddress(a: string): PublishedAddress {
  return isIPv4(a) || a.includes(':') ? { ip: a } : { hostname: a };
}

/** Sorts and de-duplicates addresses as upstream does (by IP or hostname). */
function sorted(list: PublishedAddress[]): PublishedAddress[] {
  const seen = new Map<string, PublishedAddress>();
  for (const a of list) seen.set(a.ip ?? a.hostname ?? '', a);
  return [...seen.entries()].filter(([k]) => k).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);
}

function split(key: string): [string, string] {
  const i = key.indexOf('/');
  return [key.slice(0, i), key.slice(i + 1)];
}

/** The addresses to publish now. */
export function publishedAddresses(view: ClusterView, src: PublishSource): PublishedAddress[] {
  if (src.statusAddress) return sorted(src.statusAddress.split(',').map((s) => s.trim()).filter(Boolean).map(toAddress));
  if (src.service) {
    const [ns, name] = split(src.service);
    const svc = view.services.get(ns, name);
    if (!svc) return [];
    const external = (svc.spec?.externalIPs ?? []).map(toAddress);
    switch (svc.spec?.type) {
      case 'ExternalName': return sorted([{ hostname: svc.spec.externalName }]);
      case 'LoadBalancer': return sorted([...(svc.status?.loadBalancer?.ingress ?? []).map((i) => address(i.ip, i.hostname)), ...external]);
      case 'NodePort': if (external.length) return sorted(external); break;
      default: return sorted([...(svc.spec?.clusterIP && svc.spec.clusterIP !== 'None' ? [{ ip: svc.spec.clusterIP }] : []), ...external]);
    }
  }
  const out: PublishedAddress[] = [];
  for (const key of src.pods) {
    const [ns, name] = split(key);
    const node = view.nodes.get('', view.pods.get(ns, name)?.spec?.nodeName ?? '');
    const addrs = node?.status?.addresses ?? [];
    const a = addrs.find((x) => x.type === 'ExternalIP') ?? addrs.find((x) => x.type === 'InternalIP');
    if (a) out.push({ ip: a.address });
  }
  return sorted(out);
}

/** An Ingress's current published addresses (ports dropped). */
export function currentAddresses(ing: Ingress): PublishedAddress[] {
  return (ing.status?.loadBalancer?.ingress ?? []).map((i) => address(i.ip, i.hostname));
}

/** Whether two address lists are the same. */
export function sameAddresses(a: readonly PublishedAddress[], b: readonly PublishedAddress[]): boolean {
  return a.length === b.length && a.every((x, i) => x.ip === b[i]?.ip && x.hostname === b[i]?.hostname);
}

/** Go's `%+v` of a []networking.IngressLoadBalancerIngress, as klog prints it (`[{IP:1.2.3.4 Hostname: Ports:[]}]`). */
export function formatAddresses(list: readonly PublishedAddress[]): string {
  return `[${list.map((a) => `{IP:${a.ip ?? ''} Hostname:${a.hostname ?? ''} Ports:[]}`).join(' ')}]`;
}
