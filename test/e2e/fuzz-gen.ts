/**
 * Random request generation for the API fuzz test: a seeded PRNG, resource paths, methods,
 * content types and bodies (random JSON, truncated or garbled JSON, mutated valid manifests).
 */

/** A seeded PRNG (mulberry32) with helpers. */
export class Rng {
  private s: number;
  constructor(readonly seed: number) { this.s = seed | 0; }
  /** A float in [0, 1). */
  next(): number {
    this.s = (this.s + 0x6d2b79f5) | 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** An integer in [0, n). */
  int(n: number): number { return Math.floor(this.next() * n); }
  /** One element of a non-empty list. */
  pick<T>(xs: readonly T[]): T { return xs[this.int(xs.length)] as T; }
  /** True with probability p. */
  chance(p: number): boolean { return this.next() < p; }
}

/** One generated request. */
export interface FuzzRequest { method: string; path: string; contentType?: string; body?: string | Buffer }

const names = ['ref', 'ref', 'ref', 'fuzz-a', 'x', 'Bad_Name', 'a.b', '-', '%20', 'ref/status', 'web'];
/** Collections in the fuzz namespace, and cluster-scoped ones (never written as a whole). */
export const namespaced = ['/api/v1/namespaces/fuzz/configmaps', '/api/v1/namespaces/fuzz/services', '/api/v1/namespaces/fuzz/secrets',
  '/api/v1/namespaces/fuzz/endpoints', '/api/v1/namespaces/fuzz/serviceaccounts', '/api/v1/namespaces/fuzz/events',
  '/api/v1/namespaces/fuzz/pods', '/apis/apps/v1/namespaces/fuzz/deployments', '/apis/apps/v1/namespaces/fuzz/replicasets',
  '/apis/networking.k8s.io/v1/namespaces/fuzz/ingresses', '/apis/networking.k8s.io/v1/namespaces/fuzz/networkpolicies',
  '/apis/discovery.k8s.io/v1/namespaces/fuzz/endpointslices', '/api/v1/namespaces/fuzz/widgets', '/apis/nope.io/v1/namespaces/fuzz/things'];
const clusterScoped = ['/api/v1/namespaces', '/api/v1/nodes', '/apis/networking.k8s.io/v1/ingressclasses'];
const subresources = ['status', 'scale', 'finalize', 'log', 'binding', 'eviction', 'bogus'];

/** Valid manifests to mutate, keyed by collection suffix. */
export const manifests: Record<string, unknown> = {
  configmaps: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'fuzz-a', labels: { a: 'b' } }, data: { k: 'v' } },
  services: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'fuzz-a' }, spec: { selector: { app: 'x' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] } },
  secrets: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'fuzz-a' }, type: 'Opaque', data: { k: 'dg==' } },
  pods: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'fuzz-a' }, spec: { containers: [{ name: 'c', image: 'nginx', ports: [{ containerPort: 80 }] }] } },
  deployments: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'fuzz-a' }, spec: { replicas: 1, selector: { matchLabels: { app: 'f' } }, template: { metadata: { labels: { app: 'f' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } } },
  ingresses: { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'fuzz-a' }, spec: { rules: [{ host: 'a.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } }] } },
  networkpolicies: { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'fuzz-a' }, spec: { podSelector: {}, policyTypes: ['Ingress'] } },
  endpointslices: { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'fuzz-a' }, addressType: 'IPv4', endpoints: [{ addresses: ['10.0.0.1'] }], ports: [{ port: 80 }] },
  namespaces: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'fuzz-a' } },
};

const contentTypes = ['application/json', 'application/json', 'application/yaml', 'application/merge-patch+json',
  'application/strategic-merge-patch+json', 'application/json-patch+json', 'application/apply-patch+yaml',
  'application/vnd.kubernetes.protobuf', 'text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=utf-8', ''];
const methods = ['GET', 'POST', 'POST', 'POST', 'PUT', 'PUT', 'PUT', 'PATCH', 'PATCH', 'PATCH', 'DELETE', 'OPTIONS'];

