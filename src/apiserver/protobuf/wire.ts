/**
 * Generic protobuf → JSON decoding driven by our field tables, following the way Go's gogo-proto
 * types marshal to JSON: empty non-pointer `omitempty` scalars are dropped (they mean "unset"),
 * pointer scalars and scalars without `omitempty` keep their zero value, nested messages that are present become objects (even empty), embedded
 * structs are flattened, maps become objects and bytes become base64.
 */
import protobuf from 'protobufjs/minimal.js';
import { SCALARS, type FieldSpec, type Registry } from './table.js';

type Reader = protobuf.Reader;
type Json = Record<string, unknown>;

const WIRE_VARINT = 0, WIRE_FIXED64 = 1, WIRE_BYTES = 2, WIRE_FIXED32 = 5;

/** The protobuf wire type a scalar or message type is encoded with. */
function wireTypeOf(type: string): number {
  switch (type) {
    case 'int32': case 'int64': case 'uint32': case 'uint64': case 'bool': return WIRE_VARINT;
    case 'double': return WIRE_FIXED64;
    case 'float': return WIRE_FIXED32;
    default: return WIRE_BYTES;
  }
}

/** int64 values arrive as Long objects when the `long` package is present, as numbers otherwise. */
function toNumber(v: unknown): number {
  return typeof v === 'number' ? v : (v as { toNumber(): number }).toNumber();
}

function readScalar(r: Reader, type: string): unknown {
  switch (type) {
    case 'string': return r.string();
    case 'int32': return r.int32();
    case 'uint32': return r.uint32();
    case 'int64': return toNumber(r.int64());
    case 'uint64': return toNumber(r.uint64());
    case 'bool': return r.bool();
    case 'double': return r.double();
    case 'float': return r.float();
    case 'bytes': return Buffer.from(r.bytes()).toString('base64');
    default: throw new Error(`unknown scalar type ${type}`);
  }
}

function isZero(v: unknown): boolean {
  return v === '' || v === 0 || v === false;
}

/** RFC 3339 in UTC, seconds precision (`2024-01-02T03:04:05Z`) or microseconds. */
function rfc3339(seconds: number, micros?: number): string {
  const base = new Date(seconds * 1000).toISOString().slice(0, 19);
  return micros === undefined ? `${base}Z` : `${base}.${String(micros).padStart(6, '0')}Z`;
}

/** Reads the fields of a length-delimited submessage into a number → value list (raw, for special types). */
function readRawFields(buf: Uint8Array): Map<number, unknown> {
  const r = protobuf.Reader.create(buf);
  const out = new Map<number, unknown>();
  while (r.pos < r.len) {
    const tag = r.uint32();
    const wt = tag & 7;
    if (wt === WIRE_VARINT) out.set(tag >>> 3, toNumber(r.int64()));
    else if (wt === WIRE_BYTES) out.set(tag >>> 3, r.bytes());
    else r.skipType(wt);
  }
  return out;
}

function str(v: unknown): string {
  return v instanceof Uint8Array ? Buffer.from(v).toString('utf8') : '';
}

/** Decodes a special (non-table) message type from its bytes. `undefined` means "drop the field". */
function decodeSpecial(type: string, buf: Uint8Array, pointer: boolean): unknown {
  const f = readRawFields(buf);
  switch (type) {
    case 'Time': return buf.length === 0 ? null : rfc3339(Number(f.get(1) ?? 0));
    case 'MicroTime': return buf.length === 0 ? null : rfc3339(Number(f.get(1) ?? 0), Math.floor(Number(f.get(2) ?? 0) / 1000));
    case 'Quantity': return str(f.get(1)) || '0';
    case 'Duration': return `${Number(f.get(1) ?? 0) / 1e9}s`;
    case 'IntOrString': {
      const v = Number(f.get(1) ?? 0) === 1 ? str(f.get(3)) : Number(f.get(2) ?? 0);
      return !pointer && isZero(v) ? undefined : v;
    }
    case 'RawExtension': case 'FieldsV1': {
      const raw = f.get(1);
      if (!(raw instanceof Uint8Array) || raw.length === 0) return type === 'FieldsV1' ? {} : null;
      try { return JSON.parse(Buffer.from(raw).toString('utf8')) as unknown; } catch { throw new Error(`${type} does not hold JSON`); }
    }
    default: return undefined;
  }
}

