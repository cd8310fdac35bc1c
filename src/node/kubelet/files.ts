/** Files the kubelet writes into a pod: /etc/hosts, /etc/resolv.conf, /etc/hostname and mounted volumes. */
import { readFileSync } from 'node:fs';
import type { KObject } from '../../api/meta.js';
import type { Client } from '../../client/client.js';

/** Cluster DNS settings the kubelet hands to pods. */
export interface DnsSettings { clusterDNS: string; clusterDomain: string }

interface PodSpecLite {
  hostname?: string; subdomain?: string; dnsPolicy?: string; hostNetwork?: boolean;
  dnsConfig?: { nameservers?: string[]; searches?: string[]; options?: { name: string; value?: string }[] };
  hostAliases?: { ip: string; hostnames?: string[] }[];
  volumes?: Record<string, unknown>[];
}

/** The pod's hostname: spec.hostname or the name (at most 63 characters). */
export function podHostname(pod: KObject): string {
  const spec = (pod.spec ?? {}) as PodSpecLite;
  return (spec.hostname || pod.metadata.name || '').slice(0, 63);
}

/** The kubelet-managed /etc/hosts. */
export function hostsFile(pod: KObject, ip: string, dns: DnsSettings): string {
  const spec = (pod.spec ?? {}) as PodSpecLite;
  const host = podHostname(pod);
  let s = '# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n';
  if (spec.subdomain) s += `${ip}\t${host}.${spec.subdomain}.${pod.metadata.namespace}.svc.${dns.clusterDomain}\t${host}\n`;
  else s += `${ip}\t${host}\n`;
  if (spec.hostAliases?.length) {
    s += '\n# Entries added by HostAliases.\n';
    for (const a of spec.hostAliases) s += `${a.ip}\t${(a.hostnames ?? []).join('\t')}\n`;
  }
  return s;
}

function hostResolvConf(): { nameservers: string[]; searches: string[]; options: string[] } {
  let text = '';
  try { text = readFileSync('/etc/resolv.conf', 'utf8'); } catch { /* none */ }
  const out = { nameservers: [] as string[], searches: [] as string[], options: [] as string[] };
  for (const line of text.split('\n')) {
    const [k, ...rest] = line.trim().split(/\s+/);
    if (k === 'nameserver' && rest[0]) out.nameservers.push(rest[0]);
    else if (k === 'search' || k === 'domain') out.searches = rest;
    else if (k === 'options') out.options.push(...rest);
  }
  return out;
}

/** /etc/resolv.conf per dnsPolicy and dnsConfig (ClusterFirst: the cluster DNS, the search path, ndots:5). */
export function resolvConf(pod: KObject, dns: DnsSettings): string {
  const spec = (pod.spec ?? {}) as PodSpecLite;
  const ns = pod.metadata.namespace ?? 'default';
  let policy = spec.dnsPolicy ?? 'ClusterFirst';
  if (policy === 'ClusterFirst' && spec.hostNetwork) policy = 'Default';
  let nameservers: string[] = [];
  let searches: string[] = [];
  let options: string[] = [];
  if (policy === 'ClusterFirst' || policy === 'ClusterFirstWithHostNet') {
    nameservers = [dns.clusterDNS];
    searches = [`${ns}.svc.${dns.clusterDomain}`, `svc.${dns.clusterDomain}`, dns.clusterDomain];
    options = ['ndots:5'];
  } else if (policy === 'Default') {
    ({ nameservers, searches, options } = hostResolvConf());
  }
  const cfg = spec.dnsConfig;
  if (cfg) {
    nameservers = [...nameservers, ...(cfg.nameservers ?? [])].filter((v, i, a) => a.indexOf(v) === i).slice(0, 3);
    searches = [...searches, ...(cfg.searches ?? [])].filter((v, i, a) => a.indexOf(v) === i);
    for (const o of cfg.options ?? []) {
      options = options.filter((x) => x.split(':')[0] !== o.name);
      options.push(o.value !== undefined ? `${o.name}:${o.value}` : o.name);
    }
  }
  let s = '';
  if (searches.length) s += `search ${searches.join(' ')}\n`;
  for (const n of nameservers) s += `nameserver ${n}\n`;
  if (options.length) s += `options ${options.join(' ')}\n`;
  return s;
}

type Files = Record<string, Buffer>;

function itemsOf(data: Record<string, Buffer>, items: { key: string; path: string }[] | undefined): Files {
  const out: Files = {};
  if (items?.length) { for (const it of items) if (data[it.key]) out[it.path] = data[it.key]!; }
  else Object.assign(out, data);
  return out;
}

