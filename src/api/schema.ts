/**
 * Schema builders. Every Kubernetes kind is described once, as an OpenAPI-flavoured JSON
 * Schema built with TypeBox: the same value gives the TypeScript type (`Static<typeof X>`),
 * drives field validation, defaulting and strategic-merge-patch, and is served as OpenAPI v3.
 *
 * Conventions (read by src/apiserver/openapi.ts, src/api/structural.ts, src/apiserver/patch):
 * - a schema with `$id` (a Kubernetes definition name such as `io.k8s.api.core.v1.ServiceSpec`)
 *   becomes a named component in OpenAPI; everything else is inlined. Schemas are embedded by
 *   value, never by `$ref`, so tools can walk them directly.
 * - objects are closed (`additionalProperties: false`) unless they are maps (`MapOf`).
 * - `x-kubernetes-patch-strategy` / `x-kubernetes-patch-merge-key` mark merge lists for SMP;
 *   `x-kubernetes-list-type` / `x-kubernetes-list-map-keys` mark them for server-side apply.
 */
import { Type, type TSchema, type TProperties, type TObject, type TUnsafe, type Static } from '@sinclair/typebox';

export { Type, type Static, type TSchema };

/** Options that every builder accepts: a description plus Kubernetes extensions. */
export interface KOptions {
  description?: string;
  default?: unknown;
  format?: string;
  enum?: unknown[];
  'x-kubernetes-patch-strategy'?: string;
  'x-kubernetes-patch-merge-key'?: string;
  'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map';
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-map-type'?: 'atomic' | 'granular';
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-group-version-kind'?: { group: string; version: string; kind: string }[];
  [ext: `x-${string}`]: unknown;
}

/** A closed object type; `id` names it as an OpenAPI component. All fields optional unless `required`. */
export function Obj<P extends TProperties>(id: string | undefined, description: string, props: P, opts: KOptions = {}): TObject<P> {
  return Type.Object(props, { ...(id ? { $id: id } : {}), description, additionalProperties: false, ...opts });
}

/** An optional field. */
export const Opt = Type.Optional;

/** A string field. */
export function Str(description: string, opts: KOptions = {}) {
  return Type.String({ description, ...opts });
}

/** A string restricted to known values (still typed as string: Kubernetes validates enums itself). */
export function Enum(description: string, values: string[], opts: KOptions = {}) {
  return Type.String({ description, enum: values, ...opts });
}

/** A 32-bit integer field. */
export function Int32(description: string, opts: KOptions = {}) {
  return Type.Integer({ description, format: 'int32', ...opts });
}

/** A 64-bit integer field. */
export function Int64(description: string, opts: KOptions = {}) {
  return Type.Integer({ description, format: 'int64', ...opts });
}

/** A floating point field. */
export function Num(description: string, opts: KOptions = {}) {
  return Type.Number({ description, format: 'double', ...opts });
}

/** A boolean field. */
export function Bool(description: string, opts: KOptions = {}) {
  return Type.Boolean({ description, ...opts });
}

/** A list field. */
export function List<T extends TSchema>(items: T, description: string, opts: KOptions = {}) {
  return Type.Array(items, { description, ...opts });
}

/** A map with string keys (`map[string]V` in Go). */
export function MapOf<T extends TSchema>(value: T, description: string, opts: KOptions = {}): TUnsafe<Record<string, Static<T>>> {
  return Type.Unsafe<Record<string, Static<T>>>({ type: 'object', additionalProperties: value, description, ...opts });
}

/** Free-form JSON (RawExtension, FieldsV1): any value, unknown fields kept. */
export function Free(description: string, id?: string): TUnsafe<Record<string, unknown>> {
  return Type.Unsafe<Record<string, unknown>>({
    ...(id ? { $id: id } : {}), type: 'object', description, 'x-kubernetes-preserve-unknown-fields': true,
  });
}

/** Shared scalar types with their upstream definition names. */
export const IntOrString = Type.Unsafe<number | string>({
  $id: 'io.k8s.apimachinery.pkg.util.intstr.IntOrString', type: 'string', format: 'int-or-string',
  description: 'A value that is either a 32-bit integer or a string, such as a port number or port name.',
});
export const Quantity = Type.Unsafe<string | number>({
  $id: 'io.k8s.apimachinery.pkg.api.resource.Quantity', type: 'string', format: 'quantity',
  description: 'A fixed-point number with an optional unit suffix, such as 100m, 1.5 or 128Mi.',
});
export const Time = Type.Unsafe<string>({
  $id: 'io.k8s.apimachinery.pkg.apis.meta.v1.Time', type: 'string', format: 'date-time',
  description: 'A timestamp in RFC 3339 form, in seconds.',
});
export const MicroTime = Type.Unsafe<string>({
  $id: 'io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime', type: 'string', format: 'date-time',
  description: 'A timestamp in RFC 3339 form, with microseconds.',
});

/** A string-to-string map (labels, annotations, selectors). */
export function StrMap(description: string, opts: KOptions = {}) {
  return MapOf(Type.String(), description, opts);
}

/** Walks one step into a schema: the schema of property/element `key`, or undefined when unknown. */
export function childSchema(schema: TSchema | undefined, key: string | number): TSchema | undefined {
  if (!schema) return undefined;
  const s = schema as Record<string, unknown>;
  if (typeof key === 'number') return s['type'] === 'array' ? (s['items'] as TSchema) : undefined;
  const props = s['properties'] as Record<string, TSchema> | undefined;
  if (props && key in props) return props[key];
  const add = s['additionalProperties'];
  if (add && typeof add === 'object') return add as TSchema;
  return undefined;
}
