/**
 * Schema-driven structural checks of request bodies, reproducing what kube-apiserver's JSON
 * decoding (sigs.k8s.io/json into Go structs) reports: unknown fields for
 * `fieldValidation=Strict|Warn`, and JSON type mismatches, with the same paths and wording.
 * Also schema defaulting and the removal of nulls (which Go decoding treats as "unset").
 */
import type { TSchema } from './schema.js';

type S = Record<string, unknown>;
type Json = Record<string, unknown>;

/** Result of `checkStructure`: unknown field paths (`spec.ports[0].foo`) and Go-style type errors. */
export interface StructureReport {
  unknown: string[];
  typeErrors: string[];
}

/** Fields whose Go type is a named type (shown in type errors), keyed `Struct.jsonField`. */
const GO_TYPES: Record<string, string> = Object.fromEntries(('ServiceSpec.type=v1.ServiceType ServiceSpec.sessionAffinity=v1.ServiceAffinity ' +
  'ServiceSpec.externalTrafficPolicy=v1.ServiceExternalTrafficPolicy ServiceSpec.ipFamilies=[]v1.IPFamily ServiceSpec.ipFamilyPolicy=v1.IPFamilyPolicy ' +
  'ServiceSpec.internalTrafficPolicy=v1.ServiceInternalTrafficPolicy ServicePort.protocol=v1.Protocol ContainerPort.protocol=v1.Protocol ' +
  'EndpointPort.protocol=v1.Protocol PortStatus.protocol=v1.Protocol NetworkPolicyPort.protocol=v1.Protocol LoadBalancerIngress.ipMode=v1.LoadBalancerIPMode ' +
  'Container.imagePullPolicy=v1.PullPolicy Container.terminationMessagePolicy=v1.TerminationMessagePolicy Container.restartPolicy=v1.ContainerRestartPolicy ' +
  'PodSpec.restartPolicy=v1.RestartPolicy PodSpec.dnsPolicy=v1.DNSPolicy PodSpec.preemptionPolicy=v1.PreemptionPolicy PodStatus.phase=v1.PodPhase ' +
  'PodStatus.qosClass=v1.PodQOSClass PodCondition.type=v1.PodConditionType PodCondition.status=v1.ConditionStatus HTTPGetAction.scheme=v1.URIScheme ' +
  'VolumeMount.mountPropagation=v1.MountPropagationMode Toleration.operator=v1.TolerationOperator Toleration.effect=v1.TaintEffect Taint.effect=v1.TaintEffect ' +
  'NodeStatus.phase=v1.NodePhase NodeCondition.type=v1.NodeConditionType NodeCondition.status=v1.ConditionStatus NodeAddress.type=v1.NodeAddressType ' +
  'NamespaceSpec.finalizers=[]v1.FinalizerName NamespaceStatus.phase=v1.NamespacePhase NamespaceCondition.type=v1.NamespaceConditionType ' +
  'NamespaceCondition.status=v1.ConditionStatus Secret.type=v1.SecretType ObjectReference.uid=types.UID ObjectMeta.uid=types.UID OwnerReference.uid=types.UID ' +
  'NetworkPolicySpec.policyTypes=[]v1.PolicyType HTTPIngressPath.pathType=v1.PathType EndpointSlice.addressType=v1.AddressType ' +
  'LabelSelectorRequirement.operator=v1.LabelSelectorOperator ManagedFieldsEntry.operation=v1.ManagedFieldsOperationType ' +
  'DeploymentStrategy.type=v1.DeploymentStrategyType DeploymentCondition.type=v1.DeploymentConditionType ' +
  'ReplicaSetCondition.type=v1.ReplicaSetConditionType ResourceRequirements.limits=v1.ResourceList ResourceRequirements.requests=v1.ResourceList')
  .split(' ').map((e) => e.split('=') as [string, string]));

const QUANTITY_RE = /^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$/;
const QUANTITY_SUFFIX = /^(|[numkMGTPE]|[KMGTPE]i|[eE][-+]?[0-9]+)$/;
/** The error Quantity's JSON decoding reports for a malformed value. */
export const QUANTITY_FORMAT_ERROR = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

