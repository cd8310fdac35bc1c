/** The core/v1 Volume schema with its common sources typed and the rare legacy ones kept free-form. */
import { Obj, Opt, Str, Bool, Int32, Int64, List, StrMap, Free, Quantity, type Static } from '../schema.js';
import { LabelSelector } from '../meta.js';
import { LocalObjectReference, ObjectFieldSelector, ResourceFieldSelector, KeyToPath, atomic } from './pod-spec-common.js';

const C = 'io.k8s.api.core.v1.';
const items = Opt(List(KeyToPath, 'Keys to project and where; all keys when empty.', atomic));
const mode = (d: string) => Opt(Int32(d));

export const HostPathVolumeSource = Obj(C + 'HostPathVolumeSource', 'A file or directory on the node.', {
  path: Str('Path on the node.'),
  type: Opt(Str('Expected type of the path; empty means no check.')),
});

export const EmptyDirVolumeSource = Obj(C + 'EmptyDirVolumeSource', 'A scratch directory that lives as long as the pod.', {
  medium: Opt(Str('Storage medium: empty for the node default, or Memory.')),
  sizeLimit: Opt(Quantity),
});

export const ConfigMapVolumeSource = Obj(C + 'ConfigMapVolumeSource', 'Files made from the keys of a ConfigMap.', {
  name: Opt(Str('Name of the ConfigMap.')),
  items,
  defaultMode: mode('File mode bits for created files; defaults to 0644.'),
  optional: Opt(Bool('Whether the ConfigMap may be missing.')),
});

export const SecretVolumeSource = Obj(C + 'SecretVolumeSource', 'Files made from the keys of a Secret.', {
  secretName: Opt(Str('Name of the Secret.')),
  items,
  defaultMode: mode('File mode bits for created files; defaults to 0644.'),
  optional: Opt(Bool('Whether the Secret may be missing.')),
});

export const PersistentVolumeClaimVolumeSource = Obj(C + 'PersistentVolumeClaimVolumeSource', 'Mounts a PersistentVolumeClaim.', {
  claimName: Str('Name of the claim in the pod namespace.'),
  readOnly: Opt(Bool('Mount read-only.')),
});

export const DownwardAPIVolumeFile = Obj(C + 'DownwardAPIVolumeFile', 'One file holding a pod field or resource value.', {
  path: Str('Relative path of the file.'),
  fieldRef: Opt(ObjectFieldSelector),
  resourceFieldRef: Opt(ResourceFieldSelector),
  mode: mode('File mode bits.'),
});

export const DownwardAPIVolumeSource = Obj(C + 'DownwardAPIVolumeSource', 'Files holding pod metadata and resource values.', {
  items: Opt(List(DownwardAPIVolumeFile, 'Files to create.', atomic)),
  defaultMode: mode('File mode bits for created files; defaults to 0644.'),
});

const projection = (id: string, what: string, nameField: string) => Obj(C + id, `Projects the keys of a ${what}.`, {
  [nameField]: Opt(Str(`Name of the ${what}.`)),
  items,
  optional: Opt(Bool(`Whether the ${what} may be missing.`)),
});

export const VolumeProjection = Obj(C + 'VolumeProjection', 'One source of a projected volume.', {
  secret: Opt(projection('SecretProjection', 'Secret', 'name')),
  downwardAPI: Opt(Obj(C + 'DownwardAPIProjection', 'Projects pod fields.', { items: Opt(List(DownwardAPIVolumeFile, 'Files to create.', atomic)) })),
  configMap: Opt(projection('ConfigMapProjection', 'ConfigMap', 'name')),
  serviceAccountToken: Opt(Obj(C + 'ServiceAccountTokenProjection', 'A service account token.', {
    audience: Opt(Str('Intended audience of the token.')),
    expirationSeconds: Opt(Int64('Requested lifetime; defaults to one hour.')),
    path: Str('Relative file path of the token.'),
  })),
  clusterTrustBundle: Opt(Obj(C + 'ClusterTrustBundleProjection', 'Certificates from ClusterTrustBundles.', {
    name: Opt(Str('Bundle name.')),
    signerName: Opt(Str('Select bundles by signer.')),
    labelSelector: Opt(LabelSelector),
    optional: Opt(Bool('Whether the bundle may be missing.')),
    path: Str('Relative file path.'),
  })),
  podCertificate: Opt(Free('A certificate issued for the pod.', C + 'PodCertificateProjection')),
});

