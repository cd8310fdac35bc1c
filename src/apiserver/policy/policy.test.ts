// The ValidatingAdmissionPolicy plugin in the write path (k8s.io/apiserver/pkg/admission/plugin/policy/validating):
// matching by policy and binding, Deny/Warn, failurePolicy, messages in upstream's format.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allKinds } from '../../api/kinds/index.js';
import type { KObject } from '../../api/meta.js';
import { StatusError } from '../../api/errors.js';
import { MemoryStore } from '../../store/memory.js';
import { createObject, updateObject } from '../storage/write.js';
import { policyAdmission } from './index.js';

const def = (kind: string) => allKinds.find((k) => k.kind === kind)!;
const GW = 'gateway.networking.k8s.io';

function policy(name: string, spec: Record<string, unknown>): KObject {
  return { metadata: { name }, spec: { matchConstraints: { resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['configmaps'] }] }, ...spec } } as KObject;
}
function binding(name: string, policyName: string, actions: string[], extra: Record<string, unknown> = {}): KObject {
  return { metadata: { name }, spec: { policyName, validationActions: actions, ...extra } } as KObject;
}

async function world(...objs: [string, KObject][]) {
  const store = new MemoryStore();
  await createObject(store, def('Namespace'), '', { metadata: { name: 'default', labels: { team: 'a' } } }, {}, {});
  await createObject(store, def('Namespace'), '', { metadata: { name: 'other' } }, {}, {});
  for (const [kind, o] of objs) await createObject(store, def(kind), '', o, {}, {});
  const hooks = policyAdmission(store);
  const cm = (name: string, data: Record<string, string>, ns = 'default') => createObject(store, def('ConfigMap'), ns, { metadata: { name }, data }, {}, hooks);
  return { store, hooks, cm };
}

const denied = async (p: Promise<unknown>): Promise<StatusError> => {
  try { await p; } catch (e) { if (e instanceof StatusError) return e; throw e; }
  assert.fail('expected a refusal');
};

test('Deny: a failed validation refuses the request with the policy, binding and message (default reason Invalid, 422)', async () => {
  const { cm } = await world(
    ['ValidatingAdmissionPolicy', policy('p', { validations: [{ expression: "has(object.data) && 'x' in object.data", message: 'needs x' }] })],
    ['ValidatingAdmissionPolicyBinding', binding('b', 'p', ['Deny'])]);
  await cm('ok', { x: '1' });
  const e = await denied(cm('bad', { y: '1' }));
  assert.equal(e.code, 422);
  assert.equal(e.status.reason, 'Invalid');
  assert.equal(e.status.message, `configmaps "bad" is forbidden: ValidatingAdmissionPolicy 'p' with binding 'b' denied request: needs x`);
});

test('reason Forbidden gives 403; no message gives "failed expression: …"; messageExpression wins over message', async () => {
  const { cm } = await world(
    ['ValidatingAdmissionPolicy', policy('p', { validations: [
      { expression: "object.metadata.name != 'f'", reason: 'Forbidden' },
      { expression: "object.metadata.name != 'm'", message: 'static', messageExpression: "'name ' + object.metadata.name + ' is taken'" },
    ] })],
    ['ValidatingAdmissionPolicyBinding', binding('b', 'p', ['Deny'])]);
  const f = await denied(cm('f', {}));
  assert.equal(f.code, 403);
  assert.match(f.status.message ?? '', /denied request: failed expression: object.metadata.name != 'f'$/);
  const m = await denied(cm('m', {}));
  assert.match(m.status.message ?? '', /denied request: name m is taken$/);
});

test('Warn adds a warning and admits; a binding for a missing policy does nothing', async () => {
  const { cm } = await world(
    ['ValidatingAdmissionPolicy', policy('p', { validations: [{ expression: 'false', message: 'never' }] })],
    ['ValidatingAdmissionPolicyBinding', binding('w', 'p', ['Warn', 'Audit'])],
    ['ValidatingAdmissionPolicyBinding', binding('z', 'missing', ['Deny'])]);
  const r = await cm('c', {});
  assert.deepEqual(r.warnings, ["Validation failed for ValidatingAdmissionPolicy 'p' with binding 'w': never"]);
});

test('matching: the policy rules, the binding matchResources (namespaceSelector), matchConditions and excludes', async () => {
  const { cm } = await world(
    ['ValidatingAdmissionPolicy', policy('p', {
      matchConditions: [{ name: 'not-exempt', expression: "object.metadata.name != 'exempt'" }],
      validations: [{ expression: 'false', message: 'no' }],
    })],
    ['ValidatingAdmissionPolicyBinding', binding('b', 'p', ['Deny'], { matchResources: {
      namespaceSelector: { matchLabels: { team: 'a' } },
      excludeResourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['*'], resources: ['configmaps'], resourceNames: ['excluded'] }],
    } })]);
  await denied(cm('c', {}));
  await cm('c', {}, 'other'); // namespace not selected by the binding
  await cm('exempt', {}); // matchCondition false
  await cm('excluded', {}); // excludeResourceRules by name
});

