import { test } from 'node:test';
import assert from 'node:assert/strict';
import { strategicMergePatch, PatchError } from './strategic.js';
import { Deployment, Service, MergeItem } from './testschemas.js';

const lastApplied = 'kubectl.kubernetes.io/last-applied-configuration';

function deploy(): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: { name: 'web', annotations: { [lastApplied]: '{old}\n' }, labels: { app: 'web' } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [{
            name: 'nginx', image: 'nginx:1.25',
            env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }],
            ports: [{ containerPort: 8080, protocol: 'TCP' }, { containerPort: 9090, protocol: 'TCP' }],
          }],
        },
      },
    },
  };
}

test('kubectl apply body: replicas, image, env B→C, label added, port removed', () => {
  const patch = {
    metadata: { annotations: { [lastApplied]: '{new}\n' }, labels: { tier: 'front' } },
    spec: { replicas: 3, template: { spec: {
      '$setElementOrder/containers': [{ name: 'nginx' }],
      containers: [{
        '$setElementOrder/env': [{ name: 'A' }, { name: 'C' }], '$setElementOrder/ports': [{ containerPort: 8080 }],
        env: [{ name: 'C', value: '3' }, { $patch: 'delete', name: 'B' }], image: 'nginx:1.27', name: 'nginx',
        ports: [{ $patch: 'delete', containerPort: 9090 }],
      }],
    } } },
  };
  const orig = deploy();
  const before = structuredClone(orig);
  const out = strategicMergePatch(orig, patch, Deployment) as ReturnType<typeof deploy>;
  assert.deepEqual(orig, before, 'original untouched');
  assert.deepEqual(out['metadata'], { name: 'web', annotations: { [lastApplied]: '{new}\n' }, labels: { app: 'web', tier: 'front' } });
  const spec = out['spec'] as Record<string, unknown>;
  assert.equal(spec['replicas'], 3);
  assert.deepEqual((spec['template'] as { spec: unknown }).spec, {
    containers: [{
      name: 'nginx', image: 'nginx:1.27',
      env: [{ name: 'A', value: '1' }, { name: 'C', value: '3' }],
      ports: [{ containerPort: 8080, protocol: 'TCP' }],
    }],
  });
});

test('labels: null deletes a key; unmatched nulls are ignored', () => {
  const out = strategicMergePatch(deploy(), { metadata: { labels: { app: null, nope: null } } }, Deployment);
  assert.deepEqual((out['metadata'] as Record<string, unknown>)['labels'], {});
});

test('set image keeps other containers and fields', () => {
  const orig = deploy();
  const tpl = ((orig['spec'] as Record<string, unknown>)['template'] as { spec: { containers: unknown[] } });
  tpl.spec.containers.push({ name: 'side', image: 'busybox' });
  const out = strategicMergePatch(orig, { spec: { template: { spec: {
    '$setElementOrder/containers': [{ name: 'nginx' }, { name: 'side' }],
    containers: [{ image: 'busybox:2', name: 'side' }],
  } } } }, Deployment);
  const cs = ((out['spec'] as Record<string, unknown>)['template'] as { spec: { containers: Record<string, unknown>[] } }).spec.containers;
  assert.deepEqual(cs.map((c) => [c['name'], c['image']]), [['nginx', 'nginx:1.25'], ['side', 'busybox:2']]);
  assert.equal((cs[0]?.['env'] as unknown[]).length, 2);
});

test('rollout restart adds a template annotation', () => {
  const out = strategicMergePatch(deploy(), { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': '2025-01-01T00:00:00Z' } } } } }, Deployment);
  const md = ((out['spec'] as Record<string, unknown>)['template'] as { metadata: Record<string, unknown> }).metadata;
  assert.deepEqual(md, { labels: { app: 'web' }, annotations: { 'kubectl.kubernetes.io/restartedAt': '2025-01-01T00:00:00Z' } });
});

test('Service ports merge by port alone, with $setElementOrder', () => {
  const svc = { spec: { type: 'ClusterIP', ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 8080 }] } };
  const out = strategicMergePatch(svc, { spec: {
    '$setElementOrder/ports': [{ port: 80 }, { port: 443 }],
    ports: [{ name: 'https', port: 443, targetPort: 8443 }],
  } }, Service);
  assert.deepEqual((out['spec'] as Record<string, unknown>)['ports'], [
    { name: 'http', port: 80, protocol: 'TCP', targetPort: 8080 },
    { name: 'https', port: 443, targetPort: 8443 },
  ]);
  const out2 = strategicMergePatch(out, { spec: { '$setElementOrder/ports': [{ port: 443 }], ports: [{ $patch: 'delete', port: 80 }] } }, Service);
  assert.deepEqual((out2['spec'] as Record<string, unknown>)['ports'], [{ name: 'https', port: 443, targetPort: 8443 }]);
});

