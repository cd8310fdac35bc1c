/**
 * The part of the ServiceAccount admission plugin that needs the store: a pod that does not say
 * whether to mount the API token gets none when its service account says
 * `automountServiceAccountToken: false` (the volume and mounts added by the pod's own admission,
 * api/kinds/pod-admission.ts, are taken back).
 */
import type { KObject } from '../api/meta.js';
import type { ResourceDef } from '../api/resource.js';
import type { Store } from '../store/types.js';
import type { WriteHooks } from './storage/write.js';

interface PodSpecLite {
  serviceAccountName?: string;
  automountServiceAccountToken?: boolean;
  volumes?: { name: string }[];
  containers?: { volumeMounts?: { name: string }[] }[];
  initContainers?: { volumeMounts?: { name: string }[] }[];
}

/** The write hook. */
export function serviceAccountAdmission(store: Store): WriteHooks {
  return {
    mutateCreate(def: ResourceDef, obj: KObject) {
      if (def.kind !== 'Pod' || def.group !== '') return undefined;
      const spec = (obj['spec'] ?? {}) as PodSpecLite;
      if (spec.automountServiceAccountToken !== undefined) return undefined;
      const sa = store.get(`/core/serviceaccounts/${obj.metadata.namespace ?? ''}/${spec.serviceAccountName ?? 'default'}`);
      if (sa?.['automountServiceAccountToken'] !== false) return undefined;
      const vol = spec.volumes?.find((v) => v.name.startsWith('kube-api-access-'))?.name;
      if (!vol) return undefined;
      return (o: KObject) => {
        const s = o['spec'] as PodSpecLite;
        s.volumes = s.volumes?.filter((v) => v.name !== vol);
        if (!s.volumes?.length) delete s.volumes;
        for (const c of [...(s.containers ?? []), ...(s.initContainers ?? [])]) {
          c.volumeMounts = c.volumeMounts?.filter((m) => m.name !== vol);
          if (!c.volumeMounts?.length) delete c.volumeMounts;
        }
      };
    },
  };
}