function isObj(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** How Go names a JSON value kind in `cannot unmarshal <kind>` messages. */
function jsonKind(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return 'number';
  return typeof v === 'string' ? 'string' : 'object';
}

/** The Go struct name behind a schema (`io.k8s.api.core.v1.ServicePort` → `ServicePort`). */
function structName(s: S): string | undefined {
  const id = s['$id'];
  return typeof id === 'string' ? id.slice(id.lastIndexOf('.') + 1) : undefined;
}

/** The Go type name a schema decodes into, as Go prints it (`int32`, `[]v1.ServicePort`, `map[string]string`). */
function goType(s: S): string {
  const id = s['$id'];
  if (typeof id === 'string') {
    const parts = id.split('.');
    return `${parts[parts.length - 2] ?? ''}.${parts[parts.length - 1] ?? ''}`;
  }
  const type = s['type'], format = s['format'];
  if (type === 'array') return '[]' + goType((s['items'] ?? {}) as S);
  if (type === 'integer') return format === 'int32' ? 'int32' : 'int64';
  if (type === 'number') return format === 'float' ? 'float32' : 'float64';
  if (type === 'boolean') return 'bool';
  if (type === 'string') return format === 'byte' ? '[]uint8' : 'string';
  const add = s['additionalProperties'];
  if (isObj(add)) return 'map[string]' + goType(add);
  return 'struct';
}

/** Go's `time.Parse(time.RFC3339, s)` error, or undefined when `s` parses. */
function rfc3339Error(s: string): string | undefined {
  const layout: [string, RegExp][] = [['2006', /^\d{4}/], ['-', /^-/], ['01', /^\d\d/], ['-', /^-/], ['02', /^\d\d/], ['T', /^T/],
    ['15', /^\d\d/], [':', /^:/], ['04', /^\d\d/], [':', /^:/], ['05', /^\d\d(\.\d+)?/], ['Z07:00', /^(Z|[+-]\d\d:\d\d)/]];
  let rest = s;
  for (const [elem, re] of layout) {
    const m = re.exec(rest);
    if (!m) return `parsing time ${JSON.stringify(s)} as "2006-01-02T15:04:05Z07:00": cannot parse ${JSON.stringify(rest)} as ${JSON.stringify(elem)}`;
    rest = rest.slice(m[0].length);
  }
  return rest ? `parsing time ${JSON.stringify(s)}: extra text: ${JSON.stringify(rest)}` : undefined;
}

/** Go's base64.StdEncoding error (`illegal base64 data at input byte N`), or undefined when valid. */
function base64Error(s: string): string | undefined {
  const clean: number[] = []; // original offsets of significant characters
  for (let i = 0; i < s.length; i++) if (s[i] !== '\n' && s[i] !== '\r') clean.push(i);
  const chars = clean.map((i) => s[i] ?? '');
  for (let q = 0; q < chars.length; q += 4) {
    const quantum = chars.slice(q, q + 4);
    for (let j = 0; j < quantum.length; j++) {
      const c = quantum[j] ?? '';
      if (/[A-Za-z0-9+/]/.test(c)) continue;
      if (c === '=' && j >= 2 && quantum.slice(j).every((x) => x === '=') && quantum.length === 4 && q + 4 === chars.length) break;
      return `illegal base64 data at input byte ${q + j}`;
    }
    if (quantum.length < 4) return `illegal base64 data at input byte ${q}`;
  }
  return undefined;
}

/** A quantity problem as reported by resource.Quantity's decoding, or undefined when fine. */
export function quantityError(v: unknown): string | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? undefined : QUANTITY_FORMAT_ERROR;
  if (typeof v !== 'string') return QUANTITY_FORMAT_ERROR;
  const m = QUANTITY_RE.exec(v.trim());
  if (!m) return QUANTITY_FORMAT_ERROR;
  return QUANTITY_SUFFIX.test(m[2] ?? '') ? undefined : "unable to parse quantity's suffix";
}

interface Walk {
  unknown: string[];
  typeErrors: string[];
  /** Errors returned by custom JSON decoders abort Go's decoding; they win over saved type errors. */
  fatal: string[];
}

/** Go's decoding context: the struct holding the current field, the JSON field names so far, list depth below the field. */
interface Ctx { struct?: string; fields: string[]; elem: number; mapValue?: boolean }

