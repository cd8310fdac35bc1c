/**
 * rbac.authorization.k8s.io/v1 Role, ClusterRole, RoleBinding, ClusterRoleBinding: defaulting,
 * validation (pkg/apis/rbac/validation) and kube-apiserver's printers (NAME CREATED AT; NAME ROLE AGE
 * with USERS GROUPS SERVICEACCOUNTS in wide).
 */
import type { ResourceDef } from '../resource.js';
import { field, type FieldError } from '../errors.js';
import { GoValue, goQuote, goStringSlice } from '../gofmt.js';
import { validateLabelSelector } from '../labels.js';
import { age, ageColumn, col, nameColumn } from '../printers/util.js';
import { isDNS1123Subdomain, pathSegmentErrors } from '../validation/names.js';
import {
  ClusterRoleBindingSchema, ClusterRoleSchema, RBAC_GROUP, RoleBindingSchema, RoleSchema,
  type PolicyRule, type Role, type RoleBinding, type Subject,
} from './rbac-schema.js';

/** ValidatePolicyRule: verbs required; non-resource URLs only in cluster roles and never mixed with resources. */
export function validatePolicyRule(r: PolicyRule, namespaced: boolean, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!r.verbs?.length) errs.push(field.required(`${path}.verbs`, 'verbs must contain at least one value'));
  if (r.nonResourceURLs?.length) {
    const v = new GoValue(goStringSlice(r.nonResourceURLs));
    if (namespaced) errs.push(field.invalid(`${path}.nonResourceURLs`, v, 'namespaced rules cannot apply to non-resource URLs'));
    if (r.apiGroups?.length || r.resources?.length || r.resourceNames?.length) {
      errs.push(field.invalid(`${path}.nonResourceURLs`, v, 'rules cannot apply to both regular resources and non-resource URLs'));
    }
    return errs;
  }
  if (!r.apiGroups?.length) errs.push(field.required(`${path}.apiGroups`, 'resource rules must supply at least one api group'));
  if (!r.resources?.length) errs.push(field.required(`${path}.resources`, 'resource rules must supply at least one resource'));
  return errs;
}

function validateRole(role: Role, namespaced: boolean): FieldError[] {
  const errs = (role.rules ?? []).flatMap((r, i) => validatePolicyRule(r, namespaced, `rules[${i}]`));
  const agg = role.aggregationRule;
  if (agg) {
    if (!agg.clusterRoleSelectors?.length) {
      errs.push(field.required('aggregationRule.clusterRoleSelectors', 'at least one clusterRoleSelector required if aggregationRule is non-nil'));
    }
    (agg.clusterRoleSelectors ?? []).forEach((s, i) => errs.push(...validateLabelSelector(s, `aggregationRule.clusterRoleSelectors[${i}]`)));
  }
  return errs;
}

/** ValidateRoleBindingSubject: kinds, apiGroups and (for cluster bindings) service-account namespaces. */
export function validateSubject(s: Subject, namespaced: boolean, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!s.name) errs.push(field.required(`${path}.name`));
  switch (s.kind) {
    case 'ServiceAccount':
      if (s.name) for (const m of isDNS1123Subdomain(s.name)) errs.push(field.invalid(`${path}.name`, s.name, m));
      if (s.apiGroup) errs.push(field.notSupported(`${path}.apiGroup`, s.apiGroup, ['']));
      if (!namespaced && !s.namespace) errs.push(field.required(`${path}.namespace`));
      break;
    case 'User': case 'Group':
      if (s.apiGroup !== RBAC_GROUP) errs.push(field.notSupported(`${path}.apiGroup`, s.apiGroup ?? '', [RBAC_GROUP]));
      break;
    default:
      errs.push(field.notSupported(`${path}.kind`, s.kind ?? '', ['ServiceAccount', 'User', 'Group']));
  }
  return errs;
}

function validateBinding(b: RoleBinding, namespaced: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const ref = b.roleRef ?? { apiGroup: '', kind: '', name: '' };
  if (ref.apiGroup !== RBAC_GROUP) errs.push(field.notSupported('roleRef.apiGroup', ref.apiGroup ?? '', [RBAC_GROUP]));
  const kinds = namespaced ? ['Role', 'ClusterRole'] : ['ClusterRole'];
  if (!kinds.includes(ref.kind ?? '')) errs.push(field.notSupported('roleRef.kind', ref.kind ?? '', kinds));
  if (!ref.name) errs.push(field.required('roleRef.name'));
  else for (const m of pathSegmentErrors(ref.name)) errs.push(field.invalid('roleRef.name', ref.name, m));
  (b.subjects ?? []).forEach((s, i) => errs.push(...validateSubject(s, namespaced, `subjects[${i}]`)));
  return errs;
}

