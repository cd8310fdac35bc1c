/**
 * Two storage admission plugins of kube-apiserver: DefaultStorageClass
 * (plugin/pkg/admission/storage/storageclass/setdefault: a new PersistentVolumeClaim that names no
 * class gets the StorageClass marked default) and StorageObjectInUseProtection
 * (plugin/pkg/admission/storage/storageobjectinuseprotection: new claims and volumes get the
 * `kubernetes.io/pvc-protection` / `kubernetes.io/pv-protection` finalizer).
 */
import type { KObject } from '../api/meta.js';
import type { ResourceDef } from '../api/resource.js';
import { storeKey } from '../api/registry.js';
import { ANNOTATION_BETA_STORAGE_CLASS, FINALIZER_PV_PROTECTION, FINALIZER_PVC_PROTECTION, isDefaultStorageClass } from '../api/kinds/storage-common.js';
import type { Store } from '../store/types.js';
import type { WriteHooks } from './storage/write.js';
import { pickNewestDefault } from './default-ingress-class.js';

const STORAGE_CLASSES = { group: 'storage.k8s.io', plural: 'storageclasses' };

/** The default class's name for a claim being created, or undefined when it names one (even "") or none is marked default. */
function defaultClassFor(store: Store, obj: KObject): string | undefined {
  if ((obj.spec as { storageClassName?: string } | undefined)?.storageClassName !== undefined) return undefined;
  if (Object.hasOwn(obj.metadata.annotations ?? {}, ANNOTATION_BETA_STORAGE_CLASS)) return undefined;
  return pickNewestDefault(store.list(storeKey(STORAGE_CLASSES, '')).items, isDefaultStorageClass)?.metadata.name;
}

/** Sets spec.storageClassName of a claim being created (DefaultStorageClass) and the protection finalizers of claims and volumes. */
export function storageAdmission(store: Store): WriteHooks {
  return {
    mutateCreate(def: ResourceDef, obj: KObject) {
      if (def.group !== '' || (def.plural !== 'persistentvolumeclaims' && def.plural !== 'persistentvolumes')) return undefined;
      const finalizer = def.plural === 'persistentvolumes' ? FINALIZER_PV_PROTECTION : FINALIZER_PVC_PROTECTION;
      const name = def.plural === 'persistentvolumeclaims' ? defaultClassFor(store, obj) : undefined;
      const protect = !(obj.metadata.finalizers ?? []).includes(finalizer);
      if (!name && !protect) return undefined;
      return (o) => {
        if (name) o.spec = { ...(o.spec ?? {}), storageClassName: name };
        if (protect) o.metadata.finalizers = [...(o.metadata.finalizers ?? []), finalizer];
      };
    },
  };
}