function dataOf(client: Client, kind: 'configmaps' | 'secrets', ns: string, name: string): Record<string, Buffer> | undefined {
  const o = client.peek({ resource: kind }, ns, name);
  if (!o) return undefined;
  const out: Record<string, Buffer> = {};
  for (const [k, v] of Object.entries((o['data'] ?? {}) as Record<string, string>)) out[k] = kind === 'secrets' ? Buffer.from(v, 'base64') : Buffer.from(v);
  for (const [k, v] of Object.entries((o['binaryData'] ?? {}) as Record<string, string>)) out[k] = Buffer.from(v, 'base64');
  return out;
}

/**
 * Why a Secret, ConfigMap or projected volume of the pod cannot be set up yet (a required object is
 * missing, a service account token cannot be minted), worded as the kubelet's FailedMount event;
 * undefined when all can. Like upstream, the pod then waits in ContainerCreating rather than running
 * without its `kube-api-access` files.
 */
export function unmountableVolume(client: Client, pod: KObject, token?: ServiceAccountTokenSource): string | undefined {
  for (const vol of ((pod.spec as { volumes?: Record<string, unknown>[] } | undefined)?.volumes ?? [])) {
    if (!vol['secret'] && !vol['configMap'] && !vol['projected']) continue;
    const r = volumeFiles(client, pod, vol, token);
    if (typeof r === 'string') return `MountVolume.SetUp failed for volume "${String(vol['name'])}" : ${r}`;
  }
  return undefined;
}

/** Mints the token of a `serviceAccountToken` projection for a pod (its audience and lifetime). */
export type ServiceAccountTokenSource = (pod: KObject, src: { audience?: string; expirationSeconds?: number }) => string;

/** The files of one volume (relative paths), or an error message when a required source is missing. */
export function volumeFiles(client: Client, pod: KObject, vol: Record<string, unknown>, token?: ServiceAccountTokenSource): Files | string {
  const ns = pod.metadata.namespace ?? 'default';
  const cm = vol['configMap'] as { name: string; items?: { key: string; path: string }[]; optional?: boolean } | undefined;
  if (cm) {
    const d = dataOf(client, 'configmaps', ns, cm.name);
    return d ? itemsOf(d, cm.items) : cm.optional ? {} : `configmap "${cm.name}" not found`;
  }
  const sec = vol['secret'] as { secretName: string; items?: { key: string; path: string }[]; optional?: boolean } | undefined;
  if (sec) {
    const d = dataOf(client, 'secrets', ns, sec.secretName);
    return d ? itemsOf(d, sec.items) : sec.optional ? {} : `secret "${sec.secretName}" not found`;
  }
  const projected = vol['projected'] as { sources?: Record<string, Record<string, unknown>>[] } | undefined;
  if (projected) {
    const out: Files = {};
    for (const src of projected.sources ?? []) {
      const sat = src['serviceAccountToken'] as { path?: string; audience?: string; expirationSeconds?: number } | undefined;
      if (sat && token) {
        try { out[sat.path ?? 'token'] = Buffer.from(token(pod, sat)); } catch (e) { return `failed to fetch token: ${(e as Error).message}`; }
      }
      for (const kind of ['configMap', 'secret'] as const) {
        const ref = src[kind];
        if (!ref) continue;
        const d = dataOf(client, kind === 'secret' ? 'secrets' : 'configmaps', ns, String(ref['name']));
        if (d) Object.assign(out, itemsOf(d, ref['items'] as { key: string; path: string }[] | undefined));
        else if (!ref['optional']) return `${kind.toLowerCase()} "${String(ref['name'])}" not found`;
      }
      if (src['downwardAPI']) {
        for (const it of (src['downwardAPI']['items'] ?? []) as { path: string; fieldRef?: { fieldPath: string } }[]) {
          if (it.fieldRef?.fieldPath === 'metadata.namespace') out[it.path] = Buffer.from(ns);
          else if (it.fieldRef?.fieldPath === 'metadata.name') out[it.path] = Buffer.from(pod.metadata.name ?? '');
        }
      }
    }
    return out;
  }
  const dapi = vol['downwardAPI'] as { items?: { path: string; fieldRef?: { fieldPath: string } }[] } | undefined;
  if (dapi) {
    const out: Files = {};
    for (const it of dapi.items ?? []) {
      const fp = it.fieldRef?.fieldPath ?? '';
      if (fp === 'metadata.labels' || fp === 'metadata.annotations') {
        const m = pod.metadata[fp === 'metadata.labels' ? 'labels' : 'annotations'] ?? {};
        out[it.path] = Buffer.from(Object.keys(m).sort().map((k) => `${k}="${m[k]}"`).join('\n'));
      } else if (fp === 'metadata.name') out[it.path] = Buffer.from(pod.metadata.name ?? '');
      else if (fp === 'metadata.namespace') out[it.path] = Buffer.from(ns);
      else if (fp === 'metadata.uid') out[it.path] = Buffer.from(pod.metadata.uid ?? '');
    }
    return out;
  }
  return {};
}
