import { test } from 'node:test';
import assert from 'node:assert/strict';
import protobuf from 'protobufjs/minimal.js';
import { decodeK8sProtobuf, readEnvelope, canDecodeProtobuf, protobufMessageNames, PROTOBUF_MAGIC } from './decode.js';
import { Registry, SCALARS, parseMessage } from './table.js';
import { autoscalingTables, policyTables } from './tables-policy.js';
import { coreTables } from './tables-core.js';
import { metaTables, appsTables, networkingTables, batchTables, authorizationTables } from './tables-other.js';
import { authenticationTables, authorizationMoreTables, rbacTables } from './tables-auth.js';

type W = protobuf.Writer;
const msg = (f: (w: W) => void): Uint8Array => { const w = protobuf.Writer.create(); f(w); return w.finish(); };
const str = (w: W, n: number, s: string) => w.uint32((n << 3) | 2).string(s);
const sub = (w: W, n: number, b: Uint8Array) => w.uint32((n << 3) | 2).bytes(b);
const varint = (w: W, n: number, v: number) => w.uint32(n << 3).int64(v);
const entry = (k: string, v: string) => msg((w) => { str(w, 1, k); str(w, 2, v); });

/** Wraps an object message in the `k8s\0` + runtime.Unknown envelope. */
function envelope(apiVersion: string, kind: string, raw: Uint8Array, extra?: (w: W) => void): Buffer {
  const body = msg((w) => {
    sub(w, 1, msg((t) => { str(t, 1, apiVersion); str(t, 2, kind); }));
    sub(w, 2, raw);
    extra?.(w);
  });
  return Buffer.concat([PROTOBUF_MAGIC, body]);
}

test('every table parses and every referenced message type exists', () => {
  const reg = new Registry(metaTables, coreTables, appsTables, networkingTables, batchTables, authorizationTables,
    authorizationMoreTables, authenticationTables, rbacTables, policyTables, autoscalingTables);
  const special = new Set(['Time', 'MicroTime', 'Quantity', 'IntOrString', 'RawExtension', 'FieldsV1', 'Duration']);
  for (const name of protobufMessageNames()) {
    for (const f of reg.get(name).values()) {
      assert.ok(SCALARS.has(f.type) || special.has(f.type) || reg.has(f.type), `${name}.${f.name}: ${f.type}`);
    }
  }
  assert.throws(() => parseMessage('name=x', 'Bad'), /bad protobuf table item "name=x" in Bad/);
});

test('scalars, pointers, maps, IntOrString, Time and unknown fields', () => {
  const meta = msg((w) => {
    str(w, 1, 'web'); str(w, 2, ''); varint(w, 7, 0);
    sub(w, 8, msg((t) => varint(t, 1, 1704164645)));
    sub(w, 11, entry('app', 'web')); sub(w, 11, entry('empty', ''));
    str(w, 99, 'unknown string field'); varint(w, 98, 5); w.uint32((97 << 3) | 5).fixed32(1); w.uint32((96 << 3) | 1).fixed64(1);
  });
  const port = msg((w) => {
    str(w, 1, ''); varint(w, 3, 80); sub(w, 4, msg((t) => { varint(t, 1, 1); str(t, 3, 'http'); })); varint(w, 5, 0);
  });
  const port2 = msg((w) => { varint(w, 3, 81); sub(w, 4, msg((t) => { varint(t, 1, 0); varint(t, 2, 0); })); });
  const spec = msg((w) => {
    sub(w, 1, port); sub(w, 1, port2); str(w, 4, 'ClusterIP'); varint(w, 13, 0); varint(w, 20, 0);
    sub(w, 14, msg((s) => sub(s, 1, msg((c) => varint(c, 1, 0)))));
  });
  const got = decodeK8sProtobuf(envelope('v1', 'Service', msg((w) => { sub(w, 1, meta); sub(w, 2, spec); sub(w, 3, new Uint8Array(0)); })));
  assert.deepEqual(got, {
    apiVersion: 'v1', kind: 'Service',
    metadata: { name: 'web', creationTimestamp: '2024-01-02T03:04:05Z', labels: { app: 'web', empty: '' } },
    spec: {
      ports: [{ port: 80, targetPort: 'http' }, { port: 81 }], type: 'ClusterIP', allocateLoadBalancerNodePorts: false,
      sessionAffinityConfig: { clientIP: { timeoutSeconds: 0 } },
    },
    status: {},
  });
  assert.deepEqual(Object.keys(got).slice(0, 2), ['apiVersion', 'kind']);
});

