/**
 * A container's environment as the kubelet builds it: service links (docker-link style variables
 * for Services existing at start), env/envFrom with ConfigMap/Secret/downward-API sources, and
 * `$(VAR)` expansion in values, command and args.
 */
import type { KObject } from '../../api/meta.js';
import type { Client } from '../../client/client.js';

/** The kubelet's CreateContainerConfigError. */
export class ContainerConfigError extends Error {}

interface EnvVar { name: string; value?: string; valueFrom?: Record<string, Record<string, unknown> | undefined> }
interface EnvFrom { prefix?: string; configMapRef?: { name: string; optional?: boolean }; secretRef?: { name: string; optional?: boolean } }
interface ServicePort { name?: string; port: number; protocol?: string }
interface ServiceSpec { clusterIP?: string; type?: string; ports?: ServicePort[] }

function linkVars(svc: KObject): Record<string, string> {
  const spec = (svc.spec ?? {}) as ServiceSpec;
  const ip = spec.clusterIP;
  if (!ip || ip === 'None' || spec.type === 'ExternalName') return {};
  const prefix = svc.metadata.name!.toUpperCase().replace(/-/g, '_');
  const out: Record<string, string> = {};
  const ports = spec.ports ?? [];
  out[`${prefix}_SERVICE_HOST`] = ip;
  if (ports[0]) out[`${prefix}_SERVICE_PORT`] = String(ports[0].port);
  for (const p of ports) if (p.name) out[`${prefix}_SERVICE_PORT_${p.name.toUpperCase().replace(/-/g, '_')}`] = String(p.port);
  if (ports[0]) out[`${prefix}_PORT`] = `${(ports[0].protocol ?? 'TCP').toLowerCase()}://${ip}:${ports[0].port}`;
  for (const p of ports) {
    const proto = (p.protocol ?? 'TCP');
    const base = `${prefix}_PORT_${p.port}_${proto.toUpperCase()}`;
    out[base] = `${proto.toLowerCase()}://${ip}:${p.port}`;
    out[`${base}_PROTO`] = proto.toLowerCase();
    out[`${base}_PORT`] = String(p.port);
    out[`${base}_ADDR`] = ip;
  }
  return out;
}

/** Service link variables for a pod: its namespace's Services (when enabled) plus the `kubernetes` Service. */
export function serviceLinks(client: Client, namespace: string, enable: boolean): Record<string, string> {
  const out: Record<string, string> = {};
  const master = client.peek({ resource: 'services' }, 'default', 'kubernetes');
  if (enable) {
    for (const s of client.list({ resource: 'services' }, namespace)) {
      if (namespace === 'default' && s.metadata.name === 'kubernetes') continue;
      Object.assign(out, linkVars(s));
    }
  }
  if (master) Object.assign(out, linkVars(master));
  return out;
}

/** Kubernetes' `$(VAR)` expansion: `$$` escapes, unknown references stay as written. */
export function expand(s: string, vars: Record<string, string>): string {
  return s.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (m, name: string | undefined) => {
    if (m === '$$') return '$';
    return name !== undefined && name in vars ? vars[name]! : m;
  });
}

function fieldRef(pod: KObject, path: string, hostIP: string): string {
  const status = (pod.status ?? {}) as { podIP?: string; podIPs?: { ip: string }[] };
  const spec = (pod.spec ?? {}) as { nodeName?: string; serviceAccountName?: string };
  const m = /^metadata\.(labels|annotations)\['(.*)'\]$/.exec(path);
  if (m) return (pod.metadata[m[1] as 'labels' | 'annotations'] ?? {})[m[2]!] ?? '';
  switch (path) {
    case 'metadata.name': return pod.metadata.name ?? '';
    case 'metadata.namespace': return pod.metadata.namespace ?? '';
    case 'metadata.uid': return pod.metadata.uid ?? '';
    case 'spec.nodeName': return spec.nodeName ?? '';
    case 'spec.serviceAccountName': return spec.serviceAccountName ?? '';
    case 'status.hostIP': case 'status.hostIPs': return hostIP;
    case 'status.podIP': return status.podIP ?? '';
    case 'status.podIPs': return (status.podIPs ?? []).map((p) => p.ip).join(',');
    default: return '';
  }
}

function resourceField(resource: string): string {
  if (resource.startsWith('limits.cpu')) return '2';
  if (resource.startsWith('limits.memory')) return String(8 * 1024 ** 3);
  if (resource.startsWith('limits.ephemeral-storage')) return String(100 * 1024 ** 3);
  return '0';
}

function keyOf(client: Client, kind: 'configmaps' | 'secrets', ns: string, ref: Record<string, unknown>): string | undefined {
  const obj = client.get({ resource: kind }, ns, String(ref['name']));
  const optional = ref['optional'] === true;
  const what = kind === 'configmaps' ? 'configmap' : 'secret';
  if (!obj) { if (optional) return undefined; throw new ContainerConfigError(`${what} "${String(ref['name'])}" not found`); }
  const data = (obj['data'] ?? {}) as Record<string, string>;
  const key = String(ref['key']);
  if (!(key in data)) { if (optional) return undefined; throw new ContainerConfigError(`couldn't find key ${key} in ${kind === 'configmaps' ? 'ConfigMap' : 'Secret'} ${ns}/${String(ref['name'])}`); }
  return kind === 'secrets' ? Buffer.from(data[key]!, 'base64').toString('utf8') : data[key];
}

/** Builds the environment of one container (base: image env plus PATH/HOSTNAME). */
export function containerEnv(client: Client, pod: KObject, container: { env?: EnvVar[]; envFrom?: EnvFrom[] }, base: Record<string, string>, hostIP: string): Record<string, string> {
  const ns = pod.metadata.namespace ?? 'default';
  const spec = (pod.spec ?? {}) as { enableServiceLinks?: boolean };
  const env: Record<string, string> = { ...base, ...serviceLinks(client, ns, spec.enableServiceLinks !== false) };
  for (const ef of container.envFrom ?? []) {
    const ref = ef.configMapRef ?? ef.secretRef;
    if (!ref) continue;
    const kind = ef.configMapRef ? 'configmaps' : 'secrets';
    const obj = client.get({ resource: kind }, ns, ref.name);
    if (!obj) {
      if (ref.optional) continue;
      throw new ContainerConfigError(`${kind === 'configmaps' ? 'configmap' : 'secret'} "${ref.name}" not found`);
    }
    for (const [k, v] of Object.entries((obj['data'] ?? {}) as Record<string, string>)) {
      env[(ef.prefix ?? '') + k] = kind === 'secrets' ? Buffer.from(v, 'base64').toString('utf8') : v;
    }
  }
  for (const e of container.env ?? []) {
    if (e.valueFrom) {
      const vf = e.valueFrom;
      let v: string | undefined;
      if (vf['fieldRef']) v = fieldRef(pod, String(vf['fieldRef']['fieldPath']), hostIP);
      else if (vf['resourceFieldRef']) v = resourceField(String(vf['resourceFieldRef']['resource']));
      else if (vf['configMapKeyRef']) v = keyOf(client, 'configmaps', ns, vf['configMapKeyRef']);
      else if (vf['secretKeyRef']) v = keyOf(client, 'secrets', ns, vf['secretKeyRef']);
      if (v !== undefined) env[e.name] = v;
    } else {
      env[e.name] = expand(e.value ?? '', env);
    }
  }
  return env;
}
