import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryStore } from '../../store/memory.js';
import type { KObject } from '../../api/meta.js';
import { RbacAuthorizer } from './rbac.js';
import { bootstrapClusterRoleBindings, bootstrapClusterRoles } from './bootstrap.js';
import { impersonate } from './impersonate.js';

async function store(): Promise<MemoryStore> {
  const s = new MemoryStore();
  const put = (plural: string, ns: string, o: KObject) => s.create(`/rbac.authorization.k8s.io/${plural}/${ns}/${o.metadata.name}`, o);
  for (const r of bootstrapClusterRoles) await put('clusterroles', '', r);
  for (const b of bootstrapClusterRoleBindings) await put('clusterrolebindings', '', b);
  await put('roles', 'web', { metadata: { name: 'pod-reader', namespace: 'web' }, rules: [{ verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'] }] });
  await put('rolebindings', 'web', {
    metadata: { name: 'read-pods', namespace: 'web' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'pod-reader' },
    subjects: [{ kind: 'ServiceAccount', name: 'default', namespace: 'web' }, { kind: 'User', name: 'jane', apiGroup: 'rbac.authorization.k8s.io' }],
  });
  return s;
}

const sa = { username: 'system:serviceaccount:web:default', groups: ['system:serviceaccounts', 'system:serviceaccounts:web', 'system:authenticated'] };
const admin = { username: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] };

test('decisions follow the stored roles and bindings', async () => {
  const authz = new RbacAuthorizer(await store());
  const pods = (user: typeof sa, verb: string, namespace: string) => authz.authorize({ user, verb, resourceRequest: true, apiGroup: '', resource: 'pods', namespace });
  assert.deepEqual(pods(sa, 'list', 'web'), { allowed: true, reason: 'RBAC: allowed by RoleBinding "read-pods/web" of Role "pod-reader" to ServiceAccount "web/default"' });
  assert.equal(pods(sa, 'delete', 'web').allowed, false);
  assert.equal(pods(sa, 'list', 'default').allowed, false, 'a RoleBinding grants in its namespace only');
  assert.equal(pods(sa, 'list', '').allowed, false, 'nor across all namespaces');
  assert.equal(pods({ username: 'jane', groups: ['system:authenticated'] }, 'get', 'web').allowed, true);
  assert.equal(pods(admin, 'delete', 'kube-system').allowed, true, 'system:masters may do anything');
  const self = authz.authorize({ user: sa, verb: 'create', resourceRequest: true, apiGroup: 'authorization.k8s.io', resource: 'selfsubjectaccessreviews' });
  assert.equal(self.reason, 'RBAC: allowed by ClusterRoleBinding "system:basic-user" of ClusterRole "system:basic-user" to Group "system:authenticated"');
  assert.equal(authz.authorize({ user: { username: 'system:anonymous', groups: ['system:unauthenticated'] }, verb: 'get', resourceRequest: false, path: '/version' }).allowed, true);
  assert.equal(authz.authorize({ user: { username: 'system:anonymous', groups: ['system:unauthenticated'] }, verb: 'get', resourceRequest: false, path: '/api' }).allowed, false);
});

test('rulesFor lists cluster-wide and namespace rules', async () => {
  const authz = new RbacAuthorizer(await store());
  const rules = authz.rulesFor(sa, 'web');
  assert.ok(rules.some((r) => r.resources?.includes('pods') && r.verbs.includes('list')));
  assert.ok(!authz.rulesFor(sa, 'default').some((r) => r.resources?.includes('pods')));
});

test('impersonation needs the impersonate verb and gives service accounts their groups', async () => {
  const authz = new RbacAuthorizer(await store());
  const u = impersonate({ 'impersonate-user': 'system:serviceaccount:web:default' }, admin, authz);
  assert.deepEqual(u, sa);
  assert.deepEqual(impersonate({ 'impersonate-user': 'bob', 'impersonate-group': ['x'] }, admin, authz), { username: 'bob', groups: ['x', 'system:authenticated'] });
  assert.throws(() => impersonate({ 'impersonate-user': 'bob' }, sa, authz),
    /users "bob" is forbidden: User "system:serviceaccount:web:default" cannot impersonate resource "users" in API group "" at the cluster scope/);
  assert.equal(impersonate({}, sa, authz), sa);
});
