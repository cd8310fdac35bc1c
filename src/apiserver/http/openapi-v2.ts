/**
 * The Swagger 2.0 document kube-apiserver serves at /openapi/v2 (kubectl 1.27/1.28 read it for
 * validation, explain and strategic-merge-patch), generated from the kinds' schemas: `definitions`
 * under the upstream names with plain `$ref`s (kube-openapi's proto models ignore `allOf`), and
 * `paths` per resource with `x-kubernetes-group-version-kind` on every operation.
 */
import type { Registry } from '../../api/registry.js';
import type { ResourceDef } from '../../api/resource.js';
import { ListMeta } from '../../api/meta.js';
import { ScaleSchema } from '../../api/kinds/scale.js';
import { encodeSwagger } from './gnostic.js';

type Json = Record<string, unknown>;
const DEF = '#/definitions/';
const META = 'io.k8s.apimachinery.pkg.apis.meta.v1.';

/** The content type of the protobuf document. */
export const OPENAPI_V2_PROTOBUF = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';

/** Converts one of our schemas to Swagger 2.0, hoisting `$id` schemas into `defs` (a `$ref` keeps only a description of its own). */
export function toSwaggerSchema(schema: unknown, defs: Record<string, Json>, top = false): Json {
  if (!schema || typeof schema !== 'object') return {};
  const s = schema as Json;
  const id = typeof s['$id'] === 'string' ? s['$id'] : undefined;
  if (id && !top) {
    if (!defs[id]) { defs[id] = {}; defs[id] = toSwaggerSchema(s, defs, true); }
    const d = s['description'];
    return { ...(typeof d === 'string' && d !== defs[id]?.['description'] ? { description: d } : {}), $ref: DEF + id };
  }
  const out: Json = {};
  for (const k of ['description', 'type', 'format', 'enum']) if (s[k] !== undefined) out[k] = s[k];
  const props = s['properties'];
  if (props && typeof props === 'object') {
    out['type'] ??= 'object';
    out['properties'] = Object.fromEntries(Object.entries(props as Json).map(([k, v]) => [k, toSwaggerSchema(v, defs)]));
    const req = s['required'];
    if (Array.isArray(req) && req.length) out['required'] = [...req].sort();
  }
  if (s['items'] !== undefined) out['items'] = toSwaggerSchema(s['items'], defs);
  else if (s['type'] === 'array') out['items'] = {};
  const add = s['additionalProperties'];
  if (add && typeof add === 'object') out['additionalProperties'] = toSwaggerSchema(add, defs);
  for (const [k, v] of Object.entries(s)) if (k.startsWith('x-') && k !== 'x-kubernetes-preserve-unknown-fields') out[k] = v;
  return out;
}

function listDefinition(def: ResourceDef, id: string): Json {
  return {
    description: `A list of ${def.kind} objects.`, type: 'object', required: ['items'],
    properties: {
      apiVersion: { description: 'Versioned schema of this representation.', type: 'string' },
      items: { description: `The ${def.plural}.`, type: 'array', items: { $ref: DEF + id } },
      kind: { description: 'REST resource this object represents.', type: 'string' },
      metadata: { description: 'Standard list metadata.', $ref: DEF + META + 'ListMeta' },
    },
    'x-kubernetes-group-version-kind': [{ group: def.group, kind: `${def.kind}List`, version: def.version }],
  };
}

const upper = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
const query = (name: string, description: string, type = 'string'): Json => ({ description, in: 'query', name, type, uniqueItems: true });
const pathParam = (name: string, description: string): Json => ({ description, in: 'path', name, required: true, type: 'string', uniqueItems: true });
const bodyParam = (ref: string): Json => ({ in: 'body', name: 'body', required: true, schema: { $ref: DEF + ref } });
const WRITE = [
  query('dryRun', 'When present, modifications are not persisted. Valid value: All.'),
  query('fieldManager', 'Name of the actor making the change.'),
  query('fieldValidation', 'How to treat unknown or duplicate fields: Ignore, Warn or Strict.'),
];
const PATCH_TYPES = ['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json', 'application/apply-patch+yaml'];

interface OpSpec { action: string; verb: string; suffix: string; ref: string; gvk: Json; extra?: Json }

function operation(def: ResourceDef, o: OpSpec): Json {
  const gv = `${def.group ? upper(def.group.split('.')[0] ?? '') : 'Core'}${upper(def.version)}`;
  const collection = o.action === 'deletecollection' ? 'Collection' : '';
  const operationId = o.suffix === 'ForAllNamespaces' ? `${o.verb}${gv}${def.kind}ForAllNamespaces`
    : `${o.verb}${gv}${collection}${def.namespaced ? 'Namespaced' : ''}${def.kind}${o.suffix}`;
  const ok = { description: 'OK', schema: { $ref: DEF + o.ref } };
  return {
    description: `${o.verb} ${collection ? 'a collection of ' : ''}${def.kind}${o.suffix ? ' ' + o.suffix : ''}`, consumes: ['*/*'],
    produces: ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'], schemes: ['https'],
    tags: [`${def.group ? def.group.split('.')[0] : 'core'}_${def.version}`], operationId,
    responses: { '200': ok, ...(o.action === 'post' || o.action === 'put' || o.action === 'patch' ? { '201': { description: 'Created', schema: { $ref: DEF + o.ref } } } : {}), '401': { description: 'Unauthorized' } },
    'x-kubernetes-action': o.action, 'x-kubernetes-group-version-kind': o.gvk, ...o.extra,
  };
}

