import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatFieldError } from '../errors.js';
import { secretDef, secretStringDataToData, type Secret } from './secret.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');
const sec = (o: Record<string, unknown>): Secret => ({ metadata: { name: 'tls-secret', namespace: 'default' }, ...o } as Secret);
const validate = (s: Secret) => (secretDef.validate?.(s, { operation: 'create' }) ?? []).map(formatFieldError);

test('type defaults to Opaque; stringData is merged into data and wins', () => {
  const s = sec({ type: '', data: { a: b64('old'), b: b64('keep') }, stringData: { a: 'new', c: 'ü' } });
  secretDef.default?.(s);
  assert.deepEqual(s, sec({ type: 'Opaque', data: { a: b64('new'), b: b64('keep'), c: b64('ü') } }));
  const t = sec({ stringData: { x: 'y' } });
  secretStringDataToData(t);
  assert.deepEqual(t.data, { x: 'eQ==' });
  assert.equal('stringData' in t, false);
});

test('well-known type rules', () => {
  assert.deepEqual(validate(sec({ type: 'kubernetes.io/tls', data: { 'tls.key': b64('k') } })), ['data[tls.crt]: Required value']);
  assert.deepEqual(validate(sec({ type: 'kubernetes.io/basic-auth', data: {} })), ['data[username]: Required value', 'data[password]: Required value']);
  assert.deepEqual(validate(sec({ type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': b64('nope') } })),
    ['data[.dockerconfigjson]: Invalid value: "<secret contents redacted>": invalid character \'o\' in literal null (expecting \'u\')']);
  assert.deepEqual(validate(sec({ type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': b64('[]') } })),
    ['data[.dockerconfigjson]: Invalid value: "<secret contents redacted>": json: cannot unmarshal array into Go value of type map[string]interface {}']);
  assert.deepEqual(validate(sec({ type: 'kubernetes.io/service-account-token' })), ['metadata.annotations[kubernetes.io/service-account.name]: Required value']);
  assert.deepEqual(validate(sec({ type: 'Opaque', data: { big: Buffer.alloc(1024 * 1024 + 1).toString('base64') } })),
    ['data: Too long: may not be more than 1048576 bytes']);
});

test('type and immutable data cannot change', () => {
  const old = sec({ type: 'Opaque', immutable: true, data: { a: b64('1') } });
  const next = sec({ type: 'kubernetes.io/tls', data: { a: b64('2') } });
  assert.deepEqual((secretDef.validateUpdate?.(next, old) ?? []).map(formatFieldError), [
    'type: Invalid value: "kubernetes.io/tls": field is immutable',
    'immutable: Forbidden: field is immutable when `immutable` is set',
    'data: Forbidden: field is immutable when `immutable` is set',
  ]);
});

test('printer and field selector', () => {
  const s = sec({ type: 'kubernetes.io/tls', data: { 'tls.crt': '', 'tls.key': '' } });
  s.metadata.creationTimestamp = '2024-01-01T00:00:00Z';
  assert.deepEqual(secretDef.row(s, new Date('2024-01-01T00:00:30Z')), ['tls-secret', 'kubernetes.io/tls', 2, '30s']);
  assert.equal(secretDef.fieldSelectors?.['type']?.(s), 'kubernetes.io/tls');
});
