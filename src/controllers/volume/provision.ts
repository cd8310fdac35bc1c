/** Dynamic provisioning of in-memory volumes for claims of a class whose provisioner knet serves (as kind's local-path-provisioner). */
import type { PersistentVolume } from '../../api/kinds/pv.js';
import type { PersistentVolumeClaim } from '../../api/kinds/pvc.js';
import type { StorageClass } from '../../api/kinds/storageclass.js';
import { ANNOTATION_PROVISIONED_BY } from '../../api/kinds/storage-common.js';
import { LABEL_HOSTNAME } from '../../api/wellknown.js';
import { LOCAL_PATH_PROVISIONER } from '../bootstrap/storage.js';

/** Provisioners knet serves itself: kind's local-path one and knet's own name. */
export const KNET_PROVISIONERS = new Set([LOCAL_PATH_PROVISIONER, 'knet.dev/memory']);

/** The name upstream gives a provisioned volume: `pvc-<claim uid>`. */
export function provisionedVolumeName(pvc: PersistentVolumeClaim): string {
  return `pvc-${pvc.metadata.uid ?? ''}`;
}

/** The PersistentVolume provisioned for a claim of `sc`, pre-bound to it and pinned to `node` when the class waits for a consumer. */
export function provisionVolume(pvc: PersistentVolumeClaim, sc: StorageClass, node: string | undefined): PersistentVolume {
  const ns = pvc.metadata.namespace ?? '', name = pvc.metadata.name ?? '';
  const vol = provisionedVolumeName(pvc);
  return {
    apiVersion: 'v1', kind: 'PersistentVolume',
    metadata: { name: vol, annotations: { [ANNOTATION_PROVISIONED_BY]: sc.provisioner } },
    spec: {
      capacity: { storage: pvc.spec?.resources?.requests?.['storage'] ?? '0' },
      accessModes: [...(pvc.spec?.accessModes ?? [])],
      claimRef: { kind: 'PersistentVolumeClaim', namespace: ns, name, uid: pvc.metadata.uid, apiVersion: 'v1', resourceVersion: pvc.metadata.resourceVersion },
      persistentVolumeReclaimPolicy: sc.reclaimPolicy ?? 'Delete',
      storageClassName: sc.metadata.name,
      volumeMode: pvc.spec?.volumeMode ?? 'Filesystem',
      hostPath: { path: `/var/local-path-provisioner/${vol}_${ns}_${name}`, type: 'DirectoryOrCreate' },
      ...(node ? { nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: LABEL_HOSTNAME, operator: 'In', values: [node] }] }] } } } : {}),
      ...(sc.mountOptions ? { mountOptions: [...sc.mountOptions] } : {}),
    },
  };
}
