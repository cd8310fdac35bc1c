/** ResourceQuota and LimitRange (v1): served so that `kubectl describe ns` reads them as on a real cluster. */
import { Obj, Opt, Str, List, MapOf, Quantity, Type, type Static } from '../schema.js';
import { kindProps, type KObject } from '../meta.js';
import type { ResourceDef } from '../resource.js';
import { age, ageColumn, col, nameColumn } from '../printers/util.js';

const ResourceList = (d: string) => MapOf(Quantity, d);

export const ResourceQuotaSchema = Obj('io.k8s.api.core.v1.ResourceQuota', 'Limits the total resources a namespace may use.', kindProps({
  spec: Opt(Obj('io.k8s.api.core.v1.ResourceQuotaSpec', 'The desired hard limits.', {
    hard: Opt(ResourceList('The hard limit per named resource.')),
    scopes: Opt(List(Type.String(), 'Scopes the quota applies to.', { 'x-kubernetes-list-type': 'atomic' })),
    scopeSelector: Opt(Obj('io.k8s.api.core.v1.ScopeSelector', 'Selects the scopes the quota tracks.', {
      matchExpressions: Opt(List(Obj('io.k8s.api.core.v1.ScopedResourceSelectorRequirement', 'A scope requirement.', {
        scopeName: Str('The scope.'), operator: Str('In, NotIn, Exists or DoesNotExist.'),
        values: Opt(List(Type.String(), 'Values for In and NotIn.', { 'x-kubernetes-list-type': 'atomic' })),
      }), 'Requirements, all of which must hold.', { 'x-kubernetes-list-type': 'atomic' })),
    }, { 'x-kubernetes-map-type': 'atomic' })),
  })),
  status: Opt(Obj('io.k8s.api.core.v1.ResourceQuotaStatus', 'Enforced limits and current usage.', {
    hard: Opt(ResourceList('The enforced hard limits.')),
    used: Opt(ResourceList('Current usage.')),
  })),
}), { 'x-kubernetes-group-version-kind': [{ group: '', version: 'v1', kind: 'ResourceQuota' }] });
/** A v1 ResourceQuota object. */
export type ResourceQuota = Static<typeof ResourceQuotaSchema> & KObject;

function usage(hard: Record<string, string | number> | undefined, used: Record<string, string | number> | undefined, pick: (k: string) => boolean): string {
  return Object.keys(hard ?? {}).sort().filter(pick).map((k) => `${k}: ${String(used?.[k] ?? '0')}/${String(hard![k])}`).join(', ');
}

export const resourceQuotaDef: ResourceDef<ResourceQuota> = {
  group: '', version: 'v1', kind: 'ResourceQuota', plural: 'resourcequotas', singular: 'resourcequota',
  namespaced: true, shortNames: ['quota'], categories: [],
  schema: ResourceQuotaSchema, statusSubresource: true, generation: false,
  columns: [nameColumn, ageColumn, col('Request', 'string', 'Requested and hard limits of non-limit resources.'), col('Limit', 'string', 'Used and hard limits of limits.* resources.')],
  row: (q, now) => [q.metadata.name ?? '', age(q.metadata.creationTimestamp, now),
    usage(q.status?.hard ?? q.spec?.hard, q.status?.used, (k) => !k.startsWith('limits.')),
    usage(q.status?.hard ?? q.spec?.hard, q.status?.used, (k) => k.startsWith('limits.'))],
};

export const LimitRangeSchema = Obj('io.k8s.api.core.v1.LimitRange', 'Default and bounding resource limits per object in a namespace.', kindProps({
  spec: Opt(Obj('io.k8s.api.core.v1.LimitRangeSpec', 'The limits.', {
    limits: List(Obj('io.k8s.api.core.v1.LimitRangeItem', 'Limits for one kind of object.', {
      type: Str('Container, Pod or PersistentVolumeClaim.'),
      max: Opt(ResourceList('Maximum usage.')), min: Opt(ResourceList('Minimum usage.')),
      default: Opt(ResourceList('Default limits.')), defaultRequest: Opt(ResourceList('Default requests.')),
      maxLimitRequestRatio: Opt(ResourceList('Largest allowed limit/request ratio.')),
    }), 'The limit items.', { 'x-kubernetes-list-type': 'atomic' }),
  })),
}), { 'x-kubernetes-group-version-kind': [{ group: '', version: 'v1', kind: 'LimitRange' }] });
/** A v1 LimitRange object. */
export type LimitRange = Static<typeof LimitRangeSchema> & KObject;

export const limitRangeDef: ResourceDef<LimitRange> = {
  group: '', version: 'v1', kind: 'LimitRange', plural: 'limitranges', singular: 'limitrange',
  namespaced: true, shortNames: ['limits'], categories: [],
  schema: LimitRangeSchema, statusSubresource: false, generation: false,
  columns: [nameColumn, col('Created At', 'date', 'When the object was created.')],
  row: (l) => [l.metadata.name ?? '', l.metadata.creationTimestamp ?? ''],
};