test('pointer zero values survive; bytes maps become base64; packed repeated ints', () => {
  const dep = decodeK8sProtobuf(envelope('apps/v1', 'Deployment', msg((w) => sub(w, 2, msg((s) => {
    varint(s, 1, 0); varint(s, 5, 0);
    sub(s, 4, msg((st) => sub(st, 2, msg((ru) => sub(ru, 1, msg((t) => varint(t, 2, 0)))))));
  })))));
  assert.deepEqual(dep, { apiVersion: 'apps/v1', kind: 'Deployment', spec: { replicas: 0, strategy: { rollingUpdate: { maxUnavailable: 0 } } } });
  const sec = decodeK8sProtobuf(envelope('v1', 'Secret', msg((w) => {
    sub(w, 2, msg((e) => { str(e, 1, 'k'); sub(e, 2, Buffer.from([0, 255])); }));
    str(w, 3, ''); varint(w, 5, 0);
  })));
  assert.deepEqual(sec, { apiVersion: 'v1', kind: 'Secret', data: { k: 'AP8=' }, immutable: false });
  const ports = msg((c) => { str(c, 1, ''); sub(c, 6, msg((p) => { varint(p, 2, 0); varint(p, 3, 0); str(p, 4, ''); })); });
  const pod = decodeK8sProtobuf(envelope('v1', 'Pod', msg((w) => sub(w, 2, msg((s) => sub(s, 2, ports))))));
  assert.deepEqual(pod['spec'], { containers: [{ name: '', ports: [{ containerPort: 0 }] }] }, 'fields without omitempty keep zero');
  const rule = msg((w) => sub(w, 2, msg((c) => { str(c, 2, 'In'); sub(c, 3, msg((p) => { p.int32(1); p.int32(42); })); })));
  const job = decodeK8sProtobuf(envelope('batch/v1', 'Job', msg((w) => sub(w, 2, msg((s) => sub(s, 11, msg((p) => sub(p, 1, rule))))))));
  assert.deepEqual((job['spec'] as { podFailurePolicy: unknown }).podFailurePolicy, { rules: [{ onExitCodes: { operator: 'In', values: [1, 42] } }] });
});

test('embedded Go structs are flattened (Ingress rules, volumes, probes)', () => {
  const path = msg((p) => { str(p, 1, '/'); sub(p, 2, msg((b) => sub(b, 4, msg((s) => { str(s, 1, 'svc'); sub(s, 2, msg((n) => varint(n, 2, 80))); })))); str(p, 3, 'Prefix'); });
  const rule = msg((r) => { str(r, 1, 'foo.com'); sub(r, 2, msg((v) => sub(v, 1, msg((h) => sub(h, 1, path))))); });
  const ing = decodeK8sProtobuf(envelope('networking.k8s.io/v1', 'Ingress', msg((w) => sub(w, 2, msg((s) => sub(s, 3, rule))))));
  assert.deepEqual(ing['spec'], { rules: [{ host: 'foo.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'svc', port: { number: 80 } } } }] } }] });
  const vol = msg((v) => { str(v, 1, 'data'); sub(v, 2, msg((src) => sub(src, 2, msg((e) => sub(e, 2, msg((q) => str(q, 1, '1Gi'))))))); });
  const probe = msg((p) => { sub(p, 1, msg((h) => sub(h, 3, msg((t) => sub(t, 1, msg((i) => { varint(i, 1, 0); varint(i, 2, 8080); })))))); varint(p, 4, 10); });
  const ctr = msg((c) => { str(c, 1, 'app'); sub(c, 11, probe); });
  const pod = decodeK8sProtobuf(envelope('v1', 'Pod', msg((w) => sub(w, 2, msg((s) => { sub(s, 1, vol); sub(s, 2, ctr); })))));
  assert.deepEqual(pod['spec'], {
    volumes: [{ name: 'data', emptyDir: { sizeLimit: '1Gi' } }],
    containers: [{ name: 'app', readinessProbe: { tcpSocket: { port: 8080 }, periodSeconds: 10 } }],
  });
});

test('malformed or unsupported input throws a clear Error', () => {
  assert.throws(() => decodeK8sProtobuf(Buffer.from('{"kind":"Service"}')), /failed to decode protobuf body: .*missing the "k8s\\x00" prefix/);
  const good = envelope('v1', 'Namespace', msg((w) => sub(w, 1, msg((m) => str(m, 1, 'demo')))));
  assert.throws(() => decodeK8sProtobuf(good.subarray(0, good.length - 2)), /failed to decode protobuf body: /);
  assert.throws(() => decodeK8sProtobuf(envelope('v1', 'Namespace', msg((w) => varint(w, 1, 5)))), /wrong wire type 0 for field Namespace.metadata/);
  assert.throws(() => decodeK8sProtobuf(envelope('v1', 'Bogus', new Uint8Array(0))), /no protobuf decoding for Bogus in version "v1"/);
  assert.throws(() => decodeK8sProtobuf(envelope('v1', 'Namespace', new Uint8Array(0), (w) => str(w, 3, 'gzip'))), /unsupported content encoding "gzip"/);
  assert.throws(() => decodeK8sProtobuf(Buffer.concat([PROTOBUF_MAGIC, Buffer.from([0x0a, 0x00])])), /no apiVersion or kind/);
  assert.throws(() => decodeK8sProtobuf(envelope('v1', 'Namespace', Buffer.from([0xff, 0xff, 0xff]))), /failed to decode protobuf body/);
});

test('envelope fields and decodable kinds', () => {
  const env = readEnvelope(envelope('v1', 'ConfigMap', Buffer.from([1, 2]), (w) => str(w, 4, 'application/vnd.kubernetes.protobuf')));
  assert.deepEqual({ ...env, raw: [...env.raw] }, { apiVersion: 'v1', kind: 'ConfigMap', raw: [1, 2], contentEncoding: '', contentType: 'application/vnd.kubernetes.protobuf' });
  for (const [av, k] of [['v1', 'Service'], ['apps/v1', 'Deployment'], ['networking.k8s.io/v1', 'Ingress'], ['batch/v1', 'CronJob'], ['authorization.k8s.io/v1', 'SelfSubjectAccessReview']]) {
    assert.ok(canDecodeProtobuf(av ?? '', k ?? ''), `${av} ${k}`);
  }
  assert.equal(canDecodeProtobuf('apps/v1', 'Service'), false);
});
