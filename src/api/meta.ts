/** Schemas of the shared meta.k8s.io/v1 types (ObjectMeta, LabelSelector, …) and the base object type. */
import { Obj, Opt, Str, Int64, Bool, List, StrMap, Free, Time, Type, type Static, type TSchema } from './schema.js';

const M = 'io.k8s.apimachinery.pkg.apis.meta.v1.';

export const OwnerReference = Obj(M + 'OwnerReference', 'Names an object that owns this one; the owner is deleted first and its dependents are garbage collected.', {
  apiVersion: Str('API version of the owner.'),
  kind: Str('Kind of the owner.'),
  name: Str('Name of the owner.'),
  uid: Str('UID of the owner.'),
  controller: Opt(Bool('True when the owner is the managing controller.')),
  blockOwnerDeletion: Opt(Bool('When true, foreground deletion of the owner waits for this object to be gone.')),
}, { 'x-kubernetes-map-type': 'atomic' });
export type OwnerReference = Static<typeof OwnerReference>;

export const ManagedFieldsEntry = Obj(M + 'ManagedFieldsEntry', 'Records which fields a field manager owns (server-side apply).', {
  apiVersion: Opt(Str('API version of the fields.')),
  fieldsType: Opt(Str('Format of fieldsV1; always "FieldsV1".')),
  fieldsV1: Opt(Free('The set of fields, in the FieldsV1 trie format.', M + 'FieldsV1')),
  manager: Opt(Str('Name of the manager.')),
  operation: Opt(Str('Apply or Update.')),
  subresource: Opt(Str('Subresource the fields were written through, if any.')),
  time: Opt(Time),
});
export type ManagedFieldsEntry = Static<typeof ManagedFieldsEntry>;

export const ObjectMeta = Obj(M + 'ObjectMeta', 'Standard object metadata that every persisted resource carries.', {
  name: Opt(Str('Name, unique within a namespace. Cannot be updated.')),
  generateName: Opt(Str('Prefix used to generate a unique name when name is empty.')),
  namespace: Opt(Str('Namespace the object lives in; empty for cluster-scoped objects.')),
  selfLink: Opt(Str('Deprecated; always empty.')),
  uid: Opt(Str('Unique identifier assigned by the server at creation. Read-only.')),
  resourceVersion: Opt(Str('Opaque version of the object, used for optimistic concurrency and watch. Read-only.')),
  generation: Opt(Int64('Sequence number of a specific generation of the desired state. Read-only.')),
  creationTimestamp: Opt(Time),
  deletionTimestamp: Opt(Time),
  deletionGracePeriodSeconds: Opt(Int64('Seconds allowed for graceful termination before the object is removed.')),
  labels: Opt(StrMap('Key-value pairs used to organise and select objects.')),
  annotations: Opt(StrMap('Unstructured key-value data for tools and humans.')),
  ownerReferences: Opt(List(OwnerReference, 'Objects this object depends on.', {
    'x-kubernetes-patch-merge-key': 'uid', 'x-kubernetes-patch-strategy': 'merge',
    'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['uid'],
  })),
  finalizers: Opt(List(Type.String(), 'Conditions that must be cleared before the object is deleted.', {
    'x-kubernetes-patch-strategy': 'merge', 'x-kubernetes-list-type': 'set',
  })),
  managedFields: Opt(List(ManagedFieldsEntry, 'Field ownership recorded by server-side apply.')),
});
export type ObjectMeta = Static<typeof ObjectMeta>;

export const ListMeta = Obj(M + 'ListMeta', 'Metadata of a list response.', {
  resourceVersion: Opt(Str('Version of the collection, usable as a watch starting point.')),
  continue: Opt(Str('Token to fetch the next page, when the list was limited.')),
  remainingItemCount: Opt(Int64('Items left after this page, when known.')),
  selfLink: Opt(Str('Deprecated; always empty.')),
});

export const LabelSelectorRequirement = Obj(M + 'LabelSelectorRequirement', 'A selector term: a key, an operator and values.', {
  key: Str('The label key.', { 'x-kubernetes-patch-merge-key': 'key', 'x-kubernetes-patch-strategy': 'merge' }),
  operator: Str('In, NotIn, Exists or DoesNotExist.'),
  values: Opt(List(Type.String(), 'Values for In and NotIn; empty for Exists and DoesNotExist.', { 'x-kubernetes-list-type': 'atomic' })),
});

export const LabelSelector = Obj(M + 'LabelSelector', 'Selects objects by labels; all terms must match. An empty selector matches everything.', {
  matchLabels: Opt(StrMap('Labels that must be present with these values.')),
  matchExpressions: Opt(List(LabelSelectorRequirement, 'Set-based requirements.', { 'x-kubernetes-list-type': 'atomic' })),
}, { 'x-kubernetes-map-type': 'atomic' });
export type LabelSelector = Static<typeof LabelSelector>;

export const Condition = Obj(M + 'Condition', 'One aspect of the current state of an object.', {
  type: Str('Type of the condition, in CamelCase.'),
  status: Str('True, False or Unknown.'),
  observedGeneration: Opt(Int64('The generation the condition was set for.')),
  lastTransitionTime: Opt(Time),
  reason: Opt(Str('Programmatic reason for the last transition.')),
  message: Opt(Str('Human-readable details.')),
});

/** Every stored object: TypeMeta plus ObjectMeta plus kind-specific fields. */
export interface KObject {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

/** Adds apiVersion/kind/metadata to a kind's own properties. */
export function kindProps<P extends Record<string, TSchema>>(props: P) {
  return {
    apiVersion: Opt(Str('Versioned schema of this representation of the object.')),
    kind: Opt(Str('REST resource this object represents, in CamelCase.')),
    metadata: Opt(ObjectMeta),
    ...props,
  };
}