test('oldObject is null on create and set on update; namespaceObject and request are available', async () => {
  const { store, hooks, cm } = await world(
    ['ValidatingAdmissionPolicy', policy('p', { validations: [
      { expression: "oldObject == null || oldObject.data.v == object.data.v", message: 'v is immutable' },
      { expression: "namespaceObject.metadata.name == request.namespace && request.userInfo.username != ''" },
    ] })],
    ['ValidatingAdmissionPolicyBinding', binding('b', 'p', ['Deny'])]);
  const { object } = await cm('c', { v: '1' });
  const e = await denied(updateObject(store, def('ConfigMap'), object, { ...object, data: { v: '2' } }, {}, false, hooks));
  assert.match(e.status.message ?? '', /v is immutable$/);
});

test('failurePolicy: an evaluation error denies under Fail and is ignored under Ignore', async () => {
  for (const failurePolicy of ['Fail', 'Ignore']) {
    const { cm } = await world(
      ['ValidatingAdmissionPolicy', policy('p', { failurePolicy, validations: [{ expression: 'object.data.missing == "x"' }] })],
      ['ValidatingAdmissionPolicyBinding', binding('b', 'p', ['Deny'])]);
    if (failurePolicy === 'Ignore') { await cm('c', {}); continue; }
    const e = await denied(cm('c', {}));
    assert.match(e.status.message ?? '', /denied request: expression 'object.data.missing == "x"' resulted in error: /);
  }
});

test("Gateway API's safe-upgrades structure: CRD updates of the group without the channel annotation are denied", async () => {
  const approved = { 'api-approved.kubernetes.io': 'https://github.com/kubernetes-sigs/gateway-api/pull/1' };
  const annotated = { ...approved, [`${GW}/bundle-version`]: 'v1.5.0', [`${GW}/channel`]: 'standard' };
  const crd = (annotations: Record<string, string>): KObject => ({ metadata: { name: `things.${GW}`, annotations }, spec: {
    group: GW, scope: 'Namespaced', names: { plural: 'things', singular: 'thing', kind: 'Thing', listKind: 'ThingList' },
    versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object' } } }] } } as KObject);
  const rules = { resourceRules: [{ apiGroups: ['apiextensions.k8s.io'], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['*'] }] };
  const { store, hooks } = await world(
    ['ValidatingAdmissionPolicy', { metadata: { name: 'safe' }, spec: { failurePolicy: 'Fail', matchConstraints: rules, validations: [{
      expression: `object.spec.group != '${GW}' || oldObject == null || (has(object.metadata.annotations) && object.metadata.annotations.exists(k, k == '${GW}/channel') && object.metadata.annotations['${GW}/channel'] == 'standard')`,
      message: 'standard channel required', reason: 'Invalid' }, {
      expression: `object.spec.group != '${GW}' || (has(object.metadata.annotations) && !matches(object.metadata.annotations['${GW}/bundle-version'], 'v1.[0-3].\\\\d+'))`,
      message: 'too old', reason: 'Invalid' }] } } as KObject],
    ['ValidatingAdmissionPolicyBinding', binding('safe', 'safe', ['Deny'], { matchResources: rules })]);
  const crdDef = def('CustomResourceDefinition');
  const { object } = await createObject(store, crdDef, '', crd(annotated), {}, hooks);
  await denied(createObject(store, crdDef, '', { ...crd({ ...annotated, [`${GW}/bundle-version`]: 'v1.2.0' }), metadata: { name: `others.${GW}` } } as KObject, {}, hooks));
  const e = await denied(updateObject(store, crdDef, object, { ...object, metadata: { ...object.metadata, annotations: { ...approved, [`${GW}/bundle-version`]: 'v1.5.0' } } }, {}, false, hooks));
  assert.equal(e.status.message, `customresourcedefinitions.apiextensions.k8s.io "things.${GW}" is forbidden: ValidatingAdmissionPolicy 'safe' with binding 'safe' denied request: standard channel required`);
});

test('cost is bounded at run time: a cubic expression over a large ConfigMap is cut off quickly and fails under failurePolicy Fail (passes under Ignore)', async () => {
  const cubic = 'object.data.all(a, object.data.all(b, object.data.all(c, true)))';
  const { cm } = await world(
    ['ValidatingAdmissionPolicy', policy('p', { validations: [{ expression: cubic, message: 'never' }] })],
    ['ValidatingAdmissionPolicyBinding', binding('b', 'p', ['Deny'])]);
  const data = Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`k${i}`, 'v']));
  const t0 = Date.now();
  const e = await denied(cm('big', data));
  assert.ok(Date.now() - t0 < 2000, `cut off after ${Date.now() - t0} ms (10^9 steps uncut)`);
  assert.match(e.status.message ?? '', /denied request: expression '.*' resulted in error: .*(cost|budget)/);
  const ignoring = await world(
    ['ValidatingAdmissionPolicy', policy('p', { failurePolicy: 'Ignore', validations: [{ expression: cubic, message: 'never' }] })],
    ['ValidatingAdmissionPolicyBinding', binding('b', 'p', ['Deny'])]);
  await ignoring.cm('big', data);
});
