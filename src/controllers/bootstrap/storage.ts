/** The default StorageClass every cluster starts with, as kind installs it (local-path-provisioner's `standard`). */
import type { KObject } from '../../api/meta.js';
import { ANNOTATION_IS_DEFAULT_STORAGE_CLASS } from '../../api/kinds/storage-common.js';

/** The provisioner name kind's default class uses; knet's volume controller provisions its claims in memory. */
export const LOCAL_PATH_PROVISIONER = 'rancher.io/local-path';

/** The `standard` StorageClass: default, WaitForFirstConsumer, reclaim Delete. */
export function standardStorageClass(): KObject {
  return {
    apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass',
    metadata: { name: 'standard', annotations: { [ANNOTATION_IS_DEFAULT_STORAGE_CLASS]: 'true' } },
    provisioner: LOCAL_PATH_PROVISIONER, reclaimPolicy: 'Delete', volumeBindingMode: 'WaitForFirstConsumer',
  } as KObject;
}
