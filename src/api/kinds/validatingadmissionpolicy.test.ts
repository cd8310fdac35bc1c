// ValidatingAdmissionPolicy/Binding defaulting, validation (upstream messages and paths) and printers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ValidatingAdmissionPolicy, ValidatingAdmissionPolicyBinding } from './validatingadmissionpolicy-schema.js';
import { validateBinding, validatePolicy, validatingAdmissionPolicyBindingDef, validatingAdmissionPolicyDef } from './validatingadmissionpolicy.js';

const rules = { resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['pods'] }] };

test('policy: failurePolicy defaults to Fail, rules to scope *; the printer shows validations and paramKind', () => {
  const p = { metadata: { name: 'p' }, spec: { matchConstraints: structuredClone(rules), validations: [{ expression: 'true' }] } } as ValidatingAdmissionPolicy;
  validatingAdmissionPolicyDef.default!(p);
  assert.equal(p.spec?.failurePolicy, 'Fail');
  assert.equal(p.spec?.matchConstraints?.resourceRules?.[0]?.scope, '*');
  assert.equal(p.spec?.matchConstraints?.matchPolicy, 'Equivalent');
  assert.deepEqual(validatingAdmissionPolicyDef.columns.map((c) => c.name), ['Name', 'Validations', 'ParamKind', 'Age']);
  assert.deepEqual(validatingAdmissionPolicyDef.row(p, new Date()).slice(0, 3), ['p', 1, '<unset>']);
  assert.deepEqual(validatePolicy(p), []);
});

test('policy: expressions must compile; validations are required; reasons are enumerated', () => {
  const bad = { metadata: { name: 'p' }, spec: { matchConstraints: rules, validations: [{ expression: 'object.x ==', reason: 'Teapot' }] } } as ValidatingAdmissionPolicy;
  const errs = validatePolicy(bad);
  assert.equal(errs[0]?.field, 'spec.validations[0].expression');
  assert.match(errs[0]?.detail ?? '', /^compilation failed: /);
  assert.equal(errs[1]?.type, 'FieldValueNotSupported');
  assert.deepEqual(validatePolicy({ metadata: { name: 'p' }, spec: { matchConstraints: rules } } as ValidatingAdmissionPolicy).map((e) => e.field), ['spec.validations']);
});

test('binding: validationActions required and unique, policyName required; printer NAME POLICYNAME PARAMREF AGE', () => {
  const b = (spec: Record<string, unknown>) => ({ metadata: { name: 'b' }, spec }) as ValidatingAdmissionPolicyBinding;
  assert.deepEqual(validateBinding(b({ policyName: 'p' })).map((e) => [e.type, e.field]), [['FieldValueRequired', 'spec.validationActions']]);
  assert.deepEqual(validateBinding(b({ policyName: 'p', validationActions: ['Deny', 'Deny'] })).map((e) => [e.type, e.field]), [['FieldValueDuplicate', 'spec.validationActions[1]']]);
  assert.deepEqual(validateBinding(b({ validationActions: ['Nope'] })).map((e) => [e.type, e.field]), [['FieldValueRequired', 'spec.policyName'], ['FieldValueNotSupported', 'spec.validationActions[0]']]);
  assert.deepEqual(validatingAdmissionPolicyBindingDef.columns.map((c) => c.name), ['Name', 'PolicyName', 'ParamRef', 'Age']);
  assert.deepEqual(validatingAdmissionPolicyBindingDef.row(b({ policyName: 'p', validationActions: ['Deny'] }), new Date()).slice(0, 3), ['b', 'p', '<unset>']);
});
