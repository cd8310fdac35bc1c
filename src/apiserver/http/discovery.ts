/** Discovery documents: aggregated (apidiscovery.k8s.io v2 / v2beta1) and legacy, plus /version. */
import type { Registry } from '../../api/registry.js';
import { apiVersionOf, type ResourceDef } from '../../api/resource.js';

const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

/** The Kubernetes version knet reports (kubectl on this machine dispatches on `minor`). */
export const KUBE_VERSION = { major: '1', minor: '32', gitVersion: 'v1.32.5-knet', gitCommit: '0000000000000000000000000000000000000000', buildDate: '2025-05-15T00:00:00Z' };

/** The /version body. */
export function versionInfo(): Record<string, string> {
  return {
    ...KUBE_VERSION, gitTreeState: 'clean', goVersion: 'go1.23.8', compiler: 'gc',
    platform: `linux/${process.arch === 'x64' ? 'amd64' : process.arch}`,
  };
}

interface Sub { name: string; kind: { group: string; version: string; kind: string }; verbs: string[] }

function subresources(def: ResourceDef): Sub[] {
  const self = { group: def.group, version: def.version, kind: def.kind };
  const out: Sub[] = [];
  if (def.statusSubresource) out.push({ name: 'status', kind: self, verbs: ['get', 'patch', 'update'] });
  if (def.scale) out.push({ name: 'scale', kind: { group: 'autoscaling', version: 'v1', kind: 'Scale' }, verbs: ['get', 'patch', 'update'] });
  for (const s of def.otherSubresources ?? []) {
    const verbs = s === 'log' ? ['get'] : s === 'binding' || s === 'eviction' || s === 'token' ? ['create'] : s === 'proxy' ? ['create', 'delete', 'get', 'patch', 'update'] : ['create', 'get'];
    const kind = s === 'proxy' ? { group: '', version: 'v1', kind: `${def.kind}ProxyOptions` } : s === 'token' ? { group: 'authentication.k8s.io', version: 'v1', kind: 'TokenRequest' } : s === 'binding' ? { group: '', version: 'v1', kind: 'Binding' } : s === 'eviction' ? { group: 'policy', version: 'v1', kind: 'Eviction' }
      : s === 'log' ? { group: '', version: 'v1', kind: 'Pod' } : { group: '', version: 'v1', kind: s === 'portforward' ? 'PodPortForwardOptions' : s === 'exec' ? 'PodExecOptions' : 'PodAttachOptions' };
    out.push({ name: s, kind, verbs });
  }
  if (def.kind === 'Namespace') out.push({ name: 'finalize', kind: self, verbs: ['update'] });
  return out;
}

/** The aggregated discovery list for /api (core) or /apis (groups). */
export function aggregatedDiscovery(registry: Registry, core: boolean, v2: boolean): unknown {
  const items = registry.groups().filter((g) => (g.group === '') === core).map((g) => ({
    metadata: { ...(g.group ? { name: g.group } : {}), creationTimestamp: null },
    versions: g.versions.map((v) => ({
      version: v, freshness: 'Current',
      resources: registry.inGroupVersion(g.group, v).map((d) => ({
        resource: d.plural, responseKind: { group: d.group, version: d.version, kind: d.kind },
        scope: d.namespaced ? 'Namespaced' : 'Cluster', singularResource: d.singular, verbs: d.verbs ?? ALL_VERBS,
        ...(d.shortNames.length ? { shortNames: d.shortNames } : {}), ...(d.categories.length ? { categories: d.categories } : {}),
        ...(subresources(d).length ? { subresources: subresources(d).map((s) => ({ subresource: s.name, responseKind: s.kind, verbs: s.verbs })) } : {}),
      })),
    })),
  }));
  return { kind: 'APIGroupDiscoveryList', apiVersion: `apidiscovery.k8s.io/${v2 ? 'v2' : 'v2beta1'}`, metadata: {}, items };
}

/** Legacy /api: APIVersions. */
export function apiVersions(serverAddress: string): unknown {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
}

function apiGroup(g: { group: string; versions: string[] }) {
  const versions = g.versions.map((v) => ({ groupVersion: `${g.group}/${v}`, version: v }));
  return { name: g.group, versions, preferredVersion: versions[0] };
}

/** Legacy /apis: APIGroupList. */
export function apiGroupList(registry: Registry): unknown {
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: registry.groups().filter((g) => g.group !== '').map(apiGroup) };
}

/** Legacy /apis/<group>: APIGroup, or undefined. */
export function apiGroupDoc(registry: Registry, group: string): unknown {
  const g = registry.groups().find((x) => x.group === group && group !== '');
  return g ? { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(g) } : undefined;
}

/** Legacy /api/v1 or /apis/<g>/<v>: APIResourceList, or undefined for unknown versions. */
export function apiResourceList(registry: Registry, group: string, version: string): unknown {
  const defs = registry.inGroupVersion(group, version);
  if (defs.length === 0) return undefined;
  const resources: unknown[] = [];
  for (const d of defs) {
    resources.push({
      name: d.plural, singularName: d.singular, namespaced: d.namespaced, kind: d.kind, verbs: d.verbs ?? ALL_VERBS,
      ...(d.shortNames.length ? { shortNames: d.shortNames } : {}), ...(d.categories.length ? { categories: d.categories } : {}),
    });
    for (const s of subresources(d)) {
      resources.push({ name: `${d.plural}/${s.name}`, singularName: '', namespaced: d.namespaced, ...(s.kind.group !== d.group || s.kind.version !== d.version ? { group: s.kind.group, version: s.kind.version } : {}), kind: s.kind.kind, verbs: s.verbs });
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: apiVersionOf({ group, version }), resources };
}