function resourcePaths(def: ResourceDef, id: string, out: Json): void {
  const base = def.group ? `/apis/${def.group}/${def.version}` : `/api/${def.version}`;
  const coll = def.namespaced ? `${base}/namespaces/{namespace}/${def.plural}` : `${base}/${def.plural}`;
  const verbs = new Set(def.verbs ?? ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch']);
  const gvk = { group: def.group, kind: def.kind, version: def.version };
  const op = (o: Omit<OpSpec, 'gvk'> & { gvk?: Json }) => operation(def, { gvk, ...o });
  const pretty = query('pretty', 'If true, the output is pretty printed.');
  const ns = def.namespaced ? [pathParam('namespace', 'Object name and auth scope, such as for teams and projects.')] : [];
  const name = pathParam('name', `Name of the ${def.kind}.`);
  const patch = (ref: string, suffix: string, g: Json = gvk): Json => op({ action: 'patch', verb: 'patch', suffix, ref, gvk: g, extra: {
    consumes: def.custom ? PATCH_TYPES.filter((t) => !t.startsWith('application/strategic')) : PATCH_TYPES, parameters: [bodyParam(META + 'Patch'), ...WRITE, query('force', 'Force an apply request to take over conflicting fields.', 'boolean')] } });
  const put = (ref: string, suffix: string, g: Json = gvk): Json => op({ action: 'put', verb: 'replace', suffix, ref, gvk: g, extra: { parameters: [bodyParam(ref), ...WRITE] } });
  const collItem: Json = { parameters: [...ns, pretty] };
  if (verbs.has('list')) collItem['get'] = op({ action: 'list', verb: 'list', suffix: '', ref: `${id}List` });
  if (verbs.has('create')) collItem['post'] = op({ action: 'post', verb: 'create', suffix: '', ref: id, extra: { parameters: [bodyParam(id), ...WRITE] } });
  if (verbs.has('deletecollection')) collItem['delete'] = op({ action: 'deletecollection', verb: 'delete', suffix: '', ref: id });
  out[coll] = collItem;
  const item: Json = { parameters: [name, ...ns, pretty] };
  if (verbs.has('get')) item['get'] = op({ action: 'get', verb: 'read', suffix: '', ref: id });
  if (verbs.has('update')) item['put'] = put(id, '');
  if (verbs.has('patch')) item['patch'] = patch(id, '');
  if (verbs.has('delete')) item['delete'] = op({ action: 'delete', verb: 'delete', suffix: '', ref: id });
  out[`${coll}/{name}`] = item;
  if (def.statusSubresource) {
    out[`${coll}/{name}/status`] = { parameters: [name, ...ns, pretty], get: op({ action: 'get', verb: 'read', suffix: 'Status', ref: id }), put: put(id, 'Status'), patch: patch(id, 'Status') };
  }
  if (def.scale) {
    const sg = { group: 'autoscaling', kind: 'Scale', version: 'v1' };
    const sref = 'io.k8s.api.autoscaling.v1.Scale';
    out[`${coll}/{name}/scale`] = { parameters: [name, ...ns, pretty], get: op({ action: 'get', verb: 'read', suffix: 'Scale', ref: sref, gvk: sg }), put: put(sref, 'Scale', sg), patch: patch(sref, 'Scale', sg) };
  }
  if (def.namespaced && verbs.has('list')) {
    out[`${base}/${def.plural}`] = { parameters: [pretty], get: op({ action: 'list', verb: 'list', suffix: 'ForAllNamespaces', ref: `${id}List` }) };
  }
}

/** The Swagger 2.0 document of every served kind. */
export function swaggerDocument(registry: Registry, serverVersion: string): Json {
  const definitions: Record<string, Json> = {};
  const paths: Json = {};
  toSwaggerSchema({ ...ListMeta, $id: META + 'ListMeta' }, definitions);
  definitions[META + 'Patch'] = { description: 'A patch body; its format depends on the Content-Type.', type: 'object' };
  for (const def of registry.defs) {
    const id = (def.schema as Json)['$id'] as string;
    toSwaggerSchema(def.schema, definitions);
    definitions[`${id}List`] = listDefinition(def, id);
    if (def.scale) toSwaggerSchema(ScaleSchema, definitions);
    resourcePaths(def, id, paths);
  }
  const sorted = Object.fromEntries(Object.entries(definitions).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return { swagger: '2.0', info: { title: 'Kubernetes', version: serverVersion }, paths, definitions: sorted };
}

const cache = new WeakMap<Registry, { revision: number; json: Buffer; protobuf: Buffer }>();

/**
 * The /openapi/v2 body for an Accept header: gnostic protobuf when asked for, else JSON (cached per registry
 * revision: custom resources change the registry at runtime).
 */
export function openapiV2Body(registry: Registry, serverVersion: string, accept: string | undefined): { body: Buffer; contentType: string } {
  let hit = cache.get(registry);
  if (!hit || hit.revision !== registry.revision) {
    const revision = registry.revision;
    const doc = swaggerDocument(registry, serverVersion);
    hit = { revision, json: Buffer.from(JSON.stringify(doc)), protobuf: Buffer.from(encodeSwagger(doc)) };
    cache.set(registry, hit);
  }
  return /protobuf/.test(accept ?? '') ? { body: hit.protobuf, contentType: OPENAPI_V2_PROTOBUF } : { body: hit.json, contentType: 'application/json' };
}