/** A random JSON value up to a depth. */
export function randomValue(r: Rng, depth = 3): unknown {
  switch (r.int(depth > 0 ? 9 : 6)) {
    case 0: return null;
    case 1: return r.chance(0.5);
    case 2: return r.pick([0, -1, 1, 80, 65536, 2 ** 31, 2 ** 53 + 2, 1.5, -0.25, 1e300]);
    case 3: return r.pick(['', 'x', 'Bad_Name', '80', 'TCP', 'ClusterIP', '10.0.0.1', 'ü', '\u0000', 'a'.repeat(300)]);
    case 4: return r.pick(['true', '{}', '[]', 'null', '2006-01-02T15:04:05Z', 'not-a-date']);
    case 5: return r.int(1000);
    case 6: return Array.from({ length: r.int(4) }, () => randomValue(r, depth - 1));
    default: {
      const o: Record<string, unknown> = {};
      for (let i = r.int(4); i > 0; i--) o[r.pick(['metadata', 'spec', 'name', 'ports', 'port', 'data', 'kind', 'apiVersion', 'x', 'status', 'items'])] = randomValue(r, depth - 1);
      return o;
    }
  }
}

/** Replaces, removes or re-types one random leaf/branch of a copy of v. */
export function mutate(r: Rng, v: unknown): unknown {
  const copy = structuredClone(v);
  const paths: (string | number)[][] = [];
  const walk = (x: unknown, p: (string | number)[]) => {
    paths.push(p);
    if (Array.isArray(x)) x.forEach((e, i) => walk(e, [...p, i]));
    else if (x && typeof x === 'object') for (const [k, e] of Object.entries(x)) walk(e, [...p, k]);
  };
  walk(copy, []);
  const path = r.pick(paths);
  if (path.length === 0) return randomValue(r);
  const parent = path.slice(0, -1).reduce<unknown>((o, k) => (o as Record<string | number, unknown>)[k], copy) as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  switch (r.int(5)) {
    case 0: delete parent[last]; break;
    case 1: parent[last] = 'x'.repeat(r.pick([1000, 70_000, 1_100_000])); break;
    case 2: parent[last] = `__DEEP_${r.pick([50, 500, 5000, 12_000])}__`; break;
    default: parent[last] = randomValue(r);
  }
  return copy;
}

/** Deeply nested JSON text (built as text: JSON.stringify would overflow the stack). */
function deep(n: number): string {
  let open = '';
  let close = '';
  for (let i = 0; i < n; i++) { open += i % 2 ? '{"a":' : '['; close = (i % 2 ? '}' : ']') + close; }
  return `${open}{"leaf":1}${close}`;
}

/**
 * JSON text of v with every "__DEEP_n__" placeholder replaced by n levels of nesting. Replica
 * counts stay small: thousands of pods would measure the controllers, not the API's input handling.
 */
function stringify(v: unknown): string {
  const small = (k: string, x: unknown) => (k === 'replicas' && typeof x === 'number' && x > 3 ? 3 : x);
  return JSON.stringify(v, small).replace(/"__DEEP_(\d+)__"/g, (_m, n: string) => deep(Number(n)));
}

function garble(r: Rng, s: string): string {
  const chars = s.split('');
  for (let i = r.int(5) + 1; i > 0; i--) chars[r.int(chars.length)] = r.pick(['{', '}', '"', ',', ':', '\\', '\u0001', 'é', ' ']);
  return chars.join('');
}

/** The manifest for a collection path, if one is known. */
function manifestFor(path: string): unknown {
  const res = /\/([a-z]+)(?:\/[^/]*){0,2}$/.exec(path.replace(/^.*\/namespaces\/fuzz/, ''))?.[1] ?? '';
  return manifests[res] ?? manifests['configmaps'];
}

/** A random body for a path. */
export function randomBody(r: Rng, path: string): string | Buffer | undefined {
  const m = manifestFor(path);
  switch (r.int(8)) {
    case 0: return undefined;
    case 1: return JSON.stringify(randomValue(r));
    case 2: { const s = JSON.stringify(m); return s.slice(0, r.int(s.length)); }
    case 3: return garble(r, stringify(m));
    case 4: return Buffer.from(Array.from({ length: r.int(200) }, () => r.int(256)));
    case 5: return JSON.stringify([{ op: r.pick(['add', 'replace', 'remove', 'move', 'test', 'bogus']), path: r.pick(['/metadata/labels/x', '/spec', '', '/a/~2', '/data/-']), value: randomValue(r, 2), from: '/metadata' }]);
    default: return stringify(mutate(r, m));
  }
}