/** SetDefaults_RoleBinding / SetDefaults_Subject: the roleRef's group, and each subject's group by kind. */
function defaultBinding(b: RoleBinding): void {
  if (b.roleRef && !b.roleRef.apiGroup) b.roleRef.apiGroup = RBAC_GROUP;
  for (const s of b.subjects ?? []) {
    if (s.apiGroup === undefined || s.apiGroup === '') {
      if (s.kind === 'User' || s.kind === 'Group') s.apiGroup = RBAC_GROUP;
      else if (s.kind === 'ServiceAccount') s.apiGroup = '';
    }
  }
}

function roleRefImmutable(b: RoleBinding, old: RoleBinding): FieldError[] {
  const a = b.roleRef; const o = old.roleRef;
  if (a?.apiGroup === o?.apiGroup && a?.kind === o?.kind && a?.name === o?.name) return [];
  const v = new GoValue(`rbac.RoleRef{APIGroup:${goQuote(a?.apiGroup ?? '')}, Kind:${goQuote(a?.kind ?? '')}, Name:${goQuote(a?.name ?? '')}}`);
  return [field.invalid('roleRef', v, 'cannot change roleRef')];
}

/** users, groups and service accounts of a binding (rbac.SubjectsStrings). */
export function subjectsStrings(subjects: Subject[] | undefined): [string[], string[], string[]] {
  const users: string[] = []; const groups: string[] = []; const sas: string[] = [];
  for (const s of subjects ?? []) {
    if (s.kind === 'ServiceAccount') sas.push(`${s.namespace ?? ''}/${s.name}`);
    else if (s.kind === 'User') users.push(s.name);
    else if (s.kind === 'Group') groups.push(s.name);
  }
  return [users, groups, sas];
}

const createdAt = col('Created At', 'date', 'When the object was created.');
const roleColumns = [nameColumn, createdAt];
const roleRow = (r: Role): [string, string] => [r.metadata.name ?? '', r.metadata.creationTimestamp ?? ''];
const bindingColumns = [nameColumn, col('Role', 'string', 'The role granted (kind/name).'), ageColumn,
  col('Users', 'string', 'Users in the binding.', 1), col('Groups', 'string', 'Groups in the binding.', 1),
  col('ServiceAccounts', 'string', 'Service accounts in the binding.', 1)];
const bindingRow = (b: RoleBinding, now: Date): string[] => {
  const [u, g, s] = subjectsStrings(b.subjects);
  return [b.metadata.name ?? '', `${b.roleRef?.kind ?? ''}/${b.roleRef?.name ?? ''}`, age(b.metadata.creationTimestamp, now), u.join(', '), g.join(', '), s.join(', ')];
};

const base = { group: RBAC_GROUP, version: 'v1', shortNames: [] as string[], categories: [] as string[], statusSubresource: false, generation: false, nameValidation: 'path-segment' as const };

export const roleDef: ResourceDef<Role> = {
  ...base, kind: 'Role', plural: 'roles', singular: 'role', namespaced: true, schema: RoleSchema,
  validate: (r) => validateRole(r, true), columns: roleColumns, row: roleRow,
};

export const clusterRoleDef: ResourceDef<Role> = {
  ...base, kind: 'ClusterRole', plural: 'clusterroles', singular: 'clusterrole', namespaced: false, schema: ClusterRoleSchema,
  validate: (r) => validateRole(r, false), columns: roleColumns, row: roleRow,
};

export const roleBindingDef: ResourceDef<RoleBinding> = {
  ...base, kind: 'RoleBinding', plural: 'rolebindings', singular: 'rolebinding', namespaced: true, schema: RoleBindingSchema,
  default: defaultBinding, validate: (b) => validateBinding(b, true), validateUpdate: roleRefImmutable, columns: bindingColumns, row: bindingRow,
};

export const clusterRoleBindingDef: ResourceDef<RoleBinding> = {
  ...base, kind: 'ClusterRoleBinding', plural: 'clusterrolebindings', singular: 'clusterrolebinding', namespaced: false, schema: ClusterRoleBindingSchema,
  default: defaultBinding, validate: (b) => validateBinding(b, false), validateUpdate: roleRefImmutable, columns: bindingColumns, row: bindingRow,
};
