/** Small core/v1 reference and selector types shared by pods, volumes, events and nodes. */
import { Obj, Opt, Str, Bool, Int32, Quantity, type KOptions } from '../schema.js';

const C = 'io.k8s.api.core.v1.';

/** Extension set for a list merged by one key (SMP) that is also a list-map (SSA). */
export function mergeList(key: string, mapKeys: string[] = [key], extra: KOptions = {}): KOptions {
  return {
    'x-kubernetes-patch-strategy': 'merge', 'x-kubernetes-patch-merge-key': key,
    'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': mapKeys, ...extra,
  };
}

/** Extension set for an atomic list (replaced whole). */
export const atomic: KOptions = { 'x-kubernetes-list-type': 'atomic' };

export const LocalObjectReference = Obj(C + 'LocalObjectReference', 'Names another object in the same namespace.', {
  name: Opt(Str('Name of the referenced object.')),
}, { 'x-kubernetes-map-type': 'atomic' });

export const ObjectReference = Obj(C + 'ObjectReference', 'Points at any object, optionally at a field inside it.', {
  kind: Opt(Str('Kind of the referenced object.')),
  namespace: Opt(Str('Namespace of the referenced object.')),
  name: Opt(Str('Name of the referenced object.')),
  uid: Opt(Str('UID of the referenced object.')),
  apiVersion: Opt(Str('API version of the referenced object.')),
  resourceVersion: Opt(Str('Resource version the reference was made against.')),
  fieldPath: Opt(Str('Path to a part of the object, such as spec.containers{name}.')),
}, { 'x-kubernetes-map-type': 'atomic' });

export const ObjectFieldSelector = Obj(C + 'ObjectFieldSelector', 'Selects a field of the pod.', {
  apiVersion: Opt(Str('Schema version the field path is written in; defaults to v1.')),
  fieldPath: Str('Path of the field to select.'),
}, { 'x-kubernetes-map-type': 'atomic' });

export const ResourceFieldSelector = Obj(C + 'ResourceFieldSelector', 'Selects a container resource limit or request.', {
  containerName: Opt(Str('Container to read; required for volumes, optional for env.')),
  resource: Str('Resource to select, such as limits.cpu.'),
  divisor: Opt(Quantity),
}, { 'x-kubernetes-map-type': 'atomic' });

export const ConfigMapKeySelector = Obj(C + 'ConfigMapKeySelector', 'Selects one key of a ConfigMap.', {
  name: Opt(Str('Name of the ConfigMap.')),
  key: Str('Key to read.'),
  optional: Opt(Bool('Whether the ConfigMap or key may be missing.')),
}, { 'x-kubernetes-map-type': 'atomic' });

export const SecretKeySelector = Obj(C + 'SecretKeySelector', 'Selects one key of a Secret.', {
  name: Opt(Str('Name of the Secret.')),
  key: Str('Key to read.'),
  optional: Opt(Bool('Whether the Secret or key may be missing.')),
}, { 'x-kubernetes-map-type': 'atomic' });

export const FileKeySelector = Obj(C + 'FileKeySelector', 'Selects a key from an env file in a volume.', {
  volumeName: Str('Volume holding the file.'),
  path: Str('Path of the file inside the volume.'),
  key: Str('Key to read.'),
  optional: Opt(Bool('Whether the file or key may be missing.')),
}, { 'x-kubernetes-map-type': 'atomic' });

export const KeyToPath = Obj(C + 'KeyToPath', 'Projects one key to a file path.', {
  key: Str('Key to project.'),
  path: Str('Relative file path to write the key to.'),
  mode: Opt(Int32('File mode bits for this file.')),
});
