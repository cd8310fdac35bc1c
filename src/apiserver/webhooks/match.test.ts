// Rule and selector matching as k8s.io/apiserver's webhook matchers (rules.Matcher, namespace and
// object matchers), and matchConditions evaluated with CEL.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allKinds } from '../../api/kinds/index.js';
import type { RuleWithOperations, Webhook } from '../../api/kinds/webhook-schema.js';
import type { AdmissionAttributes } from '../storage/attributes.js';
import { exempt, ruleMatches, webhookApplies } from './match.js';
import { CelBudget } from '../../apiextensions/cel-cost.js';
import { compileConditions, evaluateConditions, ConditionsCache } from './conditions.js';

const def = (plural: string) => allKinds.find((k) => k.plural === plural)!;
function attrs(plural: string, o: Partial<AdmissionAttributes> = {}): AdmissionAttributes {
  const d = def(plural);
  return { def: d, operation: 'CREATE', namespace: d.namespaced ? 'default' : '', name: 'x', subresource: '', dryRun: false, options: {}, user: { username: 'u', groups: [] }, warnings: [], object: { metadata: { name: 'x' } }, ...o };
}
const rule = (r: Partial<RuleWithOperations>): RuleWithOperations => ({ operations: ['*'], apiGroups: ['*'], apiVersions: ['*'], resources: ['*'], ...r });

