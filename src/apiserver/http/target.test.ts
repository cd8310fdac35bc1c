import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StatusError } from '../../api/errors.js';
import type { ResourceDef } from '../../api/resource.js';
import { parseRequestPath } from './request.js';
import { checkKeySegments, parseRequestTarget } from './target.js';

const status = (fn: () => unknown): { code: number; reason?: string; message?: string } => {
  try { fn(); } catch (e) { if (e instanceof StatusError) return e.status; throw e; }
  assert.fail('expected a StatusError');
};

test('dot segments are names, never resolved into another path (Go\'s URL.Path has no dot-segment resolution)', () => {
  const t = parseRequestTarget('/api/v1/namespaces/%2e%2e/configmaps?limit=500');
  assert.equal(t.path, '/api/v1/namespaces/../configmaps');
  assert.equal(t.query.get('limit'), '500');
  const info = parseRequestPath(t.path);
  assert.deepEqual([info.namespace, info.resource, info.name], ['..', 'configmaps', undefined]);
  assert.equal(parseRequestPath(parseRequestTarget('/api/v1/namespaces/default/configmaps/./x').path).name, '.');
});

test('a malformed percent-escape is a 400 Status with Go\'s parse error, not a 500', () => {
  const s = status(() => parseRequestTarget('/api/v1/namespaces/default/configmaps/%E0%A4%A'));
  assert.deepEqual([s.code, s.reason, s.message], [400, 'BadRequest', 'parse "/api/v1/namespaces/default/configmaps/%E0%A4%A": invalid URL escape "%A"']);
  assert.equal(status(() => parseRequestTarget('/api/%zz')).message, 'parse "/api/%zz": invalid URL escape "%zz"');
  assert.equal(parseRequestTarget('/api/v1/namespaces/d%C3%A9j%C3%A0').path, '/api/v1/namespaces/déjà');
});

test('the query keeps only pairs that decode, with + as a space (url.ParseQuery)', () => {
  const q = parseRequestTarget('/api?labelSelector=a+in+(x)&bad=%zz&fieldSelector=metadata.name%3Dx&flag').query;
  assert.equal(q.get('labelSelector'), 'a in (x)');
  assert.equal(q.get('bad'), null);
  assert.equal(q.get('fieldSelector'), 'metadata.name=x');
  assert.equal(q.get('flag'), '');
});

test('names and namespaces that cannot be storage keys are refused as kube-apiserver refuses them', () => {
  const cm = { plural: 'configmaps', namespaced: true } as ResourceDef;
  const svc = { plural: 'services', namespaced: true } as ResourceDef;
  const info = (path: string) => parseRequestPath(path);
  let s = status(() => checkKeySegments(cm, info('/api/v1/namespaces/default/configmaps/..'), 'GET'));
  assert.deepEqual([s.code, s.reason, s.message], [400, 'BadRequest', 'Name parameter invalid: "..": may not be \'..\'']);
  s = status(() => checkKeySegments(cm, info('/api/v1/namespaces/default/configmaps/a%b'), 'DELETE'));
  assert.equal(s.message, 'Name parameter invalid: "a%b": may not contain \'%\'');
  s = status(() => checkKeySegments(cm, info('/api/v1/namespaces/../configmaps'), 'GET'));
  assert.deepEqual([s.code, s.reason, s.message], [500, undefined, 'invalid key: "/configmaps/.."']);
  s = status(() => checkKeySegments(svc, info('/api/v1/namespaces/./services/web'), 'PUT'));
  assert.equal(s.message, 'invalid key: "/services/specs/./web"');
  checkKeySegments(cm, info('/api/v1/namespaces/../configmaps'), 'POST'); // admission answers: the namespace does not exist
  checkKeySegments(cm, info('/api/v1/namespaces/default/configmaps/web'), 'GET');
});
