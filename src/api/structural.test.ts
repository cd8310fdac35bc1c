import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Obj, Opt, Str, Int32, Int64, Bool, Num, List, MapOf, StrMap, Free, IntOrString, Quantity, Time, Type } from './schema.js';
import { kindProps } from './meta.js';
import {
  checkStructure, strictDecodingMessage, typeErrorMessage, pruneNulls, pruneUnknown, applySchemaDefaults, quantityError, unknownFieldWarnings,
} from './structural.js';

const C = 'io.k8s.api.core.v1.';
const Port = Obj(C + 'ServicePort', 'A port.', {
  name: Opt(Str('n')), protocol: Opt(Str('p', { default: 'TCP' })), port: Int32('p'), targetPort: Opt(IntOrString), nodePort: Opt(Int32('n')),
});
const Spec = Obj(C + 'ServiceSpec', 'Spec.', {
  ports: Opt(List(Port, 'ports')), selector: Opt(StrMap('sel')), type: Opt(Str('t', { default: 'ClusterIP' })),
  ipFamilies: Opt(List(Type.String(), 'fam')), publishNotReadyAddresses: Opt(Bool('b')),
  weight: Opt(Num('w')), big: Opt(Int64('b')), extra: Opt(Free('raw')),
});
const Svc = Obj(C + 'Service', 'Service.', kindProps({ spec: Opt(Spec) }));
const Res = Obj(C + 'ResourceRequirements', 'Res.', { limits: Opt(MapOf(Quantity, 'l')) });
const Ctr = Obj(C + 'Container', 'C.', { name: Str('n'), resources: Opt(Res), started: Opt(Time) });
const Sec = Obj(C + 'Secret', 'S.', kindProps({ data: Opt(MapOf(Type.String({ format: 'byte' }), 'd')), containers: Opt(List(Ctr, 'c')) }));

test('a valid object has no findings', () => {
  const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'a', labels: { x: 'y' }, creationTimestamp: '2024-01-02T03:04:05Z' },
    spec: { ports: [{ port: 80, targetPort: 'http' }, { port: 81, targetPort: 8080 }], selector: { a: 'b' }, extra: { any: [1, { x: null }] } } };
  assert.deepEqual(checkStructure(svc, Svc), { unknown: [], typeErrors: [] });
});

test('unknown fields are reported with Go strict-decoding paths', () => {
  const svc = { kind: 'Service', foo: 1, metadata: { name: 'a', nam: 'x' }, spec: { portz: [], ports: [{ port: 1 }, { port: 2, foo: { deep: 1 } }] } };
  const r = checkStructure(svc, Svc);
  assert.deepEqual(r.unknown, ['foo', 'metadata.nam', 'spec.portz', 'spec.ports[1].foo']);
  assert.equal(strictDecodingMessage('Service', 'v1', ['spec.portz']),
    'Service in version "v1" cannot be handled as a Service: strict decoding error: unknown field "spec.portz"');
  assert.equal(strictDecodingMessage('Deployment', 'apps/v1', ['a', 'b']),
    'Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "a", unknown field "b"');
  assert.deepEqual(unknownFieldWarnings(['spec.portz']), ['unknown field "spec.portz"']);
});

test('type mismatches use encoding/json wording with struct context', () => {
  const cases: [unknown, string][] = [
    [{ spec: { ports: [{ port: '80' }] } }, 'json: cannot unmarshal string into Go struct field ServicePort.spec.ports.port of type int32'],
    [{ spec: { ports: [{ port: 1.5 }] } }, 'json: cannot unmarshal number 1.5 into Go struct field ServicePort.spec.ports.port of type int32'],
    [{ spec: { ports: [{ port: 99999999999 }] } }, 'json: cannot unmarshal number 99999999999 into Go struct field ServicePort.spec.ports.port of type int32'],
    [{ spec: 'x' }, 'json: cannot unmarshal string into Go struct field Service.spec of type v1.ServiceSpec'],
    [{ spec: { ports: {} } }, 'json: cannot unmarshal object into Go struct field ServiceSpec.spec.ports of type []v1.ServicePort'],
    [{ spec: { type: 5 } }, 'json: cannot unmarshal number into Go struct field ServiceSpec.spec.type of type v1.ServiceType'],
    [{ spec: { ipFamilies: [4] } }, 'json: cannot unmarshal number into Go struct field ServiceSpec.spec.ipFamilies of type v1.IPFamily'],
    [{ spec: { ipFamilies: 'IPv4' } }, 'json: cannot unmarshal string into Go struct field ServiceSpec.spec.ipFamilies of type []v1.IPFamily'],
    [{ spec: { selector: { a: 1 } } }, 'json: cannot unmarshal number into Go struct field ServiceSpec.spec.selector of type string'],
    [{ spec: { selector: [] } }, 'json: cannot unmarshal array into Go struct field ServiceSpec.spec.selector of type map[string]string'],
    [{ spec: { publishNotReadyAddresses: 'true' } }, 'json: cannot unmarshal string into Go struct field ServiceSpec.spec.publishNotReadyAddresses of type bool'],
    [{ spec: { weight: true } }, 'json: cannot unmarshal bool into Go struct field ServiceSpec.spec.weight of type float64'],
    [{ metadata: { labels: { a: true } } }, 'json: cannot unmarshal bool into Go struct field ObjectMeta.metadata.labels of type string'],
    [{ metadata: { generation: 'x' } }, 'json: cannot unmarshal string into Go struct field ObjectMeta.metadata.generation of type int64'],
    [{ spec: { ports: [{ port: 1, targetPort: true }] } }, 'json: cannot unmarshal bool into Go value of type int32'],
    [{ metadata: { creationTimestamp: 5 } }, 'json: cannot unmarshal number into Go value of type string'],
    [{ metadata: { creationTimestamp: '2024-01-02' } }, 'parsing time "2024-01-02" as "2006-01-02T15:04:05Z07:00": cannot parse "" as "T"'],
  ];
  for (const [obj, want] of cases) assert.deepEqual(checkStructure(obj, Svc).typeErrors, [want], JSON.stringify(obj));
  assert.equal(typeErrorMessage('Service', 'v1', [cases[0]?.[1] ?? '']),
    'Service in version "v1" cannot be handled as a Service: json: cannot unmarshal string into Go struct field ServicePort.spec.ports.port of type int32');
});