test('atomic lists and maps are replaced wholesale', () => {
  const svc = { spec: { externalIPs: ['1.1.1.1', '2.2.2.2'], selector: { app: 'a', tier: 'b' } } };
  const out = strategicMergePatch(svc, { spec: { externalIPs: ['3.3.3.3'], selector: { app: 'c' } } }, Service);
  // selector is atomic for SSA but SMP only honours patch strategies: maps merge.
  assert.deepEqual(out['spec'], { externalIPs: ['3.3.3.3'], selector: { app: 'c', tier: 'b' } });
});

test('primitive merge lists: union and $deleteFromPrimitiveList', () => {
  const obj = { metadata: { finalizers: ['a', 'b'] } };
  const out = strategicMergePatch(obj, { metadata: { finalizers: ['c', 'a'] } }, Deployment);
  assert.deepEqual((out['metadata'] as Record<string, unknown>)['finalizers'], ['c', 'a', 'b']);
  const out2 = strategicMergePatch(obj, { metadata: { '$deleteFromPrimitiveList/finalizers': ['a'] } }, Deployment);
  assert.deepEqual((out2['metadata'] as Record<string, unknown>)['finalizers'], ['b']);
  const out3 = strategicMergePatch({ metadata: {} }, { metadata: { '$deleteFromPrimitiveList/finalizers': ['a'] } }, Deployment);
  assert.deepEqual(out3['metadata'], {});
});

test('$patch: replace and delete in maps and lists', () => {
  const out = strategicMergePatch(deploy(), { metadata: { labels: { $patch: 'replace', only: 'this' } } }, Deployment);
  assert.deepEqual((out['metadata'] as Record<string, unknown>)['labels'], { only: 'this' });
  const out2 = strategicMergePatch(deploy(), { metadata: { labels: { $patch: 'delete' } } }, Deployment);
  assert.deepEqual((out2['metadata'] as Record<string, unknown>)['labels'], {});
  const out3 = strategicMergePatch(deploy(), { spec: { template: { spec: { containers: [{ name: 'x', image: 'y' }, { $patch: 'replace' }] } } } }, Deployment);
  assert.deepEqual(((out3['spec'] as Record<string, unknown>)['template'] as { spec: unknown }).spec, { containers: [{ name: 'x', image: 'y' }] });
  assert.throws(() => strategicMergePatch(deploy(), { spec: { template: { spec: { containers: [{ $patch: 'merge' }] } } } }, Deployment),
    (e: unknown) => e instanceof PatchError && e.message === 'merging lists cannot yet be specified in the patch' && e.code === 500);
  assert.throws(() => strategicMergePatch(deploy(), { metadata: { labels: { $patch: 'bogus' } } }, Deployment),
    { message: 'unknown patch type: bogus in map: map[$patch:bogus]' });
});

