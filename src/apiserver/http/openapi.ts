/**
 * OpenAPI v3, generated from the kinds' schemas: an index at /openapi/v3 and one document per
 * group-version. kubectl reads PATCH operations (GVK extension, `fieldValidation` parameter, SMP
 * content type) to decide on server-side validation, and `components.schemas` for explain and SMP.
 */
import { createHash } from 'node:crypto';
import type { Registry } from '../../api/registry.js';
import { apiVersionOf, type ResourceDef } from '../../api/resource.js';
import { ListMeta } from '../../api/meta.js';

type Json = Record<string, unknown>;
const REF = '#/components/schemas/';
const META = 'io.k8s.apimachinery.pkg.apis.meta.v1.';

/** Replaces every nested schema that has an `$id` by a reference and collects it in `out`. */
function hoist(schema: unknown, out: Record<string, Json>, top = true): unknown {
  if (Array.isArray(schema)) return schema.map((s) => hoist(s, out, false));
  if (!schema || typeof schema !== 'object') return schema;
  const s = schema as Json;
  const id = typeof s['$id'] === 'string' ? (s['$id'] as string) : undefined;
  if (id && !top) {
    if (!out[id]) { out[id] = {}; out[id] = hoist(s, out, true) as Json; }
    const ref: Json = { allOf: [{ $ref: REF + id }] };
    return ref;
  }
  const copy: Json = {};
  for (const [k, v] of Object.entries(s)) {
    if (k === '$id') continue;
    if (k === 'properties' && v && typeof v === 'object') {
      const props: Json = {};
      for (const [pk, pv] of Object.entries(v as Json)) {
        props[pk] = hoist(pv, out, false);
      }
      copy[k] = props;
    } else if (k === 'items' || k === 'additionalProperties') copy[k] = hoist(v, out, false);
    else copy[k] = v;
  }
  return copy;
}

function listSchema(def: ResourceDef, id: string): Json {
  return {
    description: `A list of ${def.kind} objects.`, type: 'object', required: ['items'],
    properties: {
      apiVersion: { type: 'string', description: 'Versioned schema of this representation.' },
      items: { type: 'array', description: `The ${def.plural}.`, items: { allOf: [{ $ref: REF + id }], default: {} } },
      kind: { type: 'string', description: 'REST resource this object represents.' },
      metadata: { allOf: [{ $ref: REF + META + 'ListMeta' }], default: {} },
    },
    'x-kubernetes-group-version-kind': [{ group: def.group, version: def.version, kind: `${def.kind}List` }],
  };
}

const q = (name: string, description: string, type = 'string'): Json => ({ name, in: 'query', description, schema: { type, uniqueItems: true } });
const writeParams = [
  q('dryRun', 'When present, modifications are not persisted. Valid value: All.'),
  q('fieldManager', 'Name of the actor making the change.'),
  q('fieldValidation', 'How to treat unknown or duplicate fields: Ignore, Warn or Strict.'),
];

function op(def: ResourceDef, action: string, id: string, extra: Json = {}): Json {
  const gvk = { group: def.group, version: def.version, kind: def.kind };
  const ok = { description: 'OK', content: { 'application/json': { schema: { $ref: REF + id } } } };
  return { description: `${action} ${def.kind}`, operationId: `${action}${def.kind}`, responses: { '200': ok, '201': ok, '401': { description: 'Unauthorized' } }, 'x-kubernetes-action': action, 'x-kubernetes-group-version-kind': gvk, ...extra };
}

function paths(def: ResourceDef, id: string, out: Json): void {
  const base = def.group ? `/apis/${def.group}/${def.version}` : `/api/${def.version}`;
  const coll = def.namespaced ? `${base}/namespaces/{namespace}/${def.plural}` : `${base}/${def.plural}`;
  const body = (types: string[]) => ({ required: true, content: Object.fromEntries(types.map((t) => [t, { schema: { $ref: REF + id } }])) });
  // Custom resources take no strategic merge patch: kubectl reads this list to choose its patch type.
  const types = ['application/apply-patch+yaml', 'application/json-patch+json', 'application/merge-patch+json', ...(def.custom ? [] : ['application/strategic-merge-patch+json'])];
  const patchBody = { required: true, content: Object.fromEntries(types.map((t) => [t, { schema: { $ref: REF + META + 'Patch' } }])) };
  const pathParams = [{ name: 'name', in: 'path', required: true, schema: { type: 'string', uniqueItems: true } },
    ...(def.namespaced ? [{ name: 'namespace', in: 'path', required: true, schema: { type: 'string', uniqueItems: true } }] : [])];
  out[coll] = {
    get: op(def, 'list', id), post: op(def, 'post', id, { parameters: writeParams, requestBody: body(['*/*']) }),
    ...(def.namespaced ? { parameters: pathParams.slice(1) } : {}),
  };
  out[`${coll}/{name}`] = {
    get: op(def, 'get', id), put: op(def, 'put', id, { parameters: writeParams, requestBody: body(['*/*']) }),
    patch: op(def, 'patch', id, { parameters: [...writeParams, q('force', 'Force apply (take over conflicting fields).', 'boolean')], requestBody: patchBody }),
    delete: op(def, 'delete', id), parameters: pathParams,
  };
  if (def.statusSubresource) {
    out[`${coll}/{name}/status`] = {
      get: op(def, 'get', id), put: op(def, 'put', id, { parameters: writeParams, requestBody: body(['*/*']) }),
      patch: op(def, 'patch', id, { parameters: [...writeParams, q('force', 'Force apply.', 'boolean')], requestBody: patchBody }), parameters: pathParams,
    };
  }
}

/** The OpenAPI v3 document of one group-version. */
export function openapiDocument(registry: Registry, group: string, version: string, serverVersion: string): Json | undefined {
  const defs = registry.inGroupVersion(group, version);
  if (defs.length === 0) return undefined;
  const schemas: Record<string, Json> = {};
  const p: Json = {};
  hoist({ $id: META + 'ListMeta', ...ListMeta }, schemas, false);
  schemas[META + 'Patch'] = { type: 'object', description: 'A patch body; its format depends on the Content-Type.' };
  for (const def of defs) {
    const id = (def.schema as Json)['$id'] as string;
    hoist(def.schema, schemas, false);
    schemas[`${id}List`] = listSchema(def, id);
    paths(def, id, p);
  }
  return { openapi: '3.0.0', info: { title: 'Kubernetes', version: serverVersion }, paths: p, components: { schemas } };
}

/** The /openapi/v3 index: one entry per group-version, with a content hash in the URL. */
export function openapiIndex(registry: Registry, docHash: (gv: string) => string): Json {
  const paths: Json = {};
  for (const g of registry.groups()) {
    for (const v of g.versions) {
      const gv = g.group ? `apis/${g.group}/${v}` : `api/${v}`;
      paths[gv] = { serverRelativeURL: `/openapi/v3/${gv}?hash=${docHash(gv)}` };
    }
  }
  return { paths };
}

/** A stable hash of a document, as kube-apiserver puts in serverRelativeURL. */
export function hashDocument(doc: unknown): string {
  return createHash('sha512').update(JSON.stringify(doc)).digest('hex').slice(0, 128).toUpperCase();
}

export { apiVersionOf };