/** A well-formed request (right path and content type) with a mutated body, to reach validation. */
function plausibleRequest(r: Rng): FuzzRequest {
  const res = r.pick(Object.keys(manifests).filter((k) => k !== 'namespaces'));
  const base = namespaced.find((p) => p.endsWith(`/${res}`)) ?? namespaced[0]!;
  const m = manifests[res] as { metadata: Record<string, unknown> };
  const named = (name: string) => ({ ...m, metadata: { ...m.metadata, name } });
  const q = r.chance(0.3) ? `?fieldValidation=${r.pick(['Strict', 'Warn', 'Ignore'])}` : '';
  switch (r.pick(['POST', 'POST', 'PUT', 'PUT', 'PATCH', 'PATCH', 'APPLY', 'DELETE'])) {
    case 'POST': return { method: 'POST', path: base + q, contentType: 'application/json', body: stringify(mutate(r, named(r.pick(['fuzz-a', 'fuzz-b', `f${r.int(1000)}`])))) };
    case 'PUT': return { method: 'PUT', path: `${base}/ref${q}`, contentType: 'application/json', body: stringify(mutate(r, named('ref'))) };
    case 'PATCH': {
      const type = r.pick(['merge', 'strategic', 'json-patch']);
      const body = type === 'json-patch' ? randomBody(r, base) : stringify(mutate(r, r.chance(0.5) ? named('ref') : { spec: randomValue(r), metadata: { labels: randomValue(r, 1) } }));
      return { method: 'PATCH', path: `${base}/ref${q}`, contentType: `application/${type}${type === 'json-patch' ? '+json' : '-patch+json'}`, body };
    }
    case 'APPLY': return { method: 'PATCH', path: `${base}/${r.pick(['ref', 'fuzz-c'])}?fieldManager=fuzz${r.chance(0.5) ? '&force=true' : ''}`, contentType: 'application/apply-patch+yaml', body: stringify(mutate(r, named('ref'))) };
    default: return { method: 'DELETE', path: `${base}/${r.pick(['ref', 'fuzz-a', 'fuzz-b'])}` };
  }
}

/** One random request against knet's resource paths. */
export function randomRequest(r: Rng): FuzzRequest {
  if (r.chance(0.5)) return plausibleRequest(r);
  const method = r.pick(methods);
  let path: string;
  const cluster = r.chance(0.15);
  const base = cluster ? r.pick(clusterScoped) : r.pick(namespaced);
  const named = method === 'PUT' || method === 'PATCH' || (cluster && method === 'DELETE') || (method !== 'POST' && r.chance(0.4)) || r.chance(0.05);
  path = named ? `${base}/${encodeURIComponent(r.pick(names)).replace('%2F', '/')}` : base;
  if (named && r.chance(0.15)) path += `/${r.pick(subresources)}`;
  if (cluster && path.split('/').pop() === 'fuzz') path += 'x';
  const q: string[] = [];
  if (r.chance(0.3)) q.push(`fieldValidation=${r.pick(['Strict', 'Warn', 'Ignore', 'bogus'])}`);
  if (r.chance(0.1)) q.push(`dryRun=${r.pick(['All', 'x'])}`);
  if (method === 'GET' || method === 'DELETE') {
    if (r.chance(0.2)) q.push(`labelSelector=${encodeURIComponent(r.pick(['a=b', 'a in (x,y)', '!!', 'a=', '=b', 'a notin ()', 'x'.repeat(70)]))}`);
    if (r.chance(0.2)) q.push(`fieldSelector=${encodeURIComponent(r.pick(['metadata.name=x', 'spec.nodeName=n', 'bogus=1', '==', 'metadata.namespace!=fuzz']))}`);
    if (r.chance(0.15)) q.push(`limit=${r.pick(['1', '-1', 'x', '0', '99999999999'])}`);
    if (r.chance(0.1)) q.push(`continue=${r.pick(['x', 'eyJydiI6MX0', '%%%'])}`);
    if (r.chance(0.1)) q.push(`resourceVersion=${r.pick(['0', '1', 'x', '-5', '99999999'])}`);
    if (r.chance(0.1)) q.push(`timeoutSeconds=${r.pick(['1', 'x'])}`);
  }
  if (method === 'PATCH' && r.chance(0.3)) q.push(`fieldManager=${r.pick(['fuzz', '', 'x'.repeat(200)])}`, 'force=true');
  if (q.length) path += `?${q.join('&')}`;
  const body = method === 'GET' ? undefined : randomBody(r, path);
  return { method, path, contentType: body === undefined ? undefined : r.pick(contentTypes), body };
}
