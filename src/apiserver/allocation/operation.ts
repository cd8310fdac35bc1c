/** One write's reservations (a port-allocation operation) and ClusterIP allocation for it. */
import { errors, field, type StatusError } from '../../api/errors.js';
import { GoValue, goStringSlice } from '../../api/gofmt.js';
import type { Service, ServiceSpec } from '../../api/kinds/service-schema.js';
import { headless, reorderSpec } from './held.js';
import { PortAllocationError, type PortAllocator } from './ports.js';
import { IPAllocationError, type ServiceIPAllocator } from './service-ips.js';

/** One write's reservations: what to give back if the write does not happen. */
export class Operation {
  readonly ips: string[] = [];
  readonly ports: number[] = [];
  constructor(readonly dryRun: boolean, private readonly al: { ips: ServiceIPAllocator; ports: PortAllocator }) {}

  /** Reserves a given port (dry run: only checks it is free). */
  allocatePort(port: number): void {
    if (this.dryRun) {
      if (this.al.ports.has(port) || this.ports.includes(port)) throw new PortAllocationError('allocated', 'provided port is already allocated');
    } else this.al.ports.allocate(port);
    this.ports.push(port);
  }

  /** Reserves any port (dry run: a free one in the range, reserving nothing, so `kubectl diff` shows a real-looking value). */
  nextPort(): number {
    const port = this.dryRun ? this.al.ports.pickNext(this.ports) : this.al.ports.allocateNext();
    this.ports.push(port);
    return port;
  }

  /** Gives back everything this operation reserved. */
  revert(): void {
    if (this.dryRun) return;
    for (const ip of this.ips) this.al.ips.release(ip);
    for (const p of this.ports) this.al.ports.release(p);
  }
}

/** A 422 for one field of a Service. */
export function invalid(svc: Service, path: string, value: unknown, detail: string): StatusError {
  return errors.invalid('Service', svc.metadata.name ?? '', [field.invalid(path, value, detail)]);
}

/** allocClusterIPs: the requested address or a new one (dry run: range check only, or the network address). */
export function allocClusterIPs(svc: Service, spec: ServiceSpec, op: Operation, ips: ServiceIPAllocator): void {
  if (spec.type === 'ExternalName' || headless(spec)) return;
  const requested = spec.clusterIPs?.[0] ?? spec.clusterIP ?? '';
  if (!requested) {
    let ip: string;
    if (op.dryRun) ip = ips.network;
    else {
      try { ip = ips.allocateNext(); } catch (e) { throw errors.internal(`failed to allocate a serviceIP: ${(e as Error).message}`); }
      op.ips.push(ip);
    }
    spec.clusterIP = ip;
    spec.clusterIPs = [ip];
    reorderSpec(spec);
    return;
  }
  const fail = (e: Error) => invalid(svc, 'spec.clusterIPs', new GoValue(goStringSlice(spec.clusterIPs)), `failed to allocate IP ${requested}: ${e.message}`);
  if (op.dryRun) {
    const bad = ips.checkRange(requested);
    if (bad) throw fail(bad);
    return;
  }
  try { ips.allocate(requested); } catch (e) {
    if (e instanceof IPAllocationError) throw fail(e);
    throw e;
  }
  op.ips.push(requested);
}
