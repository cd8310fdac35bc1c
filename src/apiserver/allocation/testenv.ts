/** An in-process store, registry and client with Service allocation hooks, for tests. */
import { Registry } from '../../api/registry.js';
import { allKinds } from '../../api/kinds/index.js';
import type { KObject } from '../../api/meta.js';
import { openStore } from '../../store/index.js';
import type { Store } from '../../store/types.js';
import { namespaceLifecycle } from '../admission.js';
import { createObject, updateObject } from '../storage/write.js';
import { getObject } from '../storage/read.js';
import { Client } from '../../client/client.js';
import { serviceAllocation, type ServiceAllocation } from './allocation.js';
import { composeHooks } from './compose.js';

/** A test environment. */
export interface AllocEnv {
  store: Store;
  registry: Registry;
  alloc: ServiceAllocation;
  client: Client;
  mk(manager: string): Client;
  /** Creates a Service with dryRun set. */
  dryCreate(svc: KObject): Promise<KObject>;
  /** Replaces a Service with dryRun set. */
  dryUpdate(svc: KObject): Promise<KObject>;
  close(): Promise<void>;
}

/** Opens an ephemeral store with `default` and `kube-system` namespaces (or reuses `store`). */
export async function allocEnv(store?: Store): Promise<AllocEnv> {
  const s = store ?? await openStore({ ephemeral: true });
  const registry = new Registry(allKinds);
  const alloc = serviceAllocation(s, { serviceCIDR: '10.96.0.0/12', nodePortRange: [30000, 32767] });
  alloc.repair();
  const hooks = composeHooks(namespaceLifecycle(s), alloc);
  const mk = (m: string) => new Client(s, registry, hooks, m);
  const client = mk('test');
  for (const ns of ['default', 'kube-system']) {
    if (!client.get({ resource: 'namespaces' }, '', ns)) await client.create({ resource: 'namespaces' }, { metadata: { name: ns } });
  }
  const def = client.def({ resource: 'services' });
  return {
    store: s, registry, alloc, client, mk,
    dryCreate: async (svc) => (await createObject(s, def, svc.metadata.namespace ?? 'default', structuredClone(svc), { dryRun: true }, hooks)).object,
    dryUpdate: async (svc) => {
      const old = getObject(s, def, svc.metadata.namespace ?? 'default', svc.metadata.name!);
      return (await updateObject(s, def, old, structuredClone(svc), { dryRun: true }, false, hooks)).object;
    },
    close: () => s.close(),
  };
}

/** A Service manifest. */
export function svc(name: string, spec: Record<string, unknown>, ns = 'default'): KObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns }, spec: { ports: [{ port: 80 }], selector: { app: name }, ...spec } };
}
