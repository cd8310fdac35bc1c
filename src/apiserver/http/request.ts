/** Parsing of API request paths (like k8s RequestInfoFactory), query options and bodies. */
import type { IncomingMessage } from 'node:http';
import { parse as parseYaml } from 'yaml';
import { errors, StatusError } from '../../api/errors.js';
import { decodeK8sProtobuf } from '../protobuf/decode.js';
import { goJsonSyntaxError, summarizeBody } from './gojson.js';
import { MAX_NESTING, MAX_YAML_NESTING, nestedDeeperThan, yamlNestingDeeperThan } from './nesting.js';

/** What a request addresses. */
export interface RequestInfo {
  /** True for /api/... and /apis/... resource paths. */
  isResource: boolean;
  group: string;
  version: string;
  namespace?: string;
  resource?: string;
  name?: string;
  subresource?: string;
  /** Path segments after /api or /apis, for discovery requests. */
  parts: string[];
  prefix: 'api' | 'apis' | '';
}

const namespaceSubresources = new Set(['status', 'finalize']);

/** Splits a decoded path (Go's URL.Path, see target.ts) into group/version/namespace/resource/name/subresource, as RequestInfoFactory does. */
export function parseRequestPath(pathname: string): RequestInfo {
  const parts = pathname.split('/').filter((p) => p.length > 0);
  const info: RequestInfo = { isResource: false, group: '', version: '', parts, prefix: '' };
  let rest: string[];
  if (parts[0] === 'api') {
    info.prefix = 'api';
    if (parts.length < 3) return info;
    info.version = parts[1]!;
    rest = parts.slice(2);
  } else if (parts[0] === 'apis') {
    info.prefix = 'apis';
    if (parts.length < 4) return info;
    info.group = parts[1]!;
    info.version = parts[2]!;
    rest = parts.slice(3);
  } else return info;
  info.isResource = true;
  if (rest[0] === 'namespaces' && rest.length > 1) {
    info.namespace = rest[1];
    if (rest.length > 2 && !namespaceSubresources.has(rest[2]!)) rest = rest.slice(2);
  }
  info.resource = rest[0];
  info.name = rest[1];
  info.subresource = rest[2];
  if (rest.length > 3) info.isResource = false;
  if (info.resource === 'namespaces' && info.namespace !== undefined && rest[0] === 'namespaces') {
    info.name = info.namespace;
    info.subresource = rest[2];
    delete info.namespace;
  }
  return info;
}

/** The largest request body accepted, as kube-apiserver (3 MiB). */
export const MAX_BODY = 3 * 1024 * 1024;

/** Reads the body, refusing more than MAX_BODY bytes with 413. */
export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const len = Number(req.headers['content-length'] ?? '0');
  if (len > MAX_BODY) {
    req.resume();
    throw errors.tooLarge();
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > MAX_BODY) { req.resume(); throw errors.tooLarge(); }
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks);
}

/** The media type without parameters, lower-cased. */
export function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

function jsonError(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Go's error for a JSON value that does not fit the apiVersion/kind probe struct (not an object, or non-string fields). */
function notObjectError(v: unknown): string | undefined {
  const jsonKind = (x: unknown) => (Array.isArray(x) ? 'array' : typeof x === 'boolean' ? 'bool' : typeof x);
  if (v === null) return undefined;
  if (typeof v === 'object' && !Array.isArray(v)) {
    for (const f of ['apiVersion', 'kind']) {
      const x = (v as Record<string, unknown>)[f];
      if (x !== undefined && x !== null && typeof x !== 'string') return `json: cannot unmarshal ${jsonKind(x)} into Go struct field .${f} of type string`;
    }
    return undefined;
  }
  const kind = jsonKind(v);
  return `json: cannot unmarshal ${kind} into Go value of type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }`;
}

/** Parses JSON, reporting syntax errors (and nesting deeper than Go's 10000 levels) in Go's words. */
function parseJson(buf: Buffer, fail: (goMessage: string) => never): unknown {
  let v: unknown;
  try { v = JSON.parse(buf.toString('utf8')); } catch { fail(goJsonSyntaxError(buf) ?? 'unexpected end of JSON input'); }
  if (buf.length > MAX_NESTING && nestedDeeperThan(v)) fail('exceeded max depth');
  return v;
}

/**
 * Decodes a request body by Content-Type: JSON, YAML or Kubernetes protobuf (415 otherwise).
 * With `kind` (create/update of that kind), malformed JSON gets kube-apiserver's decode error.
 */
export function decodeBody(buf: Buffer, contentType: string | undefined, patch = false, kind?: string): unknown {
  const mt = mediaType(contentType);
  const isJson = ['application/json', 'application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json'].includes(mt);
  if (!isJson && !['application/yaml', 'application/apply-patch+yaml', 'application/vnd.kubernetes.protobuf'].includes(mt)) throw errors.unsupportedMediaType(mt);
  if (buf.length === 0 && !(isJson && kind && !patch)) throw errors.badRequest('the body of the request was empty');
  switch (mt) {
    case 'application/json':
    case 'application/json-patch+json':
    case 'application/merge-patch+json':
    case 'application/strategic-merge-patch+json': {
      if (patch || !kind) return parseJson(buf, (m) => { throw errors.badRequest(`${patch ? 'error decoding patch' : "couldn't get version/kind; json parse error"}: ${m}`); });
      const fail = (m: string): never => {
        throw errors.badRequest(`the object provided is unrecognized (must be of type ${kind}): couldn't get version/kind; json parse error: ${m} (${summarizeBody(buf)})`);
      };
      const v = parseJson(buf, fail);
      const notObject = notObjectError(v);
      if (notObject) fail(notObject);
      return v;
    }
    case 'application/yaml':
    case 'application/apply-patch+yaml': {
      const text = buf.toString('utf8');
      if (/^\s*[[{]/.test(text)) { // JSON (what kubectl sends) is YAML too; JSON.parse does not recurse
        try {
          const v: unknown = JSON.parse(text);
          if (buf.length > MAX_NESTING && nestedDeeperThan(v)) throw errors.badRequest(`error converting YAML to JSON: yaml: exceeded max depth of ${MAX_NESTING}`);
          return v;
        } catch (e) {
          if (e instanceof StatusError) throw e;
        }
      }
      if (yamlNestingDeeperThan(text)) throw errors.badRequest(`error converting YAML to JSON: yaml: exceeded max depth of ${MAX_YAML_NESTING}`);
      try { return parseYaml(text); } catch (e) {
        throw errors.badRequest(`error converting YAML to JSON: ${jsonError(e).split('\n')[0]}`);
      }
    }
    case 'application/vnd.kubernetes.protobuf':
      try { return decodeK8sProtobuf(buf); } catch (e) {
        throw errors.badRequest(jsonError(e));
      }
    default:
      throw errors.unsupportedMediaType(mt);
  }
}

/** Query parameter helpers. */
export function queryBool(q: URLSearchParams, name: string): boolean {
  const v = q.get(name);
  return v === 'true' || v === '1';
}

/** A non-negative integer query parameter, or undefined; 400 when malformed. */
export function queryInt(q: URLSearchParams, name: string): number | undefined {
  const v = q.get(name);
  if (v === null || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n)) throw errors.badRequest(`invalid value for ${name}: ${v}`);
  return n;
}
