/** rbac.authorization.k8s.io/v1 schemas: PolicyRule, Subject, RoleRef, AggregationRule and the four kinds. */
import { Obj, Opt, Str, List, type Static } from '../schema.js';
import { kindProps, LabelSelector, type KObject } from '../meta.js';

const R = 'io.k8s.api.rbac.v1.';
const atomic = { 'x-kubernetes-list-type': 'atomic' } as const;
const gvk = (kind: string) => ({ 'x-kubernetes-group-version-kind': [{ group: 'rbac.authorization.k8s.io', version: 'v1', kind }] });

/** The RBAC API group name. */
export const RBAC_GROUP = 'rbac.authorization.k8s.io';

export const PolicyRule = Obj(R + 'PolicyRule', 'Actions allowed on resources or non-resource URLs.', {
  verbs: List(Str(''), 'Verbs allowed (get, list, create, …); * means all.', atomic),
  apiGroups: Opt(List(Str(''), 'API groups of the resources; "" is the core group, * all groups.', atomic)),
  resources: Opt(List(Str(''), 'Resources (and resource/subresource) the rule applies to; * means all.', atomic)),
  resourceNames: Opt(List(Str(''), 'Names of the objects the rule is restricted to; empty means all.', atomic)),
  nonResourceURLs: Opt(List(Str(''), 'Non-resource paths (such as /healthz or /api/*), only in cluster roles.', atomic)),
});
/** One rule of a role. */
export type PolicyRule = Static<typeof PolicyRule>;

export const Subject = Obj(R + 'Subject', 'A user, group or service account a binding grants its role to.', {
  kind: Str('User, Group or ServiceAccount.'),
  apiGroup: Opt(Str('"" for ServiceAccount, rbac.authorization.k8s.io for User and Group.')),
  name: Str('Name of the subject.'),
  namespace: Opt(Str('Namespace of a ServiceAccount subject.')),
}, { 'x-kubernetes-map-type': 'atomic' });
/** One subject of a binding. */
export type Subject = Static<typeof Subject>;

export const RoleRef = Obj(R + 'RoleRef', 'The role a binding grants.', {
  apiGroup: Str('Group of the role (rbac.authorization.k8s.io).'),
  kind: Str('Role or ClusterRole.'),
  name: Str('Name of the role.'),
}, { 'x-kubernetes-map-type': 'atomic' });
/** The role a binding grants. */
export type RoleRef = Static<typeof RoleRef>;

export const AggregationRule = Obj(R + 'AggregationRule', 'Selects cluster roles whose rules are aggregated into this one.', {
  clusterRoleSelectors: Opt(List(LabelSelector, 'Cluster roles matching any selector contribute their rules.', atomic)),
});

const rules = List(PolicyRule, 'The rules of this role.', atomic);
const subjects = List(Subject, 'Who the role is granted to.', atomic);

export const RoleSchema = Obj(R + 'Role', 'A namespaced set of rules.', kindProps({ rules: Opt(rules) }), gvk('Role'));
export const ClusterRoleSchema = Obj(R + 'ClusterRole', 'A cluster-wide set of rules, possibly aggregated from other cluster roles.',
  kindProps({ rules: Opt(rules), aggregationRule: Opt(AggregationRule) }), gvk('ClusterRole'));
export const RoleBindingSchema = Obj(R + 'RoleBinding', 'Grants a Role or ClusterRole within a namespace.',
  kindProps({ subjects: Opt(subjects), roleRef: RoleRef }), gvk('RoleBinding'));
export const ClusterRoleBindingSchema = Obj(R + 'ClusterRoleBinding', 'Grants a ClusterRole in every namespace and for cluster-scoped resources.',
  kindProps({ subjects: Opt(subjects), roleRef: RoleRef }), gvk('ClusterRoleBinding'));

/** A Role or ClusterRole object. */
export type Role = Static<typeof ClusterRoleSchema> & KObject;
/** A RoleBinding or ClusterRoleBinding object. */
export type RoleBinding = Static<typeof RoleBindingSchema> & KObject;
