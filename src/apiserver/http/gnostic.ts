/**
 * Encodes a Swagger 2.0 document (plain JSON object) as the gnostic `openapi.v2.Document`
 * protobuf message, the body kube-apiserver serves at /openapi/v2 and kubectl ≤1.28 parses.
 * Field numbers follow gnostic's OpenAPIv2 message definitions; vendor extensions (`x-…`) become
 * `NamedAny{name, Any{yaml}}`, with the value written as JSON (a YAML subset).
 */
import protobuf from 'protobufjs/minimal.js';

type Json = Record<string, unknown>;
type W = protobuf.Writer;

/** gnostic openapi_v2 field numbers, per message. */
export const FIELDS = {
  Document: { swagger: 1, info: 2, host: 3, basePath: 4, schemes: 5, consumes: 6, produces: 7, paths: 8, definitions: 9, vendorExtension: 16 },
  Info: { title: 1, version: 2, description: 3, vendorExtension: 7 },
  Named: { name: 1, value: 2 },
  Any: { yaml: 2 },
  Repeated: { items: 1 }, // Definitions, Properties, ItemsItem, TypeItem, StringArray: field 1
  Paths: { vendorExtension: 1, path: 2 },
  PathItem: { $ref: 1, get: 2, put: 3, post: 4, delete: 5, options: 6, head: 7, patch: 8, parameters: 9, vendorExtension: 10 },
  Operation: { tags: 1, summary: 2, description: 3, operationId: 5, produces: 6, consumes: 7, parameters: 8, responses: 9, schemes: 10, deprecated: 11, vendorExtension: 13 },
  ParametersItem: { parameter: 1, jsonReference: 2 },
  Parameter: { bodyParameter: 1, nonBodyParameter: 2 },
  BodyParameter: { description: 1, name: 2, in: 3, required: 4, schema: 5, vendorExtension: 6 },
  NonBodyParameter: { header: 1, formData: 2, query: 3, path: 4 },
  QueryParameter: { required: 1, in: 2, description: 3, name: 4, type: 6, format: 7, uniqueItems: 20, vendorExtension: 23 },
  PathParameter: { required: 1, in: 2, description: 3, name: 4, type: 5, format: 6, uniqueItems: 19, vendorExtension: 22 },
  Responses: { responseCode: 1, vendorExtension: 2 },
  ResponseValue: { response: 1, jsonReference: 2 },
  Response: { description: 1, schema: 2, vendorExtension: 5 },
  SchemaItem: { schema: 1 },
  JsonReference: { $ref: 1, description: 2 },
  AdditionalPropertiesItem: { schema: 1, boolean: 2 },
  Schema: {
    $ref: 1, format: 2, title: 3, description: 4, default: 5, maximum: 7, minimum: 9, maxLength: 11, minLength: 12, pattern: 13,
    maxItems: 14, minItems: 15, uniqueItems: 16, required: 19, enum: 20, additionalProperties: 21, type: 22, items: 23, allOf: 24,
    properties: 25, readOnly: 27, example: 30, vendorExtension: 31,
  },
} as const;

const LEN = 2, VARINT = 0, I64 = 1;

