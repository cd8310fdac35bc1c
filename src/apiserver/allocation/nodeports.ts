/** Node-port and health-check node-port allocation for one write (initNodePorts, updateNodePorts). */
import { errors } from '../../api/errors.js';
import type { Service, ServiceSpec } from '../../api/kinds/service-schema.js';
import { portNodePorts, reorderSpec, shouldAllocateNodePorts } from './held.js';
import { PortAllocationError } from './ports.js';
import { invalid, type Operation } from './operation.js';

function findRequestedNodePort(port: number | undefined, spec: ServiceSpec): number {
  return spec.ports?.find((p) => p.port === port && p.nodePort)?.nodePort ?? 0;
}

function portError(svc: Service, i: number, port: number, e: unknown): unknown {
  return e instanceof PortAllocationError ? invalid(svc, `spec.ports[${i}].nodePort`, port, e.message) : e;
}

/** initNodePorts: requested node ports honoured, others allocated; equal port numbers share one node port. */
export function initNodePorts(svc: Service, spec: ServiceSpec, op: Operation): void {
  const byPort = new Map<number, number>();
  for (const [i, sp] of (spec.ports ?? []).entries()) {
    if (!sp.nodePort && !shouldAllocateNodePorts(spec)) continue;
    const shared = byPort.get(sp.port ?? 0) ?? 0;
    if (!shared) {
      const np = findRequestedNodePort(sp.port, spec);
      if (np) {
        try { op.allocatePort(np); } catch (e) { throw portError(svc, i, np, e); }
        sp.nodePort = np;
      } else {
        try { sp.nodePort = op.nextPort(); } catch (e) { throw errors.internal(`failed to allocate a nodePort: ${(e as Error).message}`); }
      }
      byPort.set(sp.port ?? 0, sp.nodePort);
    } else if (sp.nodePort !== shared) {
      if (!sp.nodePort) sp.nodePort = shared;
      else {
        const np = sp.nodePort;
        try { op.allocatePort(np); } catch (e) { throw portError(svc, i, np, e); }
      }
    }
  }
}

/** updateNodePorts: new node ports not held before are reserved, missing ones allocated. */
export function updateNodePorts(svc: Service, spec: ServiceSpec, old: ServiceSpec, op: Operation): void {
  const oldPorts = portNodePorts(old);
  const taken = new Set<number>();
  for (const [i, sp] of (spec.ports ?? []).entries()) {
    if (!sp.nodePort && !shouldAllocateNodePorts(spec)) continue;
    if (sp.nodePort) {
      const np = sp.nodePort;
      if (oldPorts.includes(np) || taken.has(np)) continue;
      try { op.allocatePort(np); } catch (e) { throw portError(svc, i, np, e); }
      taken.add(np);
    } else {
      try { sp.nodePort = op.nextPort(); } catch (e) { throw errors.internal(`failed to allocate a nodePort: ${(e as Error).message}`); }
    }
  }
}

/** allocHealthCheckNodePort: the requested port or a new one; failures are internal errors. */
export function allocHealthCheckNodePort(spec: ServiceSpec, op: Operation): void {
  const requested = spec.healthCheckNodePort ?? 0;
  if (requested) {
    try { op.allocatePort(requested); } catch (e) {
      throw errors.internal(`failed to allocate requested HealthCheck NodePort ${requested}: ${(e as Error).message}`);
    }
    return;
  }
  try { spec.healthCheckNodePort = op.nextPort(); } catch (e) {
    throw errors.internal(`failed to allocate a HealthCheck NodePort 0: ${(e as Error).message}`);
  }
  reorderSpec(spec);
}
