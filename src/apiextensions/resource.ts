/**
 * A `ResourceDef` for each served version of an Established CustomResourceDefinition: names and
 * scope, the structural schema (pruning, defaulting, validation, CEL rules), the status and scale
 * subresources, and the table printer from `additionalPrinterColumns`.
 */
import { ObjectMeta, type KObject } from '../api/meta.js';
import type { Cell, ColumnDef, ResourceDef } from '../api/resource.js';
import type { TSchema } from '../api/schema.js';
import type { FieldError } from '../api/errors.js';
import { age } from '../api/printers/util.js';
import type { CRD, CRDVersion } from '../api/kinds/crd.js';
import { evalJSONPath, parseJSONPath } from './jsonpath.js';
import { applyDefaults, pruneObject } from './prune.js';
import { compileRules, evaluateRules, type CompiledRules } from './rules.js';
import { validateValue } from './validate.js';
import { isObject, type JSONSchemaProps } from './types.js';

/** Kubernetes version priority: GA (higher major first), then beta, then alpha, then others. */
export function versionPriority(v: string): number {
  const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
  if (!m) return 0;
  const major = Number(m[1]), minor = Number(m[3] ?? 0);
  const level = m[2] === 'alpha' ? 1 : m[2] === 'beta' ? 2 : 3;
  return level * 1e8 + major * 1e4 + minor;
}

/** apiextensions-apiserver's default warning for a deprecated version: names the newest served, non-deprecated newer one. */
export function defaultDeprecationWarning(crd: CRD, version: string): string {
  const { group, names } = crd.spec;
  const msg = `${group}/${version} ${names.kind} is deprecated`;
  const newer = crd.spec.versions.filter((v) => v.served && !v.deprecated && versionPriority(v.name) > versionPriority(version))
    .sort((a, b) => versionPriority(b.name) - versionPriority(a.name));
  return newer[0] ? `${msg}; use ${group}/${newer[0].name} ${names.kind}` : msg;
}

/** The OpenAPI definition name of a custom kind: the reversed group, version, kind (`io.k8s.networking.gateway.v1.HTTPRoute`). */
export function definitionName(group: string, version: string, kind: string): string {
  return `${group.split('.').reverse().join('.')}.${version}.${kind}`;
}

function getPath(o: unknown, path: string): unknown {
  let cur = o;
  for (const k of path.split('.').filter(Boolean)) cur = isObject(cur) ? cur[k] : undefined;
  return cur;
}

function setPath(o: KObject, path: string, v: unknown): void {
  const keys = path.split('.').filter(Boolean);
  let cur: Record<string, unknown> = o;
  for (const k of keys.slice(0, -1)) {
    if (!isObject(cur[k])) cur[k] = {};
    cur = cur[k] as Record<string, unknown>;
  }
  cur[keys[keys.length - 1]!] = v;
}

