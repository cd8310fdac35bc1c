/**
 * The request target as Go's net/http hands it to kube-apiserver: `URL.Path` is the percent-decoded
 * path with no dot-segment resolution (`/namespaces/%2e%2e/configmaps` names the namespace `..`,
 * never another path; a WHATWG URL would resolve it to `/configmaps` of every namespace), a malformed
 * escape is a 400 (Go's url.ParseRequestURI fails), and the query keeps only the pairs that decode
 * (url.ParseQuery). The storage keys of a `.` or `..` segment are refused as kube-apiserver's
 * storage refuses them (staging/src/k8s.io/apiserver/pkg/storage: PrepareKey → `invalid key`;
 * registry NamespaceKeyFunc → `Name parameter invalid` via path.IsValidPathSegmentName).
 */
import { errors, StatusError } from '../../api/errors.js';
import { pathSegmentErrors } from '../../api/validation/names.js';
import type { ResourceDef } from '../../api/resource.js';
import type { RequestInfo } from './request.js';

/** A request's decoded path and query. */
export interface RequestTarget { path: string; query: URLSearchParams }

/** Go's unescape: `%XX` to bytes (UTF-8 text), `+` to a space in queries; the malformed escape when there is one. */
function unescape(s: string, query: boolean): { text: string } | { bad: string } {
  if (!s.includes('%') && !(query && s.includes('+'))) return { text: s };
  const bytes: number[] = [];
  for (let i = 0; i < s.length;) {
    const c = s[i]!;
    if (c === '%') {
      const hex = s.slice(i + 1, i + 3);
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) return { bad: s.slice(i, i + 3) };
      bytes.push(parseInt(hex, 16));
      i += 3;
    } else if (query && c === '+') { bytes.push(32); i++; } else {
      const cp = s.codePointAt(i)!;
      for (const b of Buffer.from(String.fromCodePoint(cp))) bytes.push(b);
      i += cp > 0xffff ? 2 : 1;
    }
  }
  return { text: Buffer.from(bytes).toString('utf8') };
}

/** Splits a raw request target (`req.url`) into its decoded path and query; 400 for a malformed escape in the path. */
export function parseRequestTarget(rawUrl: string): RequestTarget {
  const noFragment = rawUrl.split('#', 1)[0]!;
  const q = noFragment.indexOf('?');
  const rawPath = q < 0 ? noFragment : noFragment.slice(0, q);
  const path = unescape(rawPath, false);
  if ('bad' in path) throw errors.badRequest(`parse ${JSON.stringify(rawUrl)}: invalid URL escape ${JSON.stringify(path.bad)}`);
  const query = new URLSearchParams();
  for (const pair of q < 0 ? [] : noFragment.slice(q + 1).split('&')) {
    if (!pair || pair.includes(';')) continue;
    const eq = pair.indexOf('=');
    const k = unescape(eq < 0 ? pair : pair.slice(0, eq), true);
    const v = unescape(eq < 0 ? '' : pair.slice(eq + 1), true);
    if ('text' in k && 'text' in v) query.append(k.text, v.text);
  }
  return { path: path.text || '/', query };
}


/** kube-apiserver's storage prefixes that differ from the plural (pkg/registry/core/*: storage.go). */
const KEY_PREFIX: Record<string, string> = { services: 'services/specs', endpoints: 'services/endpoints', nodes: 'minions', ingresses: 'ingress' };

/**
 * Refuses a request whose object name or namespace cannot be a storage key, as kube-apiserver does:
 * a bad name is a 400 (`Name parameter invalid: ".."`), a `.`/`..` namespace segment is the
 * storage's `invalid key` error, which kube-apiserver returns as a 500 without a reason.
 */
export function checkKeySegments(def: ResourceDef, info: RequestInfo, method: string): void {
  if (info.name !== undefined && method !== 'POST') {
    const errs = pathSegmentErrors(info.name);
    if (errs.length) throw errors.badRequest(`Name parameter invalid: ${JSON.stringify(info.name)}: ${errs.join(';')}`);
  }
  const ns = def.namespaced ? info.namespace : undefined;
  if (ns !== '.' && ns !== '..') return;
  if (method === 'POST' && info.name === undefined) return; // create: admission answers that the namespace does not exist
  const key = `/${KEY_PREFIX[def.plural] ?? def.plural}/${ns}${info.name !== undefined ? `/${info.name}` : ''}`;
  throw new StatusError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `invalid key: ${JSON.stringify(key)}`, code: 500 });
}