const SPECIAL = new Set(['Time', 'MicroTime', 'Quantity', 'Duration', 'IntOrString', 'RawExtension', 'FieldsV1']);

/** Decodes a single (non-repeated) value of `type` at the reader position (wire type already checked). */
function readValue(r: Reader, reg: Registry, type: string, pointer: boolean, path: string): unknown {
  if (SCALARS.has(type)) return readScalar(r, type);
  const bytes = r.bytes();
  if (SPECIAL.has(type)) return decodeSpecial(type, bytes, pointer);
  return decodeMessage(bytes, reg, type, path);
}

function readMapEntry(r: Reader, reg: Registry, f: FieldSpec, path: string): [string, unknown] {
  const end = r.uint32() + r.pos;
  if (end > r.len) throw new Error(`truncated map entry in ${path}.${f.name}`);
  let key = '';
  let value: unknown = f.type === 'string' || f.type === 'bytes' ? '' : SPECIAL.has(f.type) ? undefined : {};
  while (r.pos < end) {
    const tag = r.uint32();
    const num = tag >>> 3, wt = tag & 7;
    if (num === 1 && wt === WIRE_BYTES) key = r.string();
    else if (num === 2 && wt === wireTypeOf(f.type)) value = readValue(r, reg, f.type, true, `${path}.${f.name}`);
    else r.skipType(wt);
  }
  if (r.pos !== end) throw new Error(`malformed map entry in ${path}.${f.name}`);
  return [key, value];
}

/** Decodes the bytes of message `type` into its JSON form. */
export function decodeMessage(buf: Uint8Array, reg: Registry, type: string, path = type): Json {
  const spec = reg.get(type);
  const r = protobuf.Reader.create(buf);
  const out: Json = {};
  while (r.pos < r.len) {
    const tag = r.uint32();
    const num = tag >>> 3, wt = tag & 7;
    if (num === 0) throw new Error(`illegal field number 0 in ${path}`);
    const f = spec.get(num);
    if (!f) { r.skipType(wt); continue; }
    if (f.map) {
      if (wt !== WIRE_BYTES) throw new Error(`wrong wire type ${wt} for map field ${path}.${f.name}`);
      const [k, v] = readMapEntry(r, reg, f, path);
      const m = (out[f.name] ??= {}) as Json;
      if (v !== undefined) m[k] = v;
      continue;
    }
    const want = wireTypeOf(f.type);
    if (f.repeated) {
      const list = (out[f.name] ??= []) as unknown[];
      if (want !== WIRE_BYTES && wt === WIRE_BYTES) {
        const end = r.uint32() + r.pos; // packed scalars
        while (r.pos < end) list.push(readScalar(r, f.type));
        continue;
      }
      if (wt !== want) throw new Error(`wrong wire type ${wt} for field ${path}.${f.name}`);
      const v = readValue(r, reg, f.type, true, `${path}.${f.name}`);
      if (v !== undefined) list.push(v);
      continue;
    }
    if (wt !== want) throw new Error(`wrong wire type ${wt} for field ${path}.${f.name}`);
    const keepZero = f.pointer || f.keep;
    const v = readValue(r, reg, f.type, keepZero, `${path}.${f.name}`);
    if (f.inline) Object.assign(out, v as Json);
    else if (v === undefined || (!keepZero && SCALARS.has(f.type) && isZero(v))) delete out[f.name];
    else out[f.name] = v;
  }
  return out;
}