function typeError(w: Walk, v: unknown, s: S, ctx: Ctx, detail?: string): void {
  const kind = detail ?? jsonKind(v);
  const named = ctx.struct && !ctx.mapValue ? GO_TYPES[`${ctx.struct}.${ctx.fields[ctx.fields.length - 1] ?? ''}`] : undefined;
  const type = named?.startsWith('[]'.repeat(ctx.elem)) ? named.slice(2 * ctx.elem) : goType(s);
  const where = ctx.struct ? `Go struct field ${ctx.struct}.${ctx.fields.join('.')}` : 'Go value';
  w.typeErrors.push(`json: cannot unmarshal ${kind} into ${where} of type ${type}`);
}

function walk(v: unknown, s: S | undefined, path: string, ctx: Ctx, w: Walk): void {
  if (v === null || v === undefined || !s || s['x-kubernetes-preserve-unknown-fields'] === true) return;
  const format = s['format'];
  if (format === 'int-or-string') {
    if (typeof v === 'string') return;
    if (typeof v === 'number' && Number.isInteger(v) && Math.abs(v) <= 2147483647) return;
    w.fatal.push(`json: cannot unmarshal ${typeof v === 'number' ? `number ${v}` : jsonKind(v)} into Go value of type int32`);
    return;
  }
  if (format === 'quantity') { const e = quantityError(v); if (e) w.fatal.push(e); return; }
  if (format === 'date-time') {
    if (typeof v !== 'string') { w.fatal.push(`json: cannot unmarshal ${jsonKind(v)} into Go value of type string`); return; }
    const e = rfc3339Error(v); if (e) w.fatal.push(e);
    return;
  }
  const type = s['type'] ?? (s['properties'] ? 'object' : undefined);
  switch (type) {
    case 'string':
      if (typeof v !== 'string') typeError(w, v, s, ctx);
      else if (format === 'byte') { const e = base64Error(v); if (e) w.typeErrors.push(e); }
      return;
    case 'boolean': if (typeof v !== 'boolean') typeError(w, v, s, ctx); return;
    case 'number': if (typeof v !== 'number') typeError(w, v, s, ctx); return;
    case 'integer': {
      if (typeof v !== 'number') { typeError(w, v, s, ctx); return; }
      const max = format === 'int32' ? 2147483647 : Number.MAX_SAFE_INTEGER;
      if (!Number.isInteger(v) || v > max || v < -max - 1) typeError(w, v, s, ctx, `number ${v}`);
      return;
    }
    case 'array': {
      if (!Array.isArray(v)) { typeError(w, v, s, ctx); return; }
      v.forEach((item, i) => walk(item, s['items'] as S | undefined, `${path}[${i}]`, { ...ctx, elem: ctx.elem + 1 }, w));
      return;
    }
    case 'object': {
      if (!isObj(v)) { typeError(w, v, s, ctx); return; }
      const props = s['properties'] as Record<string, S> | undefined;
      const add = s['additionalProperties'];
      const struct = props ? (structName(s) ?? ctx.struct) : ctx.struct;
      for (const [k, val] of Object.entries(v)) {
        const sub = path ? `${path}.${k}` : k;
        if (props && Object.hasOwn(props, k)) walk(val, props[k], sub, { struct, fields: [...ctx.fields, k], elem: 0 }, w);
        else if (isObj(add)) walk(val, add, sub, { ...ctx, elem: 0, mapValue: true }, w);
        else if (add !== true) w.unknown.push(sub);
      }
      return;
    }
    default:
      return;
  }
}

/** Walks `obj` against `schema`: unknown field paths as kube-apiserver prints them, and JSON type errors. */
export function checkStructure(obj: unknown, schema: TSchema): StructureReport {
  const w: Walk = { unknown: [], typeErrors: [], fatal: [] };
  walk(obj, schema as S, '', { fields: [], elem: 0 }, w);
  return { unknown: [...new Set(w.unknown)].slice(0, 100), typeErrors: [...w.fatal, ...w.typeErrors] };
}

/** The version part of `apps/v1` (messages name the version only). */
function versionOf(apiVersion: string): string {
  return apiVersion.slice(apiVersion.lastIndexOf('/') + 1);
}

/** `<Kind> in version "<v>" cannot be handled as a <Kind>: <detail>`, the decode failure prefix. */
export function decodeFailureMessage(kind: string, apiVersion: string, detail: string): string {
  return `${kind} in version ${JSON.stringify(versionOf(apiVersion))} cannot be handled as a ${kind}: ${detail}`;
}

/** The 400 message for unknown fields under `fieldValidation=Strict`. */
export function strictDecodingMessage(kind: string, apiVersion: string, unknown: string[]): string {
  return decodeFailureMessage(kind, apiVersion, `strict decoding error: ${unknown.map((u) => `unknown field ${JSON.stringify(u)}`).join(', ')}`);
}