function str(w: W, no: number, v: unknown): void {
  if (typeof v === 'string' && v !== '') w.uint32((no << 3) | LEN).string(v);
}
function strs(w: W, no: number, v: unknown): void {
  if (Array.isArray(v)) for (const s of v) if (typeof s === 'string') w.uint32((no << 3) | LEN).string(s);
}
function bool(w: W, no: number, v: unknown): void {
  if (v === true) w.uint32((no << 3) | VARINT).bool(true);
}
function int(w: W, no: number, v: unknown): void {
  if (typeof v === 'number' && v !== 0) w.uint32((no << 3) | VARINT).int64(v);
}
function dbl(w: W, no: number, v: unknown): void {
  if (typeof v === 'number' && v !== 0) w.uint32((no << 3) | I64).double(v);
}
/** A length-delimited sub-message written by `body`. */
function msg(w: W, no: number, body: (w: W) => void): void {
  w.uint32((no << 3) | LEN).fork();
  body(w);
  w.ldelim();
}
function isObj(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
/** `Any{yaml}`: JSON text is valid YAML flow syntax. */
function any(w: W, no: number, v: unknown): void {
  msg(w, no, (a) => str(a, FIELDS.Any.yaml, JSON.stringify(v)));
}
/** Every `x-…` key of `o` as a repeated NamedAny. */
function extensions(w: W, no: number, o: Json): void {
  for (const [k, v] of Object.entries(o)) {
    if (k.startsWith('x-') && v !== undefined) msg(w, no, (n) => { str(n, FIELDS.Named.name, k); any(n, FIELDS.Named.value, v); });
  }
}
/** A JSON map as repeated Named<T> entries (`body` writes T). */
function named(w: W, no: number, map: unknown, body: (w: W, v: unknown) => void): void {
  if (!isObj(map)) return;
  for (const [k, v] of Object.entries(map)) {
    msg(w, no, (n) => { str(n, FIELDS.Named.name, k); msg(n, FIELDS.Named.value, (m) => body(m, v)); });
  }
}

/** Writes the fields of a Schema message. */
function schema(w: W, v: unknown): void {
  if (!isObj(v)) return;
  const F = FIELDS.Schema;
  str(w, F.$ref, v['$ref']);
  str(w, F.format, v['format']);
  str(w, F.title, v['title']);
  str(w, F.description, v['description']);
  if (v['default'] !== undefined) any(w, F.default, v['default']);
  dbl(w, F.maximum, v['maximum']);
  dbl(w, F.minimum, v['minimum']);
  int(w, F.maxLength, v['maxLength']);
  int(w, F.minLength, v['minLength']);
  str(w, F.pattern, v['pattern']);
  int(w, F.maxItems, v['maxItems']);
  int(w, F.minItems, v['minItems']);
  bool(w, F.uniqueItems, v['uniqueItems']);
  strs(w, F.required, v['required']);
  if (Array.isArray(v['enum'])) for (const e of v['enum']) any(w, F.enum, e);
  const add = v['additionalProperties'];
  if (isObj(add)) msg(w, F.additionalProperties, (a) => msg(a, FIELDS.AdditionalPropertiesItem.schema, (s) => schema(s, add)));
  else if (typeof add === 'boolean') msg(w, F.additionalProperties, (a) => a.uint32((FIELDS.AdditionalPropertiesItem.boolean << 3) | VARINT).bool(add));
  const type = v['type'];
  if (typeof type === 'string' || Array.isArray(type)) msg(w, F.type, (t) => strs(t, FIELDS.Repeated.items, [type].flat()));
  const items = v['items'];
  if (isObj(items) || Array.isArray(items)) msg(w, F.items, (it) => { for (const s of [items].flat()) msg(it, FIELDS.Repeated.items, (m) => schema(m, s)); });
  if (Array.isArray(v['allOf'])) for (const s of v['allOf']) msg(w, F.allOf, (m) => schema(m, s));
  if (isObj(v['properties'])) msg(w, F.properties, (p) => named(p, FIELDS.Repeated.items, v['properties'], schema));
  bool(w, F.readOnly, v['readOnly']);
  if (v['example'] !== undefined) any(w, F.example, v['example']);
  extensions(w, F.vendorExtension, v);
}

/** Writes a ParametersItem: a body parameter, a query/path parameter, or a `$ref`. */
function parameter(w: W, p: unknown): void {
  if (!isObj(p)) return;
  if (typeof p['$ref'] === 'string') { msg(w, FIELDS.ParametersItem.jsonReference, (r) => str(r, FIELDS.JsonReference.$ref, p['$ref'])); return; }
  msg(w, FIELDS.ParametersItem.parameter, (pw) => {
    if (p['in'] === 'body') {
      const B = FIELDS.BodyParameter;
      msg(pw, FIELDS.Parameter.bodyParameter, (b) => {
        str(b, B.description, p['description']); str(b, B.name, p['name']); str(b, B.in, p['in']); bool(b, B.required, p['required']);
        if (isObj(p['schema'])) msg(b, B.schema, (s) => schema(s, p['schema']));
        extensions(b, B.vendorExtension, p);
      });
      return;
    }
    const isPath = p['in'] === 'path';
    const F = isPath ? FIELDS.PathParameter : FIELDS.QueryParameter;
    msg(pw, FIELDS.Parameter.nonBodyParameter, (nb) => msg(nb, isPath ? FIELDS.NonBodyParameter.path : FIELDS.NonBodyParameter.query, (q) => {
      bool(q, F.required, p['required']); str(q, F.in, p['in']); str(q, F.description, p['description']); str(q, F.name, p['name']);
      str(q, F.type, p['type']); str(q, F.format, p['format']); bool(q, F.uniqueItems, p['uniqueItems']);
      extensions(q, F.vendorExtension, p);
    }));
  });
}

function operation(w: W, op: Json): void {
  const O = FIELDS.Operation;
  strs(w, O.tags, op['tags']); str(w, O.summary, op['summary']); str(w, O.description, op['description']); str(w, O.operationId, op['operationId']);
  strs(w, O.produces, op['produces']); strs(w, O.consumes, op['consumes']);
  if (Array.isArray(op['parameters'])) for (const p of op['parameters']) msg(w, O.parameters, (m) => parameter(m, p));
  if (isObj(op['responses'])) {
    msg(w, O.responses, (rs) => named(rs, FIELDS.Responses.responseCode, op['responses'], (rv, r) => msg(rv, FIELDS.ResponseValue.response, (m) => {
      if (!isObj(r)) return;
      str(m, FIELDS.Response.description, r['description']);
      if (isObj(r['schema'])) msg(m, FIELDS.Response.schema, (si) => msg(si, FIELDS.SchemaItem.schema, (s) => schema(s, r['schema'])));
      extensions(m, FIELDS.Response.vendorExtension, r);
    })));
  }
  strs(w, O.schemes, op['schemes']); bool(w, O.deprecated, op['deprecated']);
  extensions(w, O.vendorExtension, op);
}

function pathItem(w: W, v: unknown): void {
  if (!isObj(v)) return;
  const P = FIELDS.PathItem;
  for (const verb of ['get', 'put', 'post', 'delete', 'options', 'head', 'patch'] as const) {
    const op = v[verb];
    if (isObj(op)) msg(w, P[verb], (m) => operation(m, op));
  }
  if (Array.isArray(v['parameters'])) for (const p of v['parameters']) msg(w, P.parameters, (m) => parameter(m, p));
  extensions(w, P.vendorExtension, v);
}

/** The gnostic protobuf encoding of a Swagger 2.0 document. */
export function encodeSwagger(doc: Json): Uint8Array {
  const w = protobuf.Writer.create();
  const D = FIELDS.Document;
  str(w, D.swagger, doc['swagger']);
  const info = doc['info'];
  if (isObj(info)) msg(w, D.info, (m) => { str(m, FIELDS.Info.title, info['title']); str(m, FIELDS.Info.version, info['version']); str(m, FIELDS.Info.description, info['description']); });
  str(w, D.host, doc['host']); str(w, D.basePath, doc['basePath']);
  strs(w, D.schemes, doc['schemes']); strs(w, D.consumes, doc['consumes']); strs(w, D.produces, doc['produces']);
  if (isObj(doc['paths'])) msg(w, D.paths, (m) => named(m, FIELDS.Paths.path, doc['paths'], pathItem));
  if (isObj(doc['definitions'])) msg(w, D.definitions, (m) => named(m, FIELDS.Repeated.items, doc['definitions'], schema));
  extensions(w, D.vendorExtension, doc);
  return w.finish();
}