test('$retainKeys clears unlisted keys (strategy switch)', () => {
  const obj = { spec: { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%' } } } };
  const out = strategicMergePatch(obj, { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate', rollingUpdate: null } } }, Deployment);
  assert.deepEqual(out['spec'], { strategy: { type: 'Recreate' } });
  assert.throws(() => strategicMergePatch(obj, { spec: { strategy: { $retainKeys: ['type'], rollingUpdate: {} } } }, Deployment),
    (e: unknown) => e instanceof PatchError && e.code === 400 && e.message === 'invalid patch format of retainKeys');
  assert.throws(() => strategicMergePatch(obj, { spec: { strategy: { $retainKeys: 'type' } } }, Deployment), { message: 'invalid patch format of retainKeys' });
});

test('new values are stored without directives or nulls', () => {
  const out = strategicMergePatch({ spec: {} }, { spec: { template: { spec: {
    '$setElementOrder/containers': [{ name: 'a' }],
    containers: [{ name: 'a', '$setElementOrder/env': [{ name: 'X' }], env: [{ name: 'X', value: null }, { name: 'Y', $patch: 'delete' }] }],
  } } } }, Deployment);
  assert.deepEqual(out, { spec: { template: { spec: { containers: [{ name: 'a', env: [{ name: 'X' }] }] } } } });
});

test('a new list made only of directives is not stored', () => {
  const out = strategicMergePatch({ spec: {} }, { spec: { template: { spec: { containers: [{ name: 'a', $patch: 'delete' }] } } } }, Deployment);
  assert.deepEqual(out, { spec: { template: { spec: {} } } });
});

test('unknown fields merge as maps and unknown lists are replaced', () => {
  const out = strategicMergePatch({ x: { a: 1, l: [1, 2] } }, { x: { b: 2, l: [3], a: null } }, Deployment);
  assert.deepEqual(out, { x: { l: [3], b: 2 } });
  const noSchema = strategicMergePatch({ a: { b: [{ name: 'x' }] } }, { a: { b: [{ name: 'y' }] } });
  assert.deepEqual(noSchema, { a: { b: [{ name: 'y' }] } });
});

test('errors: missing merge key, bad directives, bad documents', () => {
  assert.throws(() => strategicMergePatch(deploy(), { spec: { template: { spec: { containers: [{ image: 'x' }] } } } }, Deployment),
    { message: 'map: map[image:x] does not contain declared merge key: name' });
  assert.throws(() => strategicMergePatch(deploy(), { metadata: { '$deleteFromPrimitiveListfinalizers': ['a'] } }, Deployment),
    (e: unknown) => e instanceof PatchError && e.code === 400 && e.message === 'invalid patch format of primitive list');
  assert.throws(() => strategicMergePatch(deploy(), { metadata: { '$setElementOrderx': [] } }, Deployment),
    { message: 'invalid patch format of setElementOrder list' });
  assert.throws(() => strategicMergePatch(deploy(), [], Deployment), { message: 'invalid JSON document' });
  assert.throws(() => strategicMergePatch({ mergingList: [] }, { mergingList: [[1]] }, MergeItem),
    (e: unknown) => e instanceof PatchError && e.code === 422 && e.detail === 'lists of lists are not supported');
  assert.throws(() => strategicMergePatch({ mergingList: [{ name: '1' }, { name: '2' }] }, {
    '$setElementOrder/mergingList': [{ name: '1' }], mergingList: [{ name: '2' }],
  }, MergeItem), /The order in patch list:\n\[map\[name:2\]\]\n doesn't match \$setElementOrder list:\n\[map\[name:1\]\]\n/);
});

// Test vectors from upstream's strategic merge patch test table (Current + patch → Result).
const vectors: [string, unknown, unknown, unknown][] = [
  ['merge lists of maps',
    { mergingList: [{ name: '1', other: 'a' }, { name: '2', value: '2', other: 'b' }] },
    { '$setElementOrder/mergingList': [{ name: '4' }, { name: '1' }, { name: '2' }, { name: '3' }], mergingList: [{ name: '4', value: '4' }, { name: '3', value: '3' }] },
    { mergingList: [{ name: '4', value: '4' }, { name: '1', other: 'a' }, { name: '2', value: '2', other: 'b' }, { name: '3', value: '3' }] }],
  ['set elements order in a list with server-only items',
    { mergingList: [{ name: '1', other: 'a' }, { name: '3', value: '3' }, { name: '4', value: '4' }, { name: '2', value: '2' }, { name: '9' }] },
    { '$setElementOrder/mergingList': [{ name: '4' }, { name: '2' }, { name: '3' }, { name: '1' }] },
    { mergingList: [{ name: '4', value: '4' }, { name: '2', value: '2' }, { name: '3', value: '3' }, { name: '1', other: 'a' }, { name: '9' }] }],
  ['set elements order in a list with server-only items 2',
    { mergingList: [{ name: '1', other: 'a' }, { name: '2', value: '2' }, { name: '9' }, { name: '3', value: '3' }, { name: '4', value: '4' }] },
    { '$setElementOrder/mergingList': [{ name: '2' }, { name: '1' }, { name: '4' }, { name: '3' }] },
    { mergingList: [{ name: '2', value: '2' }, { name: '1', other: 'a' }, { name: '9' }, { name: '4', value: '4' }, { name: '3', value: '3' }] }],
  ['set elements order in a list with server-only items 3',
    { mergingList: [{ name: '1', other: 'a' }, { name: '2', value: '2' }, { name: '7' }, { name: '9' }, { name: '8' }, { name: '3', value: '3' }, { name: '4', value: '4' }] },
    { '$setElementOrder/mergingList': [{ name: '2' }, { name: '1' }, { name: '4' }, { name: '3' }] },
    { mergingList: [{ name: '2', value: '2' }, { name: '1', other: 'a' }, { name: '7' }, { name: '9' }, { name: '8' }, { name: '4', value: '4' }, { name: '3', value: '3' }] }],
  ['add and delete items in an int list with order',
    { mergingIntList: [1, 2, 3] },
    { '$setElementOrder/mergingIntList': [1, 4, 3], mergingIntList: [4], '$deleteFromPrimitiveList/mergingIntList': [2] },
    { mergingIntList: [1, 4, 3] }],
];

for (const [name, current, patch, result] of vectors) {
  test(`upstream vector: ${name}`, () => {
    assert.deepEqual(strategicMergePatch(current, patch, MergeItem), result);
  });
}
