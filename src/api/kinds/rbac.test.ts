import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatFieldError } from '../errors.js';
import { clusterRoleBindingDef, clusterRoleDef, roleBindingDef, roleDef } from './rbac.js';
import type { Role, RoleBinding } from './rbac-schema.js';

const msgs = (errs: { field: string }[] | undefined) => (errs ?? []).map((e) => formatFieldError(e as never));
const role = (rules: unknown[], extra: object = {}) => ({ metadata: { name: 'r' }, rules, ...extra }) as Role;
const binding = (roleRef: object, subjects: unknown[] = []) => ({ metadata: { name: 'b' }, roleRef, subjects }) as unknown as RoleBinding;
const ctx = { operation: 'create' as const };

// Messages of pkg/apis/rbac/validation (ValidatePolicyRule, ValidateRoleBindingSubject, roleRef checks).
test('policy rules: verbs, groups and resources required; URLs only in cluster roles and never with resources', () => {
  assert.deepEqual(msgs(roleDef.validate!(role([{ apiGroups: [''], resources: ['pods'] }]), ctx)), ['rules[0].verbs: Required value: verbs must contain at least one value']);
  assert.deepEqual(msgs(roleDef.validate!(role([{ verbs: ['get'] }]), ctx)), [
    'rules[0].apiGroups: Required value: resource rules must supply at least one api group',
    'rules[0].resources: Required value: resource rules must supply at least one resource',
  ]);
  assert.deepEqual(msgs(roleDef.validate!(role([{ verbs: ['get'], nonResourceURLs: ['/healthz'] }]), ctx)),
    ['rules[0].nonResourceURLs: Invalid value: []string{"/healthz"}: namespaced rules cannot apply to non-resource URLs']);
  assert.deepEqual(msgs(clusterRoleDef.validate!(role([{ verbs: ['get'], nonResourceURLs: ['/healthz'], resources: ['pods'] }]), ctx)),
    ['rules[0].nonResourceURLs: Invalid value: []string{"/healthz"}: rules cannot apply to both regular resources and non-resource URLs']);
  assert.deepEqual(msgs(clusterRoleDef.validate!(role([], { aggregationRule: {} }), ctx)),
    ['aggregationRule.clusterRoleSelectors: Required value: at least one clusterRoleSelector required if aggregationRule is non-nil']);
});

test('bindings: roleRef kinds and name, subject kinds and groups; roleRef immutable; defaults', () => {
  const b = binding({ kind: 'Role', name: 'x' }, [{ kind: 'User', name: 'jane' }, { kind: 'ServiceAccount', name: 'default' }]);
  roleBindingDef.default!(b);
  assert.deepEqual(b.roleRef, { kind: 'Role', name: 'x', apiGroup: 'rbac.authorization.k8s.io' });
  assert.deepEqual(b.subjects, [{ kind: 'User', name: 'jane', apiGroup: 'rbac.authorization.k8s.io' }, { kind: 'ServiceAccount', name: 'default', apiGroup: '' }]);
  assert.deepEqual(msgs(roleBindingDef.validate!(b, ctx)), []);
  assert.deepEqual(msgs(clusterRoleBindingDef.validate!(b, ctx)), [
    'roleRef.kind: Unsupported value: "Role": supported values: "ClusterRole"',
    'subjects[1].namespace: Required value',
  ]);
  assert.deepEqual(msgs(roleBindingDef.validate!(binding({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: '' }, [{ kind: 'Robot', name: 'r2' }, { kind: 'Group', apiGroup: 'x', name: 'g' }]), ctx)), [
    'roleRef.name: Required value',
    'subjects[0].kind: Unsupported value: "Robot": supported values: "ServiceAccount", "User", "Group"',
    'subjects[1].apiGroup: Unsupported value: "x": supported values: "rbac.authorization.k8s.io"',
  ]);
  const old = binding({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'x' });
  assert.deepEqual(msgs(roleBindingDef.validateUpdate!(binding({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'y' }), old)),
    ['roleRef: Invalid value: rbac.RoleRef{APIGroup:"rbac.authorization.k8s.io", Kind:"Role", Name:"y"}: cannot change roleRef']);
});

test('printers: roles NAME CREATED AT; bindings NAME ROLE AGE USERS GROUPS SERVICEACCOUNTS', () => {
  const now = new Date('2026-01-01T00:01:00Z');
  assert.deepEqual(roleDef.columns.map((c) => c.name), ['Name', 'Created At']);
  assert.deepEqual(roleDef.row({ metadata: { name: 'r', creationTimestamp: '2026-01-01T00:00:00Z' } } as Role, now), ['r', '2026-01-01T00:00:00Z']);
  assert.deepEqual(roleBindingDef.columns.map((c) => `${c.name}/${c.priority}`), ['Name/0', 'Role/0', 'Age/0', 'Users/1', 'Groups/1', 'ServiceAccounts/1']);
  const b = { ...binding({ kind: 'ClusterRole', name: 'view' }, [{ kind: 'User', name: 'a' }, { kind: 'User', name: 'b' }, { kind: 'Group', name: 'g' }, { kind: 'ServiceAccount', name: 's', namespace: 'n' }]) };
  b.metadata.creationTimestamp = '2026-01-01T00:00:00Z';
  assert.deepEqual(roleBindingDef.row(b, now), ['b', 'ClusterRole/view', '60s', 'a, b', 'g', 'n/s']);
});