test('rules: operations, groups, versions, resources with subresources and wildcards, scope', () => {
  const cases: [string, RuleWithOperations, AdmissionAttributes, boolean][] = [
    ['exact pods create', rule({ operations: ['CREATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['pods'] }), attrs('pods'), true],
    ['operation differs', rule({ operations: ['UPDATE'] }), attrs('pods'), false],
    ['* matches DELETE', rule({}), attrs('pods', { operation: 'DELETE' }), true],
    ['group differs', rule({ apiGroups: ['apps'] }), attrs('pods'), false],
    ['apps group', rule({ apiGroups: ['apps'], resources: ['deployments'] }), attrs('deployments'), true],
    ['version differs', rule({ apiVersions: ['v1beta1'] }), attrs('pods'), false],
    ['* does not match subresources', rule({ resources: ['*'] }), attrs('pods', { subresource: 'status', operation: 'UPDATE' }), false],
    ['*/* matches subresources', rule({ resources: ['*/*'] }), attrs('pods', { subresource: 'status', operation: 'UPDATE' }), true],
    ['pods/status', rule({ resources: ['pods/status'] }), attrs('pods', { subresource: 'status', operation: 'UPDATE' }), true],
    ['pods/status is not pods', rule({ resources: ['pods/status'] }), attrs('pods'), false],
    ['pods/* matches pods/status', rule({ resources: ['pods/*'] }), attrs('pods', { subresource: 'status' }), true],
    ['*/status matches', rule({ resources: ['*/status'] }), attrs('services', { subresource: 'status' }), true],
    ['Namespaced scope, namespaced object', rule({ scope: 'Namespaced' }), attrs('pods'), true],
    ['Namespaced scope, cluster object', rule({ scope: 'Namespaced' }), attrs('nodes'), false],
    ['Namespaced scope, a namespace', rule({ scope: 'Namespaced' }), attrs('namespaces', { namespace: 'x' }), false],
    ['Cluster scope, a namespace', rule({ scope: 'Cluster' }), attrs('namespaces', { namespace: 'x' }), true],
    ['Cluster scope, namespaced object', rule({ scope: 'Cluster' }), attrs('configmaps'), false],
  ];
  for (const [name, r, a, want] of cases) assert.equal(ruleMatches(r, a), want, name);
});

test('namespaceSelector: by the namespace\'s labels; cluster-scoped objects always match, namespaces by their own labels; a missing namespace is a 404', () => {
  const h: Webhook = { name: 'a.b.c', sideEffects: 'None', admissionReviewVersions: ['v1'], clientConfig: {}, rules: [rule({})], namespaceSelector: { matchLabels: { env: 'prod' } } };
  const labels = (n: string) => ({ prod: { env: 'prod' }, dev: { env: 'dev' } } as Record<string, Record<string, string>>)[n];
  assert.equal(webhookApplies(h, attrs('pods', { namespace: 'prod' }), labels), true);
  assert.equal(webhookApplies(h, attrs('pods', { namespace: 'dev' }), labels), false);
  assert.equal(webhookApplies(h, attrs('nodes'), labels), true);
  assert.equal(webhookApplies(h, attrs('namespaces', { object: { metadata: { name: 'n', labels: { env: 'prod' } } } }), labels), true);
  assert.equal(webhookApplies(h, attrs('namespaces', { object: { metadata: { name: 'n' } } }), labels), false);
  assert.throws(() => webhookApplies(h, attrs('pods', { namespace: 'gone' }), labels), /namespaces "gone" not found/);
});

test('objectSelector: the new or the old object\'s labels', () => {
  const h: Webhook = { name: 'a.b.c', sideEffects: 'None', admissionReviewVersions: ['v1'], clientConfig: {}, rules: [rule({})], objectSelector: { matchLabels: { a: '1' } } };
  const none = () => ({});
  assert.equal(webhookApplies(h, attrs('pods', { object: { metadata: { labels: { a: '1' } } } }), none), true);
  assert.equal(webhookApplies(h, attrs('pods', { object: { metadata: {} } }), none), false);
  assert.equal(webhookApplies(h, attrs('pods', { operation: 'UPDATE', object: { metadata: {} }, oldObject: { metadata: { labels: { a: '1' } } } }), none), true);
  assert.equal(webhookApplies(h, attrs('pods', { operation: 'DELETE', object: undefined, oldObject: { metadata: { labels: { a: '1' } } } }), none), true);
});

test('webhook configurations themselves are never sent to webhooks', () => {
  assert.equal(exempt(attrs('validatingwebhookconfigurations')), true);
  assert.equal(exempt(attrs('mutatingwebhookconfigurations')), true);
  assert.equal(exempt(attrs('pods')), false);
});

test('matchConditions: all true calls, any false skips, an error is reported', () => {
  const a = attrs('pods', { object: { metadata: { name: 'p', labels: { tier: 'web' } }, spec: { replicas: 3 } } });
  const c = (...expression: string[]) => compileConditions(expression.map((e, i) => ({ name: `c${i}`, expression: e })));
  assert.deepEqual(evaluateConditions(undefined, a, a.object), { match: true });
  assert.deepEqual(evaluateConditions(c("object.metadata.labels.tier == 'web'", "request.operation == 'CREATE'", 'object.spec.replicas > 2'), a, a.object), { match: true });
  assert.deepEqual(evaluateConditions(c("request.userInfo.username == 'someone-else'"), a, a.object), { match: false });
  assert.deepEqual(evaluateConditions(c('object.metadata.missing == 1', 'false'), a, a.object), { match: false }, 'a false wins over an error');
  const r = evaluateConditions(c('object.metadata.missing == 1'), a, a.object);
  assert.ok('error' in r && /matchConditions\[c0\]: .*missing/.test(r.error), JSON.stringify(r));
});

test('matchConditions run within the CEL cost limit and the request budget, quickly', () => {
  // One comprehension over a large list passes the write-time estimate; at runtime it is cut off
  // (cel-go: "operation cancelled: actual cost limit exceeded") instead of blocking the event loop.
  const big = Array.from({ length: 400_000 }, (_, i) => i);
  const a = attrs('configmaps', { object: { metadata: { name: 'p' }, data: {}, l: big } as never });
  const [cond] = compileConditions([{ name: 'big', expression: 'object.l.all(x, x >= 0)' }]);
  assert.ok(cond && 'program' in cond);
  const started = performance.now();
  const r = evaluateConditions([cond], a, a.object, new CelBudget(60_000));
  assert.deepEqual(r, { error: 'matchConditions[big]: operation cancelled: actual cost limit exceeded' });
  assert.ok(performance.now() - started < 1500, `took ${performance.now() - started} ms`);
  const spent = new CelBudget();
  spent.exhausted = true;
  assert.deepEqual(evaluateConditions(compileConditions([{ name: 't', expression: 'true' }]), a, a.object, spent),
    { error: 'matchConditions[t]: validation failed due to running out of cost budget, no further validation rules will be run' });
});

test('matchConditions are compiled once per configuration generation', () => {
  const cache = new ConditionsCache();
  const conds = [[{ name: 'a', expression: 'true' }]];
  const first = cache.get('uid@1', conds);
  assert.equal(cache.get('uid@1', conds), first);
  cache.prune(new Set(['uid@2']));
  assert.notEqual(cache.get('uid@1', conds), first);
});
