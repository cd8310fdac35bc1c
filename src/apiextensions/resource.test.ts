import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CRD } from '../api/kinds/crd.js';
import type { KObject } from '../api/meta.js';
import { formatFieldError } from '../api/errors.js';
import { crdResourceDefs, defaultDeprecationWarning, definitionName, versionPriority } from './resource.js';

const schema = { type: 'object', properties: { spec: { type: 'object', properties: { replicas: { type: 'integer' }, hosts: { type: 'array', items: { type: 'string' } } } }, status: { type: 'object', properties: { replicas: { type: 'integer' }, selector: { type: 'string' } } } },
  'x-kubernetes-validations': [{ rule: "self.metadata.name.startsWith('w')", message: 'name must start with w' }] };
const crd = {
  metadata: { name: 'widgets.example.com' },
  spec: {
    group: 'example.com', scope: 'Cluster', names: { plural: 'widgets', singular: 'widget', kind: 'Widget', shortNames: ['wd'], categories: ['all'] },
    versions: [
      { name: 'v1alpha1', served: true, storage: false, deprecated: true, schema: { openAPIV3Schema: schema } },
      { name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: schema }, subresources: { status: {}, scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.status.selector' } },
        selectableFields: [{ jsonPath: '.spec.replicas' }],
        additionalPrinterColumns: [{ name: 'Hosts', type: 'string', jsonPath: '.spec.hosts' }, { name: 'Replicas', type: 'integer', jsonPath: '.spec.replicas', priority: 1 }] },
      { name: 'v2', served: false, storage: false, schema: { openAPIV3Schema: schema } },
    ],
  },
} as unknown as CRD;

describe('ResourceDefs from a CRD', () => {
  const [alpha, v1, ...rest] = crdResourceDefs(crd);
  it('one definition per served version, with names and scope', () => {
    assert.equal(rest.length, 0);
    assert.deepEqual([alpha!.version, v1!.version, v1!.namespaced, v1!.plural, v1!.shortNames, v1!.categories], ['v1alpha1', 'v1', false, 'widgets', ['wd'], ['all']]);
    assert.equal((v1!.schema as { $id?: string }).$id, 'com.example.v1.Widget');
    assert.equal(definitionName('gateway.networking.k8s.io', 'v1', 'HTTPRoute'), 'io.k8s.networking.gateway.v1.HTTPRoute');
  });
  it('version priority orders GA before beta before alpha', () => {
    assert.deepEqual(['v1beta1', 'v1', 'v2alpha1', 'v2', 'foo'].sort((a, b) => versionPriority(b) - versionPriority(a)), ['v2', 'v1', 'v1beta1', 'v2alpha1', 'foo']);
  });
  it('deprecated versions warn, naming the newest served version', () => {
    assert.equal(alpha!.deprecationWarning, 'example.com/v1alpha1 Widget is deprecated; use example.com/v1 Widget');
    assert.equal(defaultDeprecationWarning(crd, 'v1'), 'example.com/v1 Widget is deprecated');
    assert.equal(v1!.deprecationWarning, undefined);
  });
  it('printer: NAME AGE by default, else NAME plus the columns', () => {
    assert.deepEqual(alpha!.columns.map((c) => c.name), ['Name', 'Age']);
    assert.deepEqual(v1!.columns.map((c) => [c.name, c.priority]), [['Name', 0], ['Hosts', 0], ['Replicas', 1]]);
    const o = { metadata: { name: 'w1' }, spec: { hosts: ['a.example'], replicas: 2 } } as unknown as KObject;
    assert.deepEqual(v1!.row(o, new Date()), ['w1', '["a.example"]', 2]);
  });
  it('selectableFields become field selectors', () => {
    const o = { metadata: { name: 'w1' }, spec: { replicas: 2 } } as unknown as KObject;
    assert.equal(v1!.fieldSelectors?.['spec.replicas']?.(o), '2');
    assert.deepEqual(Object.keys(alpha!.fieldSelectors ?? {}), []);
  });
  it('status and scale subresources', () => {
    assert.equal(alpha!.statusSubresource, false);
    assert.equal(v1!.statusSubresource, true);
    const o = { metadata: { name: 'w1' }, spec: {}, status: { replicas: 1, selector: 'app=w' } } as unknown as KObject;
    v1!.scale!.setSpecReplicas(o, 4);
    assert.deepEqual([v1!.scale!.specReplicas(o), v1!.scale!.statusReplicas(o), v1!.scale!.selector(o)], [4, 1, 'app=w']);
  });
  it('rules at the root see metadata.name; errors at the root are printed at <nil>', () => {
    const bad = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'x1' }, spec: {} } as unknown as KObject;
    assert.deepEqual(v1!.validate!(bad, { operation: 'create' }).map(formatFieldError), ['<nil>: Invalid value: "object": name must start with w']);
    assert.deepEqual(v1!.validate!({ ...bad, metadata: { name: 'w1' } }, { operation: 'create' }), []);
  });
  it('objects stored in another version are presented in the requested one', () => {
    const o = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w1' } } as KObject;
    assert.equal(alpha!.convert!(o).apiVersion, 'example.com/v1alpha1');
    assert.equal(v1!.convert!(o), o);
  });
});