export const ProjectedVolumeSource = Obj(C + 'ProjectedVolumeSource', 'Several sources combined in one directory.', {
  sources: Opt(List(VolumeProjection, 'Sources to combine.', atomic)),
  defaultMode: mode('File mode bits for created files; defaults to 0644.'),
});

export const CSIVolumeSource = Obj(C + 'CSIVolumeSource', 'An inline volume provided by a CSI driver.', {
  driver: Str('Name of the CSI driver.'),
  readOnly: Opt(Bool('Mount read-only.')),
  fsType: Opt(Str('Filesystem type.')),
  volumeAttributes: Opt(StrMap('Driver-specific attributes.')),
  nodePublishSecretRef: Opt(LocalObjectReference),
});

export const NFSVolumeSource = Obj(C + 'NFSVolumeSource', 'An NFS export.', {
  server: Str('NFS server address.'),
  path: Str('Exported path.'),
  readOnly: Opt(Bool('Mount read-only.')),
});

export const ImageVolumeSource = Obj(C + 'ImageVolumeSource', 'An OCI image or artifact mounted as a volume.', {
  reference: Opt(Str('Image reference.')),
  pullPolicy: Opt(Str('Always, Never or IfNotPresent.')),
});

export const EphemeralVolumeSource = Obj(C + 'EphemeralVolumeSource', 'A claim created and deleted with the pod.', {
  volumeClaimTemplate: Opt(Free('Template of the PersistentVolumeClaim to create.', C + 'PersistentVolumeClaimTemplate')),
});

/** Rarely used, mostly deprecated in-tree sources accepted as free-form objects. */
const legacy = ['gcePersistentDisk', 'awsElasticBlockStore', 'gitRepo', 'iscsi', 'glusterfs', 'rbd', 'flexVolume', 'cinder',
  'cephfs', 'flocker', 'fc', 'azureFile', 'vsphereVolume', 'quobyte', 'azureDisk', 'photonPersistentDisk', 'portworxVolume',
  'scaleIO', 'storageos'] as const;
const old = (k: string) => Opt(Free(`The legacy ${k} volume source.`));

/** Every volume source field name, in upstream order of the common ones first. */
export const volumeSourceFields = ['hostPath', 'emptyDir', 'secret', 'nfs', 'persistentVolumeClaim', 'downwardAPI', 'configMap',
  'projected', 'csi', 'ephemeral', 'image', ...legacy] as const;

export const VolumeSchema = Obj(C + 'Volume', 'A named volume that containers of the pod may mount.', {
  name: Str('Volume name, a DNS label unique within the pod.'),
  hostPath: Opt(HostPathVolumeSource),
  emptyDir: Opt(EmptyDirVolumeSource),
  secret: Opt(SecretVolumeSource),
  nfs: Opt(NFSVolumeSource),
  persistentVolumeClaim: Opt(PersistentVolumeClaimVolumeSource),
  downwardAPI: Opt(DownwardAPIVolumeSource),
  configMap: Opt(ConfigMapVolumeSource),
  projected: Opt(ProjectedVolumeSource),
  csi: Opt(CSIVolumeSource),
  ephemeral: Opt(EphemeralVolumeSource),
  image: Opt(ImageVolumeSource),
  gcePersistentDisk: old('gcePersistentDisk'),
  awsElasticBlockStore: old('awsElasticBlockStore'),
  gitRepo: old('gitRepo'),
  iscsi: old('iscsi'),
  glusterfs: old('glusterfs'),
  rbd: old('rbd'),
  flexVolume: old('flexVolume'),
  cinder: old('cinder'),
  cephfs: old('cephfs'),
  flocker: old('flocker'),
  fc: old('fc'),
  azureFile: old('azureFile'),
  vsphereVolume: old('vsphereVolume'),
  quobyte: old('quobyte'),
  azureDisk: old('azureDisk'),
  photonPersistentDisk: old('photonPersistentDisk'),
  portworxVolume: old('portworxVolume'),
  scaleIO: old('scaleIO'),
  storageos: old('storageos'),
});
export type Volume = Static<typeof VolumeSchema>;
