/**
 * Service allocation as write hooks (kube-apiserver's service REST storage): ClusterIPs from the
 * service CIDR, node ports and health-check node ports, with the upstream messages, dry-run
 * behaviour and type-change rules. Releases happen after a committed write that drops a value.
 */
import type { KObject } from '../../api/meta.js';
import type { ResourceDef } from '../../api/resource.js';
import type { Service, ServiceSpec } from '../../api/kinds/service-schema.js';
import type { WriteHooks } from '../storage/write.js';
import type { Store } from '../../store/types.js';
import { checkIPFamilies } from './families.js';
import { heldBy, needsHealthCheck, type Held } from './held.js';
import { allocHealthCheckNodePort, initNodePorts, updateNodePorts } from './nodeports.js';
import { allocClusterIPs, Operation } from './operation.js';
import { PortAllocator } from './ports.js';
import { ServiceIPAllocator } from './service-ips.js';

/** Allocator settings. */
export interface ServiceAllocationOptions {
  serviceCIDR?: string;
  nodePortRange?: [number, number];
  /** Random source (tests). */
  random?: () => number;
}

/** The write hooks plus a way to rebuild the allocators from stored Services. */
export type ServiceAllocation = WriteHooks & {
  /** Rebuilds the allocators from the Services in the store (call at start). */
  repair(): void;
  /** The current allocators (read-only use: inspection and tests). */
  readonly allocators: { ips: ServiceIPAllocator; ports: PortAllocator };
};

const isService = (def: ResourceDef): boolean => def.kind === 'Service' && def.group === '';

/** Creates the Service allocation hooks for one cluster. */
export function serviceAllocation(store: Store, opts: ServiceAllocationOptions = {}): ServiceAllocation {
  const cidr = opts.serviceCIDR ?? '10.96.0.0/12';
  const [min, max] = opts.nodePortRange ?? [30000, 32767];
  const make = () => ({ ips: new ServiceIPAllocator(cidr, opts.random), ports: new PortAllocator(min, max, opts.random) });
  let al = make();
  /** Reservations of writes in flight, keyed by the spec object the pipeline carries through. */
  const pending = new WeakMap<object, Operation>();

  const run = (svc: Service, dryRun: boolean, body: (spec: ServiceSpec, op: Operation) => void) => {
    const spec = (svc.spec ??= {});
    const op = new Operation(dryRun, al);
    try { body(spec, op); } catch (e) { op.revert(); throw e; }
    pending.set(spec, op);
  };

  const release = (h: Held, keep: Held) => {
    for (const ip of h.ips) if (!keep.ips.includes(ip)) al.ips.release(ip);
    for (const p of h.ports) if (!keep.ports.includes(p)) al.ports.release(p);
  };

  return {
    get allocators() { return al; },

    beforeCreate(def: ResourceDef, obj: KObject, dryRun: boolean) {
      if (!isService(def)) return;
      const svc = obj as Service;
      checkIPFamilies(svc);
      run(svc, dryRun, (spec, op) => {
        allocClusterIPs(svc, spec, op, al.ips);
        if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') initNodePorts(svc, spec, op);
        if (needsHealthCheck(spec)) allocHealthCheckNodePort(spec, op);
      });
    },

    beforeUpdate(def: ResourceDef, obj: KObject, oldObj: KObject, dryRun: boolean) {
      if (!isService(def)) return;
      const svc = obj as Service;
      const old = (oldObj as Service).spec ?? {};
      if (svc.metadata.deletionTimestamp && !svc.metadata.finalizers?.length) return;
      checkIPFamilies(svc);
      run(svc, dryRun, (spec, op) => {
        if (old.type === 'ExternalName' && spec.type !== 'ExternalName') allocClusterIPs(svc, spec, op, al.ips);
        if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') updateNodePorts(svc, spec, old, op);
        if (!needsHealthCheck(old) && needsHealthCheck(spec)) allocHealthCheckNodePort(spec, op);
      });
    },

    afterWrite(def: ResourceDef, obj: KObject | undefined, old: KObject | undefined) {
      if (!isService(def)) return;
      if (obj?.spec) pending.delete(obj.spec);
      if (old) release(heldBy(old as Service), heldBy(obj as Service | undefined));
    },

    writeAborted(def: ResourceDef, obj: KObject) {
      if (!isService(def) || !obj.spec) return;
      const op = pending.get(obj.spec);
      pending.delete(obj.spec);
      op?.revert();
    },

    repair() {
      al = make();
      for (const o of store.list('/core/services/').items) {
        const h = heldBy(o as Service);
        for (const ip of h.ips) { try { al.ips.allocate(ip); } catch { /* outside the range or a duplicate */ } }
        for (const p of h.ports) { try { al.ports.allocate(p); } catch { /* outside the range or a duplicate */ } }
      }
    },
  };
}