const NAME_COL: ColumnDef = { name: 'Name', type: 'string', format: 'name', description: 'Name must be unique within a namespace.', priority: 0 };
const AGE_COL: NonNullable<CRDVersion['additionalPrinterColumns']>[number] = { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp', description: 'CreationTimestamp is a timestamp representing the server time when this object was created.', priority: 0 };

function cell(type: string, values: unknown[], now: Date): Cell {
  if (values.length === 0) return null;
  if (values.length > 1) return values.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(' ');
  const v = values[0];
  if (type === 'date') return typeof v === 'string' ? age(v, now) : null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  return JSON.stringify(v);
}

function printer(v: CRDVersion): Pick<ResourceDef, 'columns' | 'row'> {
  const cols = v.additionalPrinterColumns?.length ? v.additionalPrinterColumns : [AGE_COL];
  const paths = cols.map((c) => { try { return parseJSONPath(c.jsonPath); } catch { return undefined; } });
  return {
    columns: [NAME_COL, ...cols.map((c): ColumnDef => ({ name: c.name, type: c.type as ColumnDef['type'], format: c.format ?? '', description: c.description ?? '', priority: (c.priority ?? 0) > 0 ? 1 : 0 }))],
    row: (o, now) => [o.metadata.name ?? '', ...cols.map((c, i) => { const p = paths[i]; return p ? cell(c.type, evalJSONPath(p, o), now) : null; })],
  };
}

/** Field selectors from `selectableFields` (`.spec.color` selects as `spec.color=red`). */
function selectableFields(v: CRDVersion): Record<string, (o: KObject) => string | undefined> {
  const out: Record<string, (o: KObject) => string | undefined> = {};
  for (const f of v.selectableFields ?? []) {
    const path = typeof f['jsonPath'] === 'string' ? f['jsonPath'] : '';
    if (!path.startsWith('.')) continue;
    out[path.slice(1)] = (o) => { const x = getPath(o, path); return x === undefined || x === null ? undefined : String(x); };
  }
  return out;
}

/** The schema served and used for managedFields: the CRD's schema plus apiVersion, kind and ObjectMeta. */
function servedSchema(crd: CRD, v: CRDVersion, s: JSONSchemaProps): TSchema {
  const { group, names } = crd.spec;
  return {
    ...s, $id: definitionName(group, v.name, names.kind), type: 'object',
    properties: {
      ...(s.properties ?? {}),
      apiVersion: { type: 'string', description: 'APIVersion defines the versioned schema of this representation of an object.' },
      kind: { type: 'string', description: 'Kind is a string value representing the REST resource this object represents.' },
      metadata: ObjectMeta,
    },
    'x-kubernetes-group-version-kind': [{ group, version: v.name, kind: names.kind }],
  } as unknown as TSchema;
}

/** The body schema without metadata (validation, pruning and rules leave metadata to the server). */
function bodySchema(s: JSONSchemaProps): JSONSchemaProps {
  const props = { ...(s.properties ?? {}) };
  delete props['metadata'];
  return { ...s, properties: { ...props, apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } };
}

function validator(body: JSONSchemaProps, rules: CompiledRules) {
  return (o: KObject, old: KObject | undefined): FieldError[] => {
    const { metadata: _m, ...rest } = o;
    const errs = validateValue(rest, body, '');
    // Rules see only metadata.name and generateName, as upstream.
    const forRules = (x: KObject) => ({ ...x, metadata: { ...(x.metadata.name ? { name: x.metadata.name } : {}), ...(x.metadata.generateName ? { generateName: x.metadata.generateName } : {}) } });
    evaluateRules(forRules(o), old ? forRules(old) : undefined, body, '', rules, errs);
    return errs.map((e) => ({ ...e, field: e.field || '<nil>' }));
  };
}

/** The definitions served for a CRD (one per served version). */
export function crdResourceDefs(crd: CRD): ResourceDef[] {
  const { group, names, scope } = crd.spec;
  return crd.spec.versions.filter((v) => v.served).map((v): ResourceDef => {
    const s = (v.schema?.openAPIV3Schema ?? { type: 'object', 'x-kubernetes-preserve-unknown-fields': true }) as JSONSchemaProps;
    const body = bodySchema(s);
    const rules: CompiledRules = new WeakMap();
    compileRules(body, '', rules, []);
    const validate = validator(body, rules);
    const apiVersion = `${group}/${v.name}`;
    const sc = v.subresources?.scale;
    return {
      group, version: v.name, kind: names.kind, plural: names.plural, singular: names.singular ?? names.kind.toLowerCase(),
      namespaced: scope === 'Namespaced', shortNames: names.shortNames ?? [], categories: names.categories ?? [],
      schema: servedSchema(crd, v, s), statusSubresource: !!v.subresources?.status, generation: true,
      custom: true, versionPriority: versionPriority(v.name),
      ...(v.deprecated ? { deprecationWarning: v.deprecationWarning ?? defaultDeprecationWarning(crd, v.name) } : {}),
      fieldSelectors: selectableFields(v),
      pruneUnknown: (o) => pruneObject(o, body),
      default: (o) => applyDefaults(o, body),
      validate: (o, ctx) => (ctx.operation === 'create' ? validate(o, undefined) : []),
      validateUpdate: (o, old) => validate(o, old),
      convert: (o) => (o.apiVersion === apiVersion ? o : { ...o, apiVersion }),
      ...(sc ? {
        scale: {
          specReplicas: (o) => Number(getPath(o, sc.specReplicasPath) ?? 0),
          setSpecReplicas: (o, n) => setPath(o, sc.specReplicasPath, n),
          statusReplicas: (o) => Number(getPath(o, sc.statusReplicasPath) ?? 0),
          selector: (o) => (sc.labelSelectorPath ? String(getPath(o, sc.labelSelectorPath) ?? '') : ''),
        },
      } : {}),
      ...printer(v),
    };
  });
}
