import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ruleAllows, subjectApplies, type Attributes } from './rules.js';
import type { PolicyRule } from '../../api/kinds/rbac-schema.js';

const user = { username: 'jane', groups: ['devs', 'system:authenticated'] };
const res = (verb: string, resource: string, extra: Partial<Attributes> = {}): Attributes => ({ user, verb, resourceRequest: true, apiGroup: '', resource, namespace: 'default', ...extra });
const path = (verb: string, p: string): Attributes => ({ user, verb, resourceRequest: false, path: p });

// The cases of plugin/pkg/auth/authorizer/rbac's RuleAllows: verbs, groups, resources, subresources, names and URLs.
test('ruleAllows matches verbs, groups, resources, subresources, names and non-resource URLs as RBAC does', () => {
  const cases: [string, PolicyRule, Attributes, boolean][] = [
    ['exact', { verbs: ['get'], apiGroups: [''], resources: ['pods'] }, res('get', 'pods'), true],
    ['other verb', { verbs: ['get'], apiGroups: [''], resources: ['pods'] }, res('delete', 'pods'), false],
    ['verb *', { verbs: ['*'], apiGroups: [''], resources: ['pods'] }, res('delete', 'pods'), true],
    ['other group', { verbs: ['get'], apiGroups: ['apps'], resources: ['pods'] }, res('get', 'pods'), false],
    ['group *', { verbs: ['get'], apiGroups: ['*'], resources: ['deployments'] }, res('get', 'deployments', { apiGroup: 'apps' }), true],
    ['resource *', { verbs: ['get'], apiGroups: [''], resources: ['*'] }, res('get', 'secrets'), true],
    ['subresource needs its own entry', { verbs: ['get'], apiGroups: [''], resources: ['pods'] }, res('get', 'pods', { subresource: 'log' }), false],
    ['resource/subresource', { verbs: ['get'], apiGroups: [''], resources: ['pods/log'] }, res('get', 'pods', { subresource: 'log' }), true],
    ['*/subresource', { verbs: ['get'], apiGroups: [''], resources: ['*/scale'] }, res('get', 'deployments', { subresource: 'scale' }), true],
    ['*/subresource not the main resource', { verbs: ['get'], apiGroups: [''], resources: ['*/scale'] }, res('get', 'deployments'), false],
    ['resourceNames match', { verbs: ['get'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['a'] }, res('get', 'configmaps', { name: 'a' }), true],
    ['resourceNames miss', { verbs: ['get'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['a'] }, res('get', 'configmaps', { name: 'b' }), false],
    ['resourceNames never cover list', { verbs: ['list'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['a'] }, res('list', 'configmaps'), false],
    ['url exact', { verbs: ['get'], nonResourceURLs: ['/healthz'] }, path('get', '/healthz'), true],
    ['url prefix *', { verbs: ['get'], nonResourceURLs: ['/api/*'] }, path('get', '/api/v1'), true],
    ['url prefix does not cover the bare path', { verbs: ['get'], nonResourceURLs: ['/api/*'] }, path('get', '/api'), false],
    ['url rule never covers resources', { verbs: ['get'], nonResourceURLs: ['*'] }, res('get', 'pods'), false],
    ['resource rule never covers urls', { verbs: ['get'], apiGroups: ['*'], resources: ['*'] }, path('get', '/healthz'), false],
  ];
  for (const [name, rule, attrs, want] of cases) assert.equal(ruleAllows(attrs, rule), want, name);
});

test('subjects apply by user name, group membership, and service account username (namespace defaulting to the binding\'s)', () => {
  const sa = { username: 'system:serviceaccount:web:builder', groups: [] };
  assert.equal(subjectApplies(user, { kind: 'User', name: 'jane' }, ''), true);
  assert.equal(subjectApplies(user, { kind: 'User', name: 'bob' }, ''), false);
  assert.equal(subjectApplies(user, { kind: 'Group', name: 'devs' }, ''), true);
  assert.equal(subjectApplies(sa, { kind: 'ServiceAccount', name: 'builder', namespace: 'web' }, ''), true);
  assert.equal(subjectApplies(sa, { kind: 'ServiceAccount', name: 'builder' }, 'web'), true);
  assert.equal(subjectApplies(sa, { kind: 'ServiceAccount', name: 'builder' }, ''), false);
  assert.equal(subjectApplies(sa, { kind: 'ServiceAccount', name: 'builder', namespace: 'other' }, 'web'), false);
});
