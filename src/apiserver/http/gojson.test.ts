import { test } from 'node:test';
import assert from 'node:assert/strict';
import { goJsonSyntaxError, summarizeBody } from './gojson.js';

const err = (s: string) => goJsonSyntaxError(Buffer.from(s));

test('valid JSON has no error', () => {
  for (const s of ['{}', '[]', ' {"a":[1,-2.5e+3,true,false,null,"x\\u00e9\\n"]} ', '0', '"s"']) assert.equal(err(s), undefined, s);
});

test('syntax errors are worded as Go encoding/json words them', () => {
  assert.equal(err(''), 'unexpected end of JSON input');
  assert.equal(err('{"apiVersion": "v1", "kind": '), 'unexpected end of JSON input');
  assert.equal(err('xyz'), "invalid character 'x' looking for beginning of value");
  assert.equal(err('{"a":1,}'), "invalid character '}' looking for beginning of object key string");
  assert.equal(err('{"a" 1}'), "invalid character '1' after object key");
  assert.equal(err('{"a":1 "b"}'), "invalid character '\"' after object key:value pair");
  assert.equal(err('[1 2]'), "invalid character '2' after array element");
  assert.equal(err('{} x'), "invalid character 'x' after top-level value");
  assert.equal(err('"a\u0001"'), "invalid character '\\x01' in string literal");
  assert.equal(err('"\\q"'), "invalid character 'q' in string escape code");
  assert.equal(err('"\\u12g4"'), "invalid character 'g' in \\u hexadecimal character escape");
  assert.equal(err('-x'), "invalid character 'x' in numeric literal");
  assert.equal(err('1.x'), "invalid character 'x' after decimal point in numeric literal");
  assert.equal(err('1ex'), "invalid character 'x' in exponent of numeric literal");
  assert.equal(err('tru'), 'unexpected end of JSON input');
  assert.equal(err('trux'), "invalid character 'x' in literal true (expecting 'e')");
  assert.equal(err("{'a':1}"), "invalid character '\\'' looking for beginning of object key string");
  assert.equal(err('[\n'), 'unexpected end of JSON input');
  assert.equal(err('\t!'), "invalid character '!' looking for beginning of value");
});

test('nesting beyond 10000 levels is refused as Go does, without recursion', () => {
  assert.equal(err('['.repeat(10_001) + ']'.repeat(10_001)), 'exceeded max depth');
  assert.equal(err('['.repeat(10_000) + ']'.repeat(10_000)), undefined);
});

test('summarizeBody shows the start of object bodies as text, others as hex', () => {
  assert.equal(summarizeBody(Buffer.from('')), '<empty>');
  assert.equal(summarizeBody(Buffer.from('xyz')), '78797a');
  assert.equal(summarizeBody(Buffer.from('{"apiVersion": "v1", "kind": "ConfigMap"}')), '{"apiVersion": "v1", "kind": " ...');
});
