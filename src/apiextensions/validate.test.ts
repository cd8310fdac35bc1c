import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatFieldError } from '../api/errors.js';
import { validateValue } from './validate.js';
import { applyDefaults, pruneObject } from './prune.js';
import type { JSONSchemaProps } from './types.js';

const schema: JSONSchemaProps = {
  type: 'object',
  required: ['name'],
  properties: {
    name: { type: 'string', minLength: 2, maxLength: 5, pattern: '^[a-z]+$' },
    size: { type: 'integer', minimum: 1, maximum: 10 },
    ratio: { type: 'number', exclusiveMaximum: true, maximum: 1 },
    color: { type: 'string', enum: ['red', 'blue'], default: 'red' },
    port: { 'x-kubernetes-int-or-string': true },
    tags: { type: 'array', items: { type: 'string' }, maxItems: 2, minItems: 1, 'x-kubernetes-list-type': 'set' },
    ports: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' }, port: { type: 'integer', default: 80 } } }, 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name'] },
    maybe: { type: 'string', nullable: true },
    when: { type: 'string', format: 'date-time' },
    free: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
    one: { type: 'object', properties: { a: { type: 'string' }, b: { type: 'string' } }, oneOf: [{ required: ['a'] }, { required: ['b'] }] },
    labels: { type: 'object', additionalProperties: { type: 'string' } },
    embedded: { type: 'object', 'x-kubernetes-embedded-resource': true, 'x-kubernetes-preserve-unknown-fields': true },
  },
};

const errs = (v: unknown) => validateValue(v, schema, '').map(formatFieldError);

describe('structural schema validation (messages as apiextensions-apiserver reports them)', () => {
  const cases: [string, unknown, string[]][] = [
    ['valid object', { name: 'ab', size: 3, port: 'http', tags: ['a'], labels: { x: 'y' } }, []],
    ['required', {}, ['name: Required value']],
    ['type', { name: 'ab', size: 'big' }, ['size: Invalid value: "string": size in body must be of type integer: "string"']],
    ['maximum', { name: 'ab', size: 11 }, ['size: Invalid value: 11: size in body should be less than or equal to 10']],
    ['minimum', { name: 'ab', size: 0 }, ['size: Invalid value: 0: size in body should be greater than or equal to 1']],
    ['exclusive maximum', { name: 'ab', ratio: 1 }, ['ratio: Invalid value: 1: ratio in body should be less than 1']],
    ['enum', { name: 'ab', color: 'green' }, ['color: Unsupported value: "green": supported values: "red", "blue"']],
    ['pattern', { name: 'AB' }, ["name: Invalid value: \"AB\": name in body should match '^[a-z]+$'"]],
    ['minLength', { name: 'a' }, ['name: Invalid value: "a": name in body should be at least 2 chars long']],
    ['maxLength', { name: 'abcdef' }, ['name: Too long: may not be more than 5 bytes']],
    ['maxItems', { name: 'ab', tags: ['a', 'b', 'c'] }, ['tags: Too many: 3: must have at most 2 items']],
    ['minItems', { name: 'ab', tags: [] }, ['tags: Invalid value: 0: tags in body should have at least 1 items']],
    ['set duplicates', { name: 'ab', tags: ['a', 'a'] }, ['tags[1]: Duplicate value: "a"']],
    ['map keys duplicates', { name: 'ab', ports: [{ name: 'x' }, { name: 'x' }] }, ['ports[1]: Duplicate value: {"name":"x"}']],
    ['int-or-string', { name: 'ab', port: 1.5 }, ['port: Invalid value: "number": port in body must be of type integer,string: "number"']],
    ['nullable', { name: 'ab', maybe: null }, []],
    ['format date-time', { name: 'ab', when: 'yesterday' }, ['when: Invalid value: "yesterday": when in body must be of type date-time: "yesterday"']],
    ['oneOf', { name: 'ab', one: { a: 'x', b: 'y' } }, ['one: Invalid value: {"a":"x","b":"y"}: one in body must validate one and only one schema (oneOf)']],
    ['map values', { name: 'ab', labels: { x: 1 } }, ['labels.x: Invalid value: "integer": labels.x in body must be of type string: "integer"']],
    ['embedded resource', { name: 'ab', embedded: { metadata: {} } }, ['embedded.apiVersion: Required value: must not be empty', 'embedded.kind: Required value: must not be empty']],
  ];
  for (const [name, value, want] of cases) it(name, () => assert.deepEqual(errs(value), want));
});

describe('pruning and defaulting', () => {
  it('prunes unknown fields and reports their paths, keeping preserved and embedded parts', () => {
    const o = { name: 'ab', bogus: 1, free: { any: { thing: 1 } }, ports: [{ name: 'x', extra: true }], embedded: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', junk: 1 }, spec: {} } };
    const unknown = pruneObject(o, schema);
    assert.deepEqual(unknown.sort(), ['bogus', 'embedded.metadata.junk', 'ports[0].extra']);
    assert.deepEqual(o, { name: 'ab', free: { any: { thing: 1 } }, ports: [{ name: 'x' }], embedded: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: {} } });
  });
  it('drops nulls of non-nullable fields and keeps nullable ones', () => {
    const o = { name: 'ab', size: null, maybe: null };
    pruneObject(o, schema);
    assert.deepEqual(o, { name: 'ab', maybe: null });
  });
  it('fills defaults of absent fields, in list items too', () => {
    const o: Record<string, unknown> = { name: 'ab', ports: [{ name: 'x' }, { name: 'y', port: 8080 }] };
    applyDefaults(o, schema);
    assert.deepEqual(o, { name: 'ab', color: 'red', ports: [{ name: 'x', port: 80 }, { name: 'y', port: 8080 }] });
  });
});