/** The 400 message for a JSON type mismatch (Go reports only the first one). */
export function typeErrorMessage(kind: string, apiVersion: string, typeErrors: string[]): string {
  return decodeFailureMessage(kind, apiVersion, typeErrors[0] ?? 'unknown decoding error');
}

/** The warning texts for `fieldValidation=Warn` (one `Warning` header each). */
export function unknownFieldWarnings(unknown: string[]): string[] {
  return unknown.map((u) => `unknown field ${JSON.stringify(u)}`);
}

/** Removes unknown fields in place (what Go decoding does with them). */
export function pruneUnknown(obj: unknown, schema: TSchema): void {
  const s = schema as S | undefined;
  if (!s || s['x-kubernetes-preserve-unknown-fields'] === true) return;
  if (Array.isArray(obj)) { for (const item of obj) pruneUnknown(item, s['items'] as TSchema); return; }
  if (!isObj(obj)) return;
  const props = s['properties'] as Record<string, TSchema> | undefined;
  const add = s['additionalProperties'];
  for (const k of Object.keys(obj)) {
    if (props && Object.hasOwn(props, k)) pruneUnknown(obj[k], props[k] as TSchema);
    else if (isObj(add)) pruneUnknown(obj[k], add as TSchema);
    else if (add !== true && (props || s['type'] === 'object')) delete obj[k];
  }
}

/** The JSON form of a Go zero value for a schema (null for free-form or unknown types). */
function zeroValue(s: S): unknown {
  if (s['x-kubernetes-preserve-unknown-fields'] === true) return null;
  if (s['format'] === 'int-or-string') return 0;
  if (s['format'] === 'quantity') return '0';
  if (s['format'] === 'date-time') return null;
  switch (s['type'] ?? (s['properties'] ? 'object' : undefined)) {
    case 'object': return {};
    case 'string': return '';
    case 'integer': case 'number': return 0;
    case 'boolean': return false;
    case 'array': return [];
    default: return null;
  }
}

/** Drops null-valued object fields in place (null means "unset"); keeps free-form JSON untouched. */
export function pruneNulls(obj: unknown, schema?: TSchema): void {
  const s = schema as S | undefined;
  if (s && s['x-kubernetes-preserve-unknown-fields'] === true) return;
  // With a schema, parts it does not describe (unknown fields, wrong types) are refused or pruned
  // later, so they are not descended into (they may be nested deeper than the stack allows).
  if (Array.isArray(obj)) {
    const items = s?.['items'] as S | undefined;
    if (!s || items) {
      obj.forEach((item, i) => {
        if (item === null && items) obj[i] = zeroValue(items); // Go decodes a null element as the zero value
        else pruneNulls(item, items as TSchema | undefined);
      });
    }
    return;
  }
  if (!isObj(obj)) return;
  const props = s?.['properties'] as Record<string, TSchema> | undefined;
  const add = s?.['additionalProperties'];
  for (const [k, v] of Object.entries(obj)) {
    const sub = props && Object.hasOwn(props, k) ? props[k] : isObj(add) ? (add as TSchema) : undefined;
    if (v === null) {
      if (sub && !props?.[k] && (sub as S)['type'] === 'string') obj[k] = ''; // map value: Go keeps the key with ""
      else delete obj[k];
    } else if (sub || !s) pruneNulls(v, sub);
  }
}

/** Fills `default` values of the schema into `obj` in place, where the parent object exists. */
export function applySchemaDefaults(obj: unknown, schema: TSchema): void {
  const s = schema as S | undefined;
  if (!s || s['x-kubernetes-preserve-unknown-fields'] === true) return;
  if (Array.isArray(obj)) { for (const item of obj) applySchemaDefaults(item, s['items'] as TSchema); return; }
  if (!isObj(obj)) return;
  const props = s['properties'] as Record<string, S> | undefined;
  for (const [k, p] of Object.entries(props ?? {})) {
    if (obj[k] === undefined && p['default'] !== undefined) obj[k] = structuredClone(p['default']);
    if (obj[k] !== undefined) applySchemaDefaults(obj[k], p as TSchema);
  }
  const add = s['additionalProperties'];
  if (!props && isObj(add)) for (const v of Object.values(obj)) applySchemaDefaults(v, add as TSchema);
}
