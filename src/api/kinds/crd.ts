/** CustomResourceDefinition (apiextensions.k8s.io/v1): a kind the API server serves from a schema given at runtime. */
import { Bool, Free, Int32, List, Obj, Opt, Str, Type, type Static } from '../schema.js';
import { Condition, kindProps, type KObject } from '../meta.js';
import type { ResourceDef } from '../resource.js';
import { col, nameColumn } from '../printers/util.js';
import { validateCRD, validateCRDUpdate } from './crd-validation.js';

const N = 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.';

export const CRDNamesSchema = Obj(N + 'CustomResourceDefinitionNames', 'The names a custom resource is served under.', {
  plural: Str('Plural name of the resource, used in URLs; lowercase.'),
  singular: Opt(Str('Singular name of the resource; lowercase. Defaults to the lowercased kind.')),
  shortNames: Opt(List(Str(''), 'Short names kubectl accepts, such as `gw`.', { 'x-kubernetes-list-type': 'atomic' })),
  kind: Str('The kind in CamelCase, as written in manifests.'),
  listKind: Opt(Str('The kind of lists; defaults to `<kind>List`.')),
  categories: Opt(List(Str(''), 'Groups of resources this one belongs to, such as `all`.', { 'x-kubernetes-list-type': 'atomic' })),
});

export const CRDColumnSchema = Obj(N + 'CustomResourceColumnDefinition', 'A column of the server-side table printer.', {
  name: Str('Human-readable name of the column.'),
  type: Str('OpenAPI type of the column: integer, number, string, boolean or date.'),
  format: Opt(Str('OpenAPI format of the column.')),
  description: Opt(Str('Human-readable description of the column.')),
  priority: Opt(Int32('0 shows the column always; higher only with `-o wide`.')),
  jsonPath: Str('Simple JSONPath evaluated against each object to produce the cell.'),
});

const ValidationSchema = Obj(N + 'CustomResourceValidation', 'The schema objects of a version are validated against.', {
  openAPIV3Schema: Opt(Free('An OpenAPI v3 structural schema (JSONSchemaProps).', N + 'JSONSchemaProps')),
});

const ScaleSchema = Obj(N + 'CustomResourceSubresourceScale', 'Where the /scale subresource finds replicas and the selector.', {
  specReplicasPath: Str('JSON path of the desired replicas, under .spec.'),
  statusReplicasPath: Str('JSON path of the observed replicas, under .status.'),
  labelSelectorPath: Opt(Str('JSON path of the serialized label selector, under .spec or .status.')),
});

const SubresourcesSchema = Obj(N + 'CustomResourceSubresources', 'Subresources served for a version.', {
  status: Opt(Free('Enables the /status subresource when present (an empty object).', N + 'CustomResourceSubresourceStatus')),
  scale: Opt(ScaleSchema),
});

export const CRDVersionSchema = Obj(N + 'CustomResourceDefinitionVersion', 'One version of a custom resource.', {
  name: Str('Version name, such as v1 or v1beta1.'),
  served: Bool('Whether this version is served by the REST API.'),
  storage: Bool('Whether objects are persisted in this version; exactly one version is.'),
  deprecated: Opt(Bool('Responses for this version carry a deprecation warning.')),
  deprecationWarning: Opt(Str('Overrides the default deprecation warning.')),
  schema: Opt(ValidationSchema),
  subresources: Opt(SubresourcesSchema),
  additionalPrinterColumns: Opt(List(CRDColumnSchema, 'Columns of `kubectl get`; NAME and AGE when absent.', { 'x-kubernetes-list-type': 'atomic' })),
  selectableFields: Opt(List(Free('A field usable in field selectors.'), 'Fields usable in field selectors.', { 'x-kubernetes-list-type': 'atomic' })),
});

const ConversionSchema = Obj(N + 'CustomResourceConversion', 'How objects are converted between versions.', {
  strategy: Str('None (only apiVersion changes) or Webhook.'),
  webhook: Opt(Free('Webhook conversion settings.', N + 'WebhookConversion')),
});

export const CRDSpecSchema = Obj(N + 'CustomResourceDefinitionSpec', 'The kind, names, scope and versions of a custom resource.', {
  group: Str('API group of the resource, such as gateway.networking.k8s.io.'),
  names: CRDNamesSchema,
  scope: Str('Cluster or Namespaced.'),
  versions: List(CRDVersionSchema, 'Served versions; exactly one is the storage version.', { 'x-kubernetes-list-type': 'atomic' }),
  conversion: Opt(ConversionSchema),
  preserveUnknownFields: Opt(Bool('Must be false: unknown fields are pruned.')),
});

export const CRDStatusSchema = Obj(N + 'CustomResourceDefinitionStatus', 'Whether the names were accepted and the resource is served.', {
  conditions: Opt(List(Condition, 'NamesAccepted, Established, Terminating.', { 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['type'] })),
  acceptedNames: Opt(Type.Partial(CRDNamesSchema)),
  storedVersions: Opt(List(Str(''), 'Versions objects were ever stored in.', { 'x-kubernetes-list-type': 'atomic' })),
});

export const CRDSchema = Obj(N + 'CustomResourceDefinition', 'A custom resource served by the API server.', kindProps({
  spec: CRDSpecSchema,
  status: Opt(CRDStatusSchema),
}), { 'x-kubernetes-group-version-kind': [{ group: 'apiextensions.k8s.io', version: 'v1', kind: 'CustomResourceDefinition' }] });

/** A CustomResourceDefinition object. */
export type CRD = Static<typeof CRDSchema> & KObject;
/** One version entry of a CRD. */
export type CRDVersion = Static<typeof CRDVersionSchema>;

/** The finalizer every CRD carries until its objects are deleted (apiextensions' finalizer controller). */
export const CRD_CLEANUP_FINALIZER = 'customresourcecleanup.apiextensions.k8s.io';

/** Adds the storage version to status.storedVersions (strategy PrepareForCreate/PrepareForUpdate). */
function recordStorage(crd: CRD): void {
  const storage = crd.spec?.versions?.find((v) => v.storage)?.name;
  crd.status ??= {};
  const stored = (crd.status.storedVersions ??= []);
  if (storage && !stored.includes(storage)) stored.push(storage);
}

/** Upstream SetDefaults: singular, listKind, conversion None. */
function defaultCRD(crd: CRD): void {
  const s = crd.spec;
  if (!s?.names) return;
  if (!s.names.singular && s.names.kind) s.names.singular = s.names.kind.toLowerCase();
  if (!s.names.listKind && s.names.kind) s.names.listKind = `${s.names.kind}List`;
  if (!s.conversion) s.conversion = { strategy: 'None' };
}

export const crdDef: ResourceDef<CRD> = {
  group: 'apiextensions.k8s.io', version: 'v1', kind: 'CustomResourceDefinition', plural: 'customresourcedefinitions',
  singular: 'customresourcedefinition', namespaced: false, shortNames: ['crd', 'crds'], categories: ['api-extensions'],
  schema: CRDSchema, statusSubresource: true, generation: true,
  default: defaultCRD,
  validate: (crd) => validateCRD(crd),
  validateUpdate: (crd, old) => validateCRDUpdate(crd, old),
  prepareForCreate: (crd) => {
    crd.status = { storedVersions: [] };
    recordStorage(crd);
  },
  finalizersOnDelete: [CRD_CLEANUP_FINALIZER],
  prepareForUpdate: (crd) => recordStorage(crd),
  columns: [nameColumn, col('Created At', 'date', 'When the definition was created.')],
  row: (crd) => [crd.metadata.name ?? '', crd.metadata.creationTimestamp ?? ''],
};