test('errors of custom decoders come first; fields of the wrong type are not descended into', () => {
  const r = checkStructure({ spec: { ports: [{ port: 'x', targetPort: {} }], type: 1 } }, Svc);
  assert.equal(r.typeErrors[0], 'json: cannot unmarshal object into Go value of type int32');
  assert.equal(r.typeErrors.length, 3);
  assert.deepEqual(checkStructure({ spec: 'x' }, Svc).unknown, []);
});

test('quantities, bytes and timestamps are checked like their Go decoders', () => {
  assert.equal(quantityError('100m'), undefined);
  assert.equal(quantityError('1.5Gi'), undefined);
  assert.equal(quantityError(2), undefined);
  assert.equal(quantityError('1e3'), undefined);
  assert.equal(quantityError('abc'), "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
  assert.equal(quantityError('1iM'), "unable to parse quantity's suffix");
  const sec = (o: object) => checkStructure(o, Sec).typeErrors;
  assert.deepEqual(sec({ containers: [{ name: 'a', resources: { limits: { cpu: '1x' } } }] }), ["quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"]);
  assert.deepEqual(sec({ data: { a: 'YWJj', b: 'YQ==', c: 'YWI=\n' } }), []);
  assert.deepEqual(sec({ data: { a: 'YW$j' } }), ['illegal base64 data at input byte 2']);
  assert.deepEqual(sec({ data: { a: 'YWJ' } }), ['illegal base64 data at input byte 0']);
  assert.deepEqual(sec({ data: { a: 1 } }), ['json: cannot unmarshal number into Go struct field Secret.data of type []uint8']);
  assert.deepEqual(sec({ containers: [{ name: 'a', started: '2024-01-02T03:04:05.123+01:00' }] }), []);
});

test('pruneNulls drops nulls as Go decoding does, keeping free-form JSON', () => {
  const o = { metadata: { name: 'a', labels: { x: null }, annotations: null }, spec: { ports: [{ port: 1, name: null }], type: null, extra: { k: null } } };
  pruneNulls(o, Svc);
  assert.deepEqual(o, { metadata: { name: 'a', labels: { x: '' } }, spec: { ports: [{ port: 1 }], extra: { k: null } } });
  const p = { a: null, b: { c: null, d: 1 } };
  pruneNulls(p);
  assert.deepEqual(p, { b: { d: 1 } });
});

test('pruneUnknown removes what checkStructure reports', () => {
  const o = { foo: 1, metadata: { name: 'a', nam: 'x' }, spec: { portz: 1, ports: [{ port: 1, foo: 2 }], extra: { free: 1 } } };
  pruneUnknown(o, Svc);
  assert.deepEqual(o, { metadata: { name: 'a' }, spec: { ports: [{ port: 1 }], extra: { free: 1 } } });
  assert.deepEqual(checkStructure(o, Svc).unknown, []);
});

test('applySchemaDefaults fills defaults where the parent exists, inside lists too', () => {
  const o: Record<string, unknown> = { spec: { ports: [{ port: 1 }, { port: 2, protocol: 'UDP' }] } };
  applySchemaDefaults(o, Svc);
  assert.deepEqual(o, { spec: { type: 'ClusterIP', ports: [{ port: 1, protocol: 'TCP' }, { port: 2, protocol: 'UDP' }] } });
  const empty: Record<string, unknown> = {};
  applySchemaDefaults(empty, Svc);
  assert.deepEqual(empty, {});
});
