/**
 * Canonical v1 Endpoints subsets (RepackSubsets/SortSubsets): addresses grouped by the exact set of
 * ports they serve, sorted as kube-controller-manager sorts them; and truncation beyond 1000 addresses.
 */
import type { Endpoints } from '../../api/kinds/endpoints.js';
import { corePortHash, subsetHash } from '../endpointslice/gohash.js';

/** One subset. */
export type Subset = NonNullable<Endpoints['subsets']>[number];
/** One address. */
export type Address = NonNullable<Subset['addresses']>[number];
/** One port. */
export type Port = NonNullable<Subset['ports']>[number];

/** Most addresses an Endpoints object holds before it is truncated. */
export const MAX_CAPACITY = 1000;

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const addrKey = (a: Address) => `${a.ip}\u0000${(a.targetRef?.uid as string | undefined) ?? ''}`;
const portKey = (p: Port | undefined) => (p ? JSON.stringify([p.name ?? '', p.port, p.protocol ?? '', p.appProtocol ?? null]) : '-');

/** LessEndpointAddress: by IP bytes, then target UID (no target first). */
export function compareAddresses(a: Address, b: Address): number {
  const c = Buffer.compare(Buffer.from(a.ip), Buffer.from(b.ip));
  if (c !== 0) return c;
  if (!b.targetRef) return a.targetRef ? 1 : 0;
  if (!a.targetRef) return -1;
  return cmp(String(a.targetRef.uid ?? ''), String(b.targetRef.uid ?? ''));
}

/** Regroups and sorts subsets. */
export function repackSubsets(subsets: Subset[]): Subset[] {
  const addrs = new Map<string, Address>();
  const byPort = new Map<string, { port: Port | undefined; ready: Map<string, boolean> }>();
  const mapAddr = (a: Address, port: Port | undefined, ready: boolean) => {
    const k = addrKey(a);
    if (!addrs.has(k)) addrs.set(k, a);
    const pk = portKey(port);
    let e = byPort.get(pk);
    if (!e) byPort.set(pk, (e = { port, ready: new Map() }));
    if (!e.ready.get(k)) e.ready.set(k, ready);
  };
  for (const ss of subsets) {
    const ports: (Port | undefined)[] = ss.ports?.length ? ss.ports : [undefined];
    for (const p of ports) {
      for (const a of ss.addresses ?? []) mapAddr(a, p, true);
      for (const a of ss.notReadyAddresses ?? []) mapAddr(a, p, false);
    }
  }
  const groups = new Map<string, { ready: Map<string, boolean>; ports: Port[] | undefined }>();
  for (const { port, ready } of byPort.values()) {
    const gk = [...ready].map(([k, r]) => `${k}\u0000${r}`).sort().join('\n');
    let g = groups.get(gk);
    if (!g) groups.set(gk, (g = { ready, ports: undefined }));
    if (port) (g.ports ??= []).push(port);
  }
  const out: Subset[] = [];
  for (const g of groups.values()) {
    const ss: Subset = {};
    const ready = [...g.ready].filter(([, r]) => r).map(([k]) => addrs.get(k)!).sort(compareAddresses);
    const notReady = [...g.ready].filter(([, r]) => !r).map(([k]) => addrs.get(k)!).sort(compareAddresses);
    if (ready.length) ss.addresses = ready;
    if (notReady.length) ss.notReadyAddresses = notReady;
    if (g.ports) ss.ports = g.ports.map((p) => [corePortHash(p), p] as const).sort((a, b) => cmp(a[0], b[0])).map(([, p]) => p);
    out.push(ss);
  }
  return out.map((s) => [subsetHash(s), s] as const).sort((a, b) => cmp(a[0], b[0])).map(([, s]) => s);
}

/** Number of addresses in subsets. */
export function countAddresses(subsets: Subset[]): number {
  return subsets.reduce((n, s) => n + (s.addresses?.length ?? 0) + (s.notReadyAddresses?.length ?? 0), 0);
}

/** truncateEndpoints: keeps at most MAX_CAPACITY addresses, ready ones first, in proportion per subset; true when it truncated. */
export function truncateSubsets(subsets: Subset[]): boolean {
  const totalReady = subsets.reduce((n, s) => n + (s.addresses?.length ?? 0), 0);
  const totalNotReady = subsets.reduce((n, s) => n + (s.notReadyAddresses?.length ?? 0), 0);
  if (totalReady + totalNotReady <= MAX_CAPACITY) return false;
  const truncateReady = totalReady > MAX_CAPACITY;
  const max = truncateReady ? MAX_CAPACITY : MAX_CAPACITY - totalReady;
  const numTotal = truncateReady ? totalReady : totalNotReady;
  let canBeAdded = max;
  for (const s of subsets) {
    const inSubset = truncateReady ? s.addresses?.length ?? 0 : s.notReadyAddresses?.length ?? 0;
    const n = Math.min(Math.ceil((inSubset / numTotal) * max), canBeAdded);
    if (truncateReady) {
      if (s.addresses) s.addresses = s.addresses.slice(0, n);
      delete s.notReadyAddresses;
      canBeAdded -= s.addresses?.length ?? 0;
    } else {
      if (s.notReadyAddresses) s.notReadyAddresses = s.notReadyAddresses.slice(0, n);
      canBeAdded -= s.notReadyAddresses?.length ?? 0;
    }
  }
  return true;
}
