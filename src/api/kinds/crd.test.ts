import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatFieldError } from '../errors.js';
import { crdDef, type CRD } from './crd.js';

function crd(patch: (c: CRD) => void = () => undefined): CRD {
  const c = {
    metadata: { name: 'widgets.example.com' },
    spec: {
      group: 'example.com', scope: 'Namespaced', names: { plural: 'widgets', kind: 'Widget' },
      versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } } } } }],
    },
  } as unknown as CRD;
  patch(c);
  crdDef.default!(c);
  return c;
}
const errs = (c: CRD) => crdDef.validate!(c, { operation: 'create' }).map(formatFieldError);
const schemaOf = (c: CRD) => c.spec.versions[0]!.schema!.openAPIV3Schema as Record<string, unknown> & { properties: Record<string, Record<string, unknown>> };

describe('CustomResourceDefinition validation', () => {
  it('a valid CRD is defaulted (singular, listKind, conversion None)', () => {
    const c = crd();
    assert.deepEqual(errs(c), []);
    assert.equal(c.spec.names.singular, 'widget');
    assert.equal(c.spec.names.listKind, 'WidgetList');
    assert.deepEqual(c.spec.conversion, { strategy: 'None' });
  });
  const cases: [string, (c: CRD) => void, string[]][] = [
    ['name must be plural.group', (c) => { c.metadata.name = 'widget.example.com'; }, ['metadata.name: Invalid value: "widget.example.com": must be spec.names.plural+"."+spec.group']],
    ['group needs a dot', (c) => { c.spec.group = 'example'; c.metadata.name = 'widgets.example'; }, ['spec.group: Invalid value: "example": should be a domain with at least one dot']],
    ['scope', (c) => { c.spec.scope = 'Global'; }, ['spec.scope: Unsupported value: "Global": supported values: "Cluster", "Namespaced"']],
    ['one storage version', (c) => { c.spec.versions[0]!.storage = false; }, ['spec.versions: Invalid value: []apiextensions.CustomResourceDefinitionVersion{...}: must have exactly one version marked as storage version']],
    ['schema required', (c) => { delete c.spec.versions[0]!.schema; }, ['spec.versions[0].schema.openAPIV3Schema: Required value: schemas are required']],
    ['type at every level', (c) => { delete schemaOf(c).properties['spec']!['type']; }, ['spec.versions[0].schema.openAPIV3Schema.properties[spec].type: Required value: must not be empty for specified object fields']],
    ['metadata only name/generateName', (c) => { schemaOf(c).properties['metadata'] = { type: 'object', properties: { labels: { type: 'object' } } }; },
      ['spec.versions[0].schema.openAPIV3Schema.properties[metadata]: Forbidden: must not specify anything other than name and generateName, but metadata is implicitly specified']],
    ['protected groups need approval', (c) => { c.spec.group = 'x.k8s.io'; c.metadata.name = 'widgets.x.k8s.io'; },
      ['metadata.annotations[api-approved.kubernetes.io]: Required value: protected groups must have approval annotation "api-approved.kubernetes.io", see https://github.com/kubernetes/enhancements/pull/1111']],
    ['kind and listKind differ', (c) => { c.spec.names.listKind = 'Widget'; }, ['spec.names.listKind: Invalid value: "Widget": kind and listKind may not be the same']],
    ['printer column type', (c) => { c.spec.versions[0]!.additionalPrinterColumns = [{ name: 'X', type: 'text', jsonPath: '.spec.size' }]; },
      ['spec.versions[0].additionalPrinterColumns[0].type: Unsupported value: "text": supported values: "boolean", "date", "integer", "number", "string"']],
  ];
  for (const [name, patch, want] of cases) it(name, () => assert.deepEqual(errs(crd(patch)), want));

  it('a CEL rule that does not compile fails at CRD create time', () => {
    const c = crd((x) => { schemaOf(x)['x-kubernetes-validations'] = [{ rule: 'self.spec.size >' }]; });
    const [e, ...rest] = errs(c);
    assert.deepEqual(rest, []);
    assert.match(e ?? '', /^spec\.versions\[0\]\.schema\.openAPIV3Schema\.x-kubernetes-validations\[0\]\.rule: Invalid value: apiextensions\.ValidationRule\{Rule:"self\.spec\.size >", .*\}: compilation failed: ERROR: /);
  });

  it('records the storage version in status.storedVersions', () => {
    const c = crd();
    crdDef.prepareForCreate!(c);
    assert.deepEqual(c.status?.storedVersions, ['v1']);
  });
});
