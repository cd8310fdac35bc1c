import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import protobuf from 'protobufjs/minimal.js';
import { Registry } from '../../api/registry.js';
import { allKinds } from '../../api/kinds/index.js';
import type { CRD } from '../../api/kinds/crd.js';
import { crdResourceDefs } from '../../apiextensions/resource.js';
import { encodeSwagger } from './gnostic.js';
import { openapiV2Body, swaggerDocument, OPENAPI_V2_PROTOBUF } from './openapi-v2.js';

/** A decoded message: field number → values (sub-messages and strings stay as bytes). */
type Msg = Map<number, (Uint8Array | number | bigint)[]>;

function decode(buf: Uint8Array): Msg {
  const r = protobuf.Reader.create(buf);
  const out: Msg = new Map();
  while (r.pos < r.len) {
    const tag = r.uint32();
    const no = tag >>> 3, wt = tag & 7;
    const v = wt === 2 ? r.bytes() : wt === 0 ? r.uint32() : wt === 1 ? r.double() : (() => { throw new Error(`wire type ${wt}`); })();
    out.set(no, [...(out.get(no) ?? []), v]);
  }
  return out;
}
const bytes = (m: Msg, no: number): Uint8Array[] => (m.get(no) ?? []) as Uint8Array[];
const sub = (m: Msg, ...path: number[]): Msg => path.reduce((acc, no) => decode(bytes(acc, no)[0] ?? new Uint8Array()), m);
const text = (m: Msg, no: number): string => Buffer.from(bytes(m, no)[0] ?? []).toString();
/** The value of a `repeated Named*` entry called `name`. */
function named(m: Msg, no: number, name: string): Msg {
  for (const b of bytes(m, no)) {
    const e = decode(b);
    if (text(e, 1) === name) return sub(e, 2);
  }
  throw new Error(`no entry ${name}`);
}
/** Vendor extensions as name → YAML text. */
function ext(m: Msg, no: number): Record<string, string> {
  return Object.fromEntries(bytes(m, no).map((b) => { const e = decode(b); return [text(e, 1), text(sub(e, 2), 2)]; }));
}

const registry = new Registry(allKinds);
const doc = swaggerDocument(registry, 'v1.32.5-knet');
const pb = decode(encodeSwagger(doc));

describe('openapi v2 (gnostic protobuf)', () => {
  it('document header', () => {
    assert.equal(text(pb, 1), '2.0');
    assert.equal(text(sub(pb, 2), 1), 'Kubernetes');
  });

  it('definitions carry the GVK list, types, $refs and patch extensions', () => {
    const defs = sub(pb, 9);
    const svc = named(defs, 1, 'io.k8s.api.core.v1.Service');
    assert.deepEqual(JSON.parse(ext(svc, 31)['x-kubernetes-group-version-kind'] ?? ''), [{ group: '', version: 'v1', kind: 'Service' }]);
    assert.equal(text(sub(svc, 22), 1), 'object');
    const spec = named(sub(svc, 25), 1, 'spec');
    assert.equal(text(spec, 1), '#/definitions/io.k8s.api.core.v1.ServiceSpec');
    assert.equal(spec.get(22), undefined, 'a $ref has no type');
    const ports = named(sub(named(defs, 1, 'io.k8s.api.core.v1.ServiceSpec'), 25), 1, 'ports');
    assert.equal(text(sub(ports, 22), 1), 'array');
    assert.equal(text(sub(ports, 23, 1), 1), '#/definitions/io.k8s.api.core.v1.ServicePort');
    assert.deepEqual(ext(ports, 31)['x-kubernetes-patch-merge-key'], '"port"');
    assert.deepEqual(ext(ports, 31)['x-kubernetes-patch-strategy'], '"merge"');
    const sport = named(defs, 1, 'io.k8s.api.core.v1.ServicePort');
    assert.deepEqual(bytes(sport, 19).map((b) => Buffer.from(b).toString()), ['port']);
    const tp = named(sub(sport, 25), 1, 'targetPort');
    assert.equal(text(tp, 1), '#/definitions/io.k8s.apimachinery.pkg.util.intstr.IntOrString');
    const ios = named(defs, 1, 'io.k8s.apimachinery.pkg.util.intstr.IntOrString');
    assert.equal(text(sub(ios, 22), 1), 'string');
    assert.equal(text(ios, 2), 'int-or-string');
  });

  it('maps have additionalProperties, free-form objects none', () => {
    const meta = named(sub(pb, 9), 1, 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta');
    const labels = named(sub(meta, 25), 1, 'labels');
    assert.equal(text(sub(labels, 22), 1), 'object');
    assert.equal(text(sub(labels, 21, 1, 22), 1), 'string');
    const fields = named(sub(pb, 9), 1, 'io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1');
    assert.equal(text(sub(fields, 22), 1), 'object');
    assert.equal(fields.get(21), undefined);
    assert.equal(fields.get(25), undefined);
  });

  it('every $ref points at a definition', () => {
    const refs = JSON.stringify(doc).match(/"#\/definitions\/[^"]+"/g) ?? [];
    const defs = doc['definitions'] as Record<string, unknown>;
    for (const r of refs) assert.ok(defs[r.slice(15, -1)], r);
  });

  it('PATCH operations carry the GVK map and the fieldValidation query parameter', () => {
    const item = named(sub(pb, 8), 2, '/api/v1/namespaces/{namespace}/services/{name}');
    const patch = sub(item, 8);
    assert.equal(text(patch, 5), 'patchCoreV1NamespacedService');
    assert.deepEqual(JSON.parse(ext(patch, 13)['x-kubernetes-group-version-kind'] ?? ''), { group: '', kind: 'Service', version: 'v1' });
    const names = bytes(patch, 8).map((b) => text(sub(decode(b), 1, 2, 3), 4)).filter(Boolean);
    assert.ok(names.includes('fieldValidation'), names.join());
    const body = sub(decode(bytes(patch, 8)[0]!), 1, 1);
    assert.equal(text(body, 3), 'body');
    assert.equal(text(sub(body, 5), 1), '#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.Patch');
    const scale = sub(named(sub(pb, 8), 2, '/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale'), 2);
    assert.equal(text(scale, 5), 'readAppsV1NamespacedDeploymentScale');
  });

  it('serves protobuf or JSON by Accept', () => {
    const p = openapiV2Body(registry, 'v1', 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf');
    assert.equal(p.contentType, OPENAPI_V2_PROTOBUF);
    const j = openapiV2Body(registry, 'v1', 'application/json');
    assert.equal((JSON.parse(j.body.toString()) as { swagger: string }).swagger, '2.0');
  });

  it('a custom resource served after the first fetch appears in the next one (the cache follows registry.revision)', () => {
    const reg = new Registry(allKinds);
    const paths = (accept: string | undefined) => Object.keys((JSON.parse(openapiV2Body(reg, 'v1', accept).body.toString()) as { paths: Record<string, unknown> }).paths);
    const P = '/apis/example.com/v1/namespaces/{namespace}/gadgets';
    assert.ok(!paths(undefined).includes(P));
    const crd = {
      metadata: { name: 'gadgets.example.com' },
      spec: { group: 'example.com', scope: 'Namespaced', names: { plural: 'gadgets', singular: 'gadget', kind: 'Gadget' },
        versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } } } } }] },
    } as unknown as CRD;
    reg.add(crdResourceDefs(crd));
    assert.ok(paths(undefined).includes(P), 'JSON');
    assert.ok(openapiV2Body(reg, 'v1', 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf').body.includes(Buffer.from(P)), 'protobuf');
  });
});
