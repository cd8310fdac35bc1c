/** ServiceAccount (v1): an identity for processes that run in pods. */
import { Obj, Opt, Bool, List, type Static } from '../schema.js';
import { kindProps, type KObject } from '../meta.js';
import type { ResourceDef } from '../resource.js';
import { age, ageColumn, col, nameColumn } from '../printers/util.js';
import { LocalObjectReference, ObjectReference } from './pod-spec-common.js';

export const ServiceAccountSchema = Obj('io.k8s.api.core.v1.ServiceAccount', 'An identity for processes running in pods, with the secrets they may use.', kindProps({
  secrets: Opt(List(ObjectReference, 'Secrets that pods using this account may use (legacy token secrets).', {
    'x-kubernetes-patch-merge-key': 'name', 'x-kubernetes-patch-strategy': 'merge',
    'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name'],
  })),
  imagePullSecrets: Opt(List(LocalObjectReference, 'Secrets used to pull images for pods using this account.', { 'x-kubernetes-list-type': 'atomic' })),
  automountServiceAccountToken: Opt(Bool('Whether pods using this account get an API token mounted by default.')),
}), { 'x-kubernetes-group-version-kind': [{ group: '', version: 'v1', kind: 'ServiceAccount' }] });
/** A v1 ServiceAccount object. */
export type ServiceAccount = Static<typeof ServiceAccountSchema> & KObject;

export const serviceAccountDef: ResourceDef<ServiceAccount> = {
  group: '', version: 'v1', kind: 'ServiceAccount', plural: 'serviceaccounts', singular: 'serviceaccount',
  namespaced: true, shortNames: ['sa'], categories: [],
  schema: ServiceAccountSchema, statusSubresource: false, generation: false, otherSubresources: ['token'],
  columns: [nameColumn, col('Secrets', 'string', 'Number of secrets listed by the account.'), ageColumn],
  row: (sa, now) => [sa.metadata.name ?? '', (sa.secrets ?? []).length, age(sa.metadata.creationTimestamp, now)],
};
