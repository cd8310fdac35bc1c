import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StatusError } from '../../api/errors.js';
import { parseResourceVersion } from './read.js';
import { parseFieldSelector } from './fieldselector.js';

const message = (fn: () => unknown): string => {
  try { fn(); } catch (e) { if (e instanceof StatusError) { assert.equal(e.code, 400); return e.status.message ?? ''; } throw e; }
  assert.fail('expected a 400');
};

test('resourceVersion parses as strconv.ParseUint does; the rest is refused with the storage\'s message', () => {
  assert.equal(parseResourceVersion(undefined), 0);
  assert.equal(parseResourceVersion(''), 0);
  assert.equal(parseResourceVersion('0'), 0);
  assert.equal(parseResourceVersion('0042'), 42);
  assert.equal(parseResourceVersion('18446744073709551615'), 18446744073709551615);
  for (const rv of ['abc', '-1', 'NaN', '1e400', '+5', '0x10', '1_000', ' 5']) {
    assert.equal(message(() => parseResourceVersion(rv)), `invalid resource version: resourceVersion: Invalid value: ${JSON.stringify(rv)}: strconv.ParseUint: parsing ${JSON.stringify(rv)}: invalid syntax`, rv);
  }
  assert.equal(message(() => parseResourceVersion('18446744073709551616')), 'invalid resource version: resourceVersion: Invalid value: "18446744073709551616": strconv.ParseUint: parsing "18446744073709551616": value out of range');
});

test('field selectors parse as fields.ParseSelector does, with its errors', () => {
  assert.deepEqual(parseFieldSelector('metadata.name=web,status.phase!=Running'), [
    { field: 'metadata.name', op: '=', value: 'web' }, { field: 'status.phase', op: '!=', value: 'Running' },
  ]);
  assert.deepEqual(parseFieldSelector('metadata.name==a\\,b\\=c\\\\,'), [{ field: 'metadata.name', op: '=', value: 'a,b=c\\' }]);
  assert.deepEqual(parseFieldSelector(''), []);
  assert.equal(message(() => parseFieldSelector('metadata.name===x')), 'invalid field selector: unescaped character in value: 61');
  assert.equal(message(() => parseFieldSelector('metadata.name=a=b')), 'invalid field selector: unescaped character in value: 61');
  assert.equal(message(() => parseFieldSelector('metadata.name=a\\x')), 'invalid field selector: invalid escape sequence: \\x');
  assert.equal(message(() => parseFieldSelector('metadata.name=a\\')), 'invalid field selector: invalid escape sequence: \\');
  assert.equal(message(() => parseFieldSelector('a=b,nonsense')), "invalid selector: 'a=b,nonsense'; can't understand 'nonsense'");
});
