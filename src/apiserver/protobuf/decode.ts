/**
 * Decoding of `application/vnd.kubernetes.protobuf` request bodies (kubectl ≥1.32 sends them for
 * `kubectl create <generator>`): the `k8s\0` magic, a runtime.Unknown envelope carrying the
 * TypeMeta and the raw object message, which is decoded with our field tables.
 */
import protobuf from 'protobufjs/minimal.js';
import { Registry, type Tables } from './table.js';
import { decodeMessage } from './wire.js';
import { coreTables } from './tables-core.js';
import { metaTables, appsTables, networkingTables, batchTables, authorizationTables } from './tables-other.js';
import { authenticationTables, authorizationMoreTables, rbacTables } from './tables-auth.js';
import { autoscalingTables, policyTables } from './tables-policy.js';

/** The 4-byte prefix of every Kubernetes protobuf payload. */
export const PROTOBUF_MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

/** The media type of Kubernetes protobuf bodies. */
export const PROTOBUF_MEDIA_TYPE = 'application/vnd.kubernetes.protobuf';

const registry = new Registry(metaTables, coreTables, appsTables, networkingTables, batchTables, authorizationTables,
  authorizationMoreTables, authenticationTables, rbacTables, policyTables, autoscalingTables);

/** Top-level kinds per apiVersion, each decodable from the table of the same name. */
const groupTables: Record<string, Tables> = {
  v1: coreTables,
  'apps/v1': appsTables,
  'networking.k8s.io/v1': networkingTables,
  'batch/v1': batchTables,
  'authorization.k8s.io/v1': { ...authorizationTables, ...authorizationMoreTables },
  'authentication.k8s.io/v1': authenticationTables,
  'rbac.authorization.k8s.io/v1': rbacTables,
  'policy/v1': policyTables,
  'autoscaling/v1': autoscalingTables,
};

/** The runtime.Unknown envelope fields. */
export interface Envelope {
  apiVersion: string;
  kind: string;
  raw: Uint8Array;
  contentEncoding: string;
  contentType: string;
}

/** Splits a protobuf body into its envelope parts; throws on a missing prefix or malformed bytes. */
export function readEnvelope(buf: Uint8Array): Envelope {
  if (buf.length < 4 || !PROTOBUF_MAGIC.equals(Buffer.from(buf.subarray(0, 4)))) {
    throw new Error('provided object is not a Kubernetes protobuf message: missing the "k8s\\x00" prefix');
  }
  const env: Envelope = { apiVersion: '', kind: '', raw: new Uint8Array(0), contentEncoding: '', contentType: '' };
  const r = protobuf.Reader.create(buf.subarray(4));
  while (r.pos < r.len) {
    const tag = r.uint32();
    const num = tag >>> 3, wt = tag & 7;
    if (wt !== 2) { r.skipType(wt); continue; }
    if (num === 1) {
      const t = protobuf.Reader.create(r.bytes());
      while (t.pos < t.len) {
        const tt = t.uint32();
        if ((tt & 7) !== 2) t.skipType(tt & 7);
        else if (tt >>> 3 === 1) env.apiVersion = t.string();
        else if (tt >>> 3 === 2) env.kind = t.string();
        else t.skipType(2);
      }
    } else if (num === 2) env.raw = r.bytes();
    else if (num === 3) env.contentEncoding = r.string();
    else if (num === 4) env.contentType = r.string();
    else r.skipType(wt);
  }
  return env;
}

/** True when `apiVersion`/`kind` can be decoded from protobuf by this module. */
export function canDecodeProtobuf(apiVersion: string, kind: string): boolean {
  const t = groupTables[apiVersion];
  return !!t && Object.hasOwn(t, kind);
}

/** Decodes a Kubernetes protobuf body into the plain JSON form of the object (apiVersion and kind first). */
export function decodeK8sProtobuf(buf: Buffer | Uint8Array): Record<string, unknown> {
  try {
    const env = readEnvelope(buf);
    if (!env.kind || !env.apiVersion) throw new Error('the envelope has no apiVersion or kind');
    if (env.contentEncoding) throw new Error(`unsupported content encoding ${JSON.stringify(env.contentEncoding)}`);
    if (!canDecodeProtobuf(env.apiVersion, env.kind)) {
      throw new Error(`no protobuf decoding for ${env.kind} in version ${JSON.stringify(env.apiVersion)}`);
    }
    return { apiVersion: env.apiVersion, kind: env.kind, ...decodeMessage(env.raw, registry, env.kind) };
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    throw new Error(`failed to decode protobuf body: ${msg}`, { cause: e });
  }
}

/** Every message name known to the tables (for tests). */
export function protobufMessageNames(): string[] {
  return registry.names();
}
