/** Test helpers: Ingress objects and tables compiled from them without a cluster (for the unit tests). */
import type { Ingress } from '../../api/kinds/ingress.js';
import { parseAnnotations } from './annotations/index.js';
import { compareIngresses } from './class.js';
import { compileTable, type ParsedIngress } from './compile.js';
import { controllerConfig } from './configmap.js';
import { route } from './match.js';
import type { Certificate, RouteTable } from './model.js';
import { regexMatch } from './paths.js';

type Spec = NonNullable<Ingress['spec']>;
type PathType = 'Exact' | 'Prefix' | 'ImplementationSpecific';

/** An Ingress named `name` in `default`, created `created` seconds after the epoch. */
export function ingress(name: string, spec: Spec, o: { annotations?: Record<string, string>; created?: number; namespace?: string } = {}): Ingress {
  return {
    apiVersion: 'networking.k8s.io/v1', kind: 'Ingress',
    metadata: { name, namespace: o.namespace ?? 'default', creationTimestamp: new Date((o.created ?? 0) * 1000).toISOString(), resourceVersion: '1', ...(o.annotations ? { annotations: o.annotations } : {}) },
    spec,
  };
}

/** A rule for `host` with `[path, pathType, service]` paths (port 80). */
export function rule(host: string | undefined, ...paths: [string, PathType, string][]): NonNullable<Spec['rules']>[number] {
  return { ...(host ? { host } : {}), http: { paths: paths.map(([path, pathType, name]) => ({ path, pathType, backend: { service: { name, port: { number: 80 } } } })) } };
}

/** Compiles Ingresses as served (every Service has one endpoint), with `certificates` by host. */
export function tableOf(ings: Ingress[], certificates = new Map<string, Certificate>()): RouteTable {
  const config = controllerConfig(undefined);
  const parsed: ParsedIngress[] = [...ings].sort(compareIngresses).map((ing) => ({
    ingress: ing,
    ref: { namespace: ing.metadata.namespace ?? '', name: ing.metadata.name ?? '' },
    anns: parseAnnotations(ing.metadata.annotations ?? {}, { ingress: ing.metadata.name ?? '', namespace: 'default', config, secret: () => undefined, warn: () => undefined, log: () => undefined }),
  }));
  return compileTable({
    ingresses: parsed, certificates, generation: 1, global: config.global,
    upstream: (r) => ({ name: `${r.namespace}-${r.service}-${r.port}`, namespace: r.namespace, service: r.service, port: r.port, endpoints: [{ ip: '10.0.0.1', port: 8080 }] }),
    firstPort: () => 80,
    defaultCertificate: { source: 'default-fake-certificate', context: undefined as never },
    regex: regexMatch,
    log: () => undefined,
  });
}

/** What a request gets, in short: the Service name, `404`, or `301 <path>`. */
export function hit(t: RouteTable, host: string, uri: string): string {
  const r = route(t, host, uri);
  if (r.kind === 'slash-redirect') return `301 ${r.to}`;
  if (r.kind === 'default' || !r.location.upstream) return '404';
  return r.location.upstream.service;
}
