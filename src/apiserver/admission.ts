/** Admission checks that need other objects: namespaces must exist and not be terminating. */
import { errors, StatusError } from '../api/errors.js';
import type { KObject } from '../api/meta.js';
import type { ResourceDef } from '../api/resource.js';
import type { Store } from '../store/types.js';
import type { WriteHooks } from './storage/write.js';

/** Namespaces the NamespaceLifecycle plugin never lets go (its immortalNamespaces: default, kube-system, kube-public). */
export const IMMORTAL_NAMESPACES: ReadonlySet<string> = new Set(['default', 'kube-system', 'kube-public']);

/** The NamespaceLifecycle admission plugin. */
export function namespaceLifecycle(store: Store): WriteHooks {
  return {
    admitDelete(def: ResourceDef, obj: KObject) {
      if (def.kind === 'Namespace' && !def.group && IMMORTAL_NAMESPACES.has(obj.metadata.name ?? '')) {
        throw errors.forbidden(`namespaces "${obj.metadata.name}" is forbidden: this namespace may not be deleted`);
      }
    },
    admitCreate(def: ResourceDef, obj: KObject) {
      if (!def.namespaced) return;
      const ns = obj.metadata.namespace ?? '';
      const nsObj = store.get(`/core/namespaces//${ns}`);
      if (!nsObj) throw errors.notFound('namespaces', ns);
      if (nsObj.metadata.deletionTimestamp) {
        throw new StatusError({
          kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'Forbidden', code: 403,
          message: `${def.plural}${def.group ? '.' + def.group : ''} "${obj.metadata.name ?? obj.metadata.generateName ?? ''}" is forbidden: unable to create new content in namespace ${ns} because it is being terminated`,
          details: { name: obj.metadata.name, ...(def.group ? { group: def.group } : {}), kind: def.plural, causes: [{ reason: 'NamespaceTerminating', message: `namespace ${ns} is being terminated`, field: 'metadata.namespace' }] },
        });
      }
    },
  };
}
