import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatFieldError, type FieldError } from '../api/errors.js';
import { compileRules, evaluateRules, celPropertyName, type CompiledRules } from './rules.js';
import type { JSONSchemaProps } from './types.js';
import { CelBudget } from './cel-cost.js';

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

  // apiextensions-apiserver refuses rules whose estimated cost (times how often they can run in one
  // object) exceeds StaticEstimatedCostLimit, and cuts rules off at celconfig.PerCallLimit at runtime.
  it('estimates from every list the rule reaches and refuses at CRD write (Forbidden)', () => {
    const deep: JSONSchemaProps = { type: 'object', properties: { a: { type: 'object', properties: { items: { type: 'array', items: { type: 'integer' } } } } },
      'x-kubernetes-validations': [{ rule: 'self.a.items.all(x, self.a.items.all(y, self.a.items.all(z, true)))' }] };
    const errs: FieldError[] = [];
    compileRules({ type: 'object', properties: { spec: deep } }, 'root', new WeakMap(), errs);
    assert.deepEqual(errs.map(formatFieldError), ['root.properties[spec].x-kubernetes-validations[0].rule: Forbidden: estimated rule cost exceeds budget by factor of more than 100x (try simplifying the rule, or adding maxItems, maxProperties, and maxLength where arrays, maps, and strings are declared)']);
    const loose: FieldError[] = [];
    compileRules({ type: 'object', 'x-kubernetes-preserve-unknown-fields': true, 'x-kubernetes-validations': [{ rule: 'self.a.all(x, self.b.all(y, true))' }] }, 'x', new WeakMap(), loose);
    assert.match(loose[0]?.detail ?? '', /^estimated rule cost exceeds budget/);
  });

  it("multiplies a rule under an unbounded list's items by that list's size", () => {
    const item: JSONSchemaProps = { type: 'object', properties: { tags: { type: 'array', maxItems: 100, items: { type: 'string', maxLength: 10 } } },
      'x-kubernetes-validations': [{ rule: "self.tags.all(t, t != 'x')" }] };
    const errs: FieldError[] = [];
    compileRules({ type: 'array', items: item }, 'x', new WeakMap(), errs);
    assert.match(errs[0]?.detail ?? '', /^estimated rule cost exceeds budget by factor of/);
    assert.equal(errs[0]?.field, 'x.items.x-kubernetes-validations[0].rule');
    const ok: FieldError[] = [];
    compileRules({ type: 'array', maxItems: 100, items: item }, 'x', new WeakMap(), ok);
    assert.deepEqual(ok, []);
  });

  it('cuts off a rule that passes the estimate but is expensive at runtime, quickly', () => {
    // 1000 × 1000 iterations pass the estimate (maxItems 1000) but exceed the per-call limit.
    const s: JSONSchemaProps = { type: 'object', properties: { l: { type: 'array', maxItems: 1000, items: { type: 'integer' } } },
      'x-kubernetes-validations': [{ rule: 'self.l.all(x, self.l.all(y, x >= 0))' }] };
    const rules: CompiledRules = new WeakMap();
    const errs: FieldError[] = [];
    compileRules(s, '', rules, errs);
    assert.deepEqual(errs, []);
    const v = { l: Array.from({ length: 1000 }, (_, i) => i) };
    let started = performance.now();
    const got = evaluateRules(v, undefined, s, 'spec', rules, [], new CelBudget(60_000)).map(formatFieldError);
    assert.deepEqual(got, ['spec: Invalid value: "object": call cost exceeds limit for rule: self.l.all(x, self.l.all(y, x >= 0))']);
    assert.ok(performance.now() - started < 1500, `took ${performance.now() - started} ms`);
    const named: JSONSchemaProps = { ...s, 'x-kubernetes-validations': [{ rule: 'self.l.all(x, self.l.all(y, x >= 0))', message: 'pairs must be ordered' }] };
    const namedRules: CompiledRules = new WeakMap();
    compileRules(named, '', namedRules, []);
    assert.deepEqual(evaluateRules(v, undefined, named, 'spec', namedRules, [], new CelBudget(60_000)).map(formatFieldError),
      ['spec: Invalid value: "object": call cost exceeds limit for rule: pairs must be ordered']);
    // With the request's default budget, CEL stops after ~100 ms whichever limit comes first.
    started = performance.now();
    const dflt = evaluateRules(v, undefined, s, 'spec', rules).map(formatFieldError);
    assert.equal(dflt.length, 1);
    assert.match(dflt[0]!, /call cost exceeds limit for rule|running out of cost budget/);
    assert.ok(performance.now() - started < 400, `took ${performance.now() - started} ms`);
  });

  it("stops every rule once the request's budget is used up", () => {
    const s: JSONSchemaProps = { type: 'array', maxItems: 100, items: { type: 'object', properties: { l: { type: 'array', maxItems: 100, items: { type: 'integer' } } },
      'x-kubernetes-validations': [{ rule: 'self.l.all(x, self.l.all(y, x >= 0))' }] } };
    const rules: CompiledRules = new WeakMap();
    const errs: FieldError[] = [];
    compileRules(s, '', rules, errs);
    assert.deepEqual(errs, []);
    const budget = new CelBudget();
    budget.remaining = 200_000; // what is left of the request's RuntimeCELCostBudget
    const v = Array.from({ length: 50 }, () => ({ l: Array.from({ length: 100 }, (_, i) => i) }));
    const got = evaluateRules(v, undefined, s, 'spec', rules, [], budget).map(formatFieldError);
    assert.ok(got.length >= 1 && got.length < 50);
    assert.match(got.at(-1)!, /^spec\[\d+\]: Invalid value: "object": validation failed due to running out of cost budget, no further validation rules will be run$/);
    assert.ok(budget.exhausted);
    // A request whose CEL time is up runs no further rule either.
    const late = new CelBudget(0);
    assert.deepEqual(evaluateRules(v, undefined, s, 'spec', rules, [], late).length, 1);
  });

  it('escapes property names as Kubernetes does', () => {
    assert.deepEqual(['namespace', 'a-b', 'a.b', 'a/b', 'a__b', 'plain'].map(celPropertyName), ['__namespace__', 'a__dash__b', 'a__dot__b', 'a__slash__b', 'a__underscores__b', 'plain']);
  });
});
