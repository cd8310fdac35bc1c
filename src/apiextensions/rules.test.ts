import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatFieldError, type FieldError } from '../api/errors.js';
import { compileRules, evaluateRules, celPropertyName, type CompiledRules } from './rules.js';
import type { JSONSchemaProps } from './types.js';

function check(schema: JSONSchemaProps, v: unknown, old?: unknown): string[] {
  const rules: CompiledRules = new WeakMap();
  const errs: FieldError[] = [];
  compileRules(schema, '', rules, errs);
  assert.deepEqual(errs, []);
  return evaluateRules(v, old, schema, 'spec', rules).map(formatFieldError);
}

const spec = (rules: JSONSchemaProps['x-kubernetes-validations'], props: JSONSchemaProps['properties'] = {}): JSONSchemaProps =>
  ({ type: 'object', properties: { min: { type: 'integer' }, max: { type: 'integer' }, name: { type: 'string' }, items: { type: 'array', maxItems: 10, items: { type: 'string' } }, ...props }, 'x-kubernetes-validations': rules });

describe('x-kubernetes-validations', () => {
  const cases: [string, JSONSchemaProps, unknown, unknown, string[]][] = [
    ['passes', spec([{ rule: 'self.min <= self.max' }]), { min: 1, max: 2 }, undefined, []],
    ['default message', spec([{ rule: 'self.min <= self.max' }]), { min: 3, max: 2 }, undefined, ['spec: Invalid value: "object": failed rule: self.min <= self.max']],
    ['message', spec([{ rule: 'self.min <= self.max', message: 'min must not exceed max' }]), { min: 3, max: 2 }, undefined, ['spec: Invalid value: "object": min must not exceed max']],
    ['messageExpression', spec([{ rule: 'self.min <= self.max', messageExpression: "'min ' + string(self.min) + ' is too big'" }]), { min: 3, max: 2 }, undefined, ['spec: Invalid value: "object": min 3 is too big']],
    ['fieldPath and reason', spec([{ rule: 'self.min <= self.max', fieldPath: '.min', reason: 'FieldValueForbidden', message: 'no' }]), { min: 3, max: 2 }, undefined, ['spec.min: Forbidden: no']],
    ['has()', spec([{ rule: 'has(self.name)', reason: 'FieldValueRequired', message: 'name is required' }]), {}, undefined, ['spec: Required value: name is required']],
    ['list macros', spec([{ rule: "self.items.all(i, i.startsWith('a'))" }]), { items: ['ab', 'b'] }, undefined, ["spec: Invalid value: \"object\": failed rule: self.items.all(i, i.startsWith('a'))"]],
    ['regex (re2)', spec([{ rule: "self.name.matches('^[a-z]+$')" }]), { name: 'ABC' }, undefined, ["spec: Invalid value: \"object\": failed rule: self.name.matches('^[a-z]+$')"]],
    ['kubernetes list library', spec([{ rule: 'self.items.isSorted()' }]), { items: ['a', 'c', 'b'] }, undefined, ['spec: Invalid value: "object": failed rule: self.items.isSorted()']],
    ['escaped property names', spec([{ rule: "self.__namespace__ == 'x'" }], { namespace: { type: 'string' } }), { namespace: 'x' }, undefined, []],
    ['transition rule skipped on create', spec([{ rule: 'self.name == oldSelf.name', message: 'immutable' }]), { name: 'a' }, undefined, []],
    ['transition rule on update', spec([{ rule: 'self.name == oldSelf.name', message: 'immutable' }]), { name: 'a' }, { name: 'b' }, ['spec: Invalid value: "object": immutable']],
  ];
  for (const [name, schema, v, old, want] of cases) it(name, () => assert.deepEqual(check(schema, v, old), want));

  it('rules that do not compile are reported at the rule path', () => {
    const errs: FieldError[] = [];
    compileRules(spec([{ rule: 'self.min <' }]), 'spec.versions[0].schema.openAPIV3Schema', new WeakMap(), errs);
    assert.equal(errs.length, 1);
    assert.equal(errs[0]!.field, 'spec.versions[0].schema.openAPIV3Schema.x-kubernetes-validations[0].rule');
    assert.match(errs[0]!.detail ?? '', /^compilation failed: ERROR: <input>:1:/);
  });

  it('nested comprehensions over unbounded lists exceed the cost budget', () => {
    const errs: FieldError[] = [];
    const s: JSONSchemaProps = { type: 'array', items: { type: 'string' }, 'x-kubernetes-validations': [{ rule: 'self.all(a, self.exists_one(b, a == b))' }] };
    compileRules(s, 'x', new WeakMap(), errs);
    assert.match(errs[0]?.detail ?? '', /^estimated rule cost exceeds budget by factor of/);
    const strs: FieldError[] = [];
    compileRules({ type: 'string', 'x-kubernetes-validations': [{ rule: "self.split('').all(a, self.split('').all(b, a == b))" }] }, 'x', new WeakMap(), strs);
    assert.match(strs[0]?.detail ?? '', /^estimated rule cost exceeds budget/);
    const bounded: FieldError[] = [];
    compileRules({ ...s, maxItems: 64 }, 'x', new WeakMap(), bounded);
    assert.deepEqual(bounded, []);
  });

  it('escapes property names as Kubernetes does', () => {
    assert.deepEqual(['namespace', 'a-b', 'a.b', 'a/b', 'a__b', 'plain'].map(celPropertyName), ['__namespace__', 'a__dash__b', 'a__dot__b', 'a__slash__b', 'a__underscores__b', 'plain']);
  });
});
