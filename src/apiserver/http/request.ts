/** Parsing of API request paths (like k8s RequestInfoFactory), query options and bodies. */
import type { IncomingMessage } from 'node:http';
import { parse as parseYaml } from 'yaml';
import { errors } from '../../api/errors.js';
import { decodeK8sProtobuf } from '../protobuf/decode.js';

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

/** Splits a path into group/version/namespace/resource/name/subresource. */
export function parseRequestPath(pathname: string): RequestInfo {
  const parts = pathname.split('/').filter((p) => p.length > 0).map(decodeURIComponent);
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

/** Decodes a request body by Content-Type: JSON, YAML or Kubernetes protobuf (415 otherwise). */
export function decodeBody(buf: Buffer, contentType: string | undefined, patch = false): unknown {
  const mt = mediaType(contentType);
  if (buf.length === 0) throw errors.badRequest('the body of the request was empty');
  switch (mt) {
    case 'application/json':
    case 'application/json-patch+json':
    case 'application/merge-patch+json':
    case 'application/strategic-merge-patch+json':
      try { return JSON.parse(buf.toString('utf8')); } catch (e) {
        throw errors.badRequest(`${patch ? 'error decoding patch' : "couldn't get version/kind; json parse error"}: ${jsonError(e)}`);
      }
    case 'application/yaml':
    case 'application/apply-patch+yaml':
      try { return parseYaml(buf.toString('utf8')); } catch (e) {
        throw errors.badRequest(`error converting YAML to JSON: ${jsonError(e).split('\n')[0]}`);
      }
    case 'application/vnd.kubernetes.protobuf':
      try { return decodeK8sProtobuf(buf); } catch (e) {
        throw errors.badRequest(`failed to decode protobuf body: ${jsonError(e)}`);
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
