/**
 * What `knet explain` and `knet connectivity` accept as a source or destination: `ns/pod`, `pod`,
 * `deploy/name` (and other workload kinds), `svc/name`, a DNS name of a Service or pod, or an IP,
 * each with an optional `:PORT` and `/PROTO`.
 */
import type { Pod } from '../api/kinds/pod.js';
import type { Service } from '../api/kinds/service-schema.js';
import type { Peer } from '../net/flow.js';
import type { Protocol } from '../net/types.js';
import { selectorMatches } from '../controllers/endpointslice/podutil.js';
import type { Model } from './model.js';
import { SnapshotError } from './snapshot.js';

/** A resolved reference: the pods it names (sources use the first), or a Service, or a bare address. */
export interface Target {
  /** How to name it in output (`pod x/a`, `Service y/web`, `192.0.2.7`). */
  readonly label: string;
  readonly pods: readonly Pod[];
  readonly service?: Service;
  /** The address to dial (a Service's ClusterIP, a pod's IP, or the address given). */
  readonly ip: string;
  /** A DNS name the reference was written as, for the path line. */
  readonly dnsName?: string;
}

/** A parsed `REF[:PORT][/PROTO]`. */
export interface Parsed { readonly ref: string; readonly port?: number; readonly protocol?: Protocol }

const WORKLOADS: Record<string, string> = {
  deploy: 'deployment', deployment: 'deployment', deployments: 'deployment', rs: 'replicaset', replicaset: 'replicaset',
  sts: 'statefulset', statefulset: 'statefulset', ds: 'daemonset', daemonset: 'daemonset', job: 'job', cronjob: 'cronjob', cj: 'cronjob',
};

/** Splits `REF[:PORT][/PROTO]`; throws SnapshotError on a bad port or protocol. */
export function parseRef(s: string): Parsed {
  let ref = s;
  let protocol: Protocol | undefined;
  const slash = ref.lastIndexOf('/');
  const tail = ref.slice(slash + 1).toUpperCase();
  const head = ref.slice(0, Math.max(slash, 0));
  // A protocol follows a port (`web:80/udp`) or a reference that has its own slash (`x/a/udp`); `svc/udp` names a Service.
  if (slash >= 0 && (tail === 'TCP' || tail === 'UDP' || tail === 'SCTP') && (/:\d+$/.test(head) || head.includes('/'))) { protocol = tail; ref = head; }
  let port: number | undefined;
  const m = /^(.*[^:]):(\d+)$/.exec(ref);
  if (m && !m[1]!.includes(':')) {
    port = Number(m[2]);
    if (port < 1 || port > 65535) throw new SnapshotError(`port ${m[2]} in "${s}" must be from 1 to 65535`);
    ref = m[1]!;
  } else if (/:[^:]*$/.test(ref) && !ref.includes('::') && ref.split(':').length === 2) {
    throw new SnapshotError(`"${s}": the port must be a number (REF:PORT[/tcp|udp|sctp])`);
  }
  return { ref, port, protocol };
}

function ownedBy(p: Pod, kind: string, name: string, model: Model): boolean {
  const ns = p.metadata.namespace ?? 'default';
  if (model.snapshot.workloads.get(`${ns}/${p.metadata.name ?? ''}`) === `${kind}/${name}`) return true;
  return (p.metadata.ownerReferences ?? []).some((o) => {
    const k = o.kind.toLowerCase();
    if (k === kind && o.name === name) return true;
    const hash = p.metadata.labels?.['pod-template-hash'];
    return kind === 'deployment' && k === 'replicaset' && hash !== undefined && o.name === `${name}-${hash}`;
  });
}

function serviceTarget(svc: Service, model: Model, dnsName?: string): Target {
  const ns = svc.metadata.namespace ?? 'default';
  const sel = svc.spec?.selector;
  const pods = sel && Object.keys(sel).length ? [...model.pods.values()].filter((p) => p.metadata.namespace === ns && selectorMatches(sel, p.metadata.labels)) : [];
  const ip = svc.spec?.clusterIP && svc.spec.clusterIP !== 'None' ? svc.spec.clusterIP : pods[0]?.status?.podIP ?? '';
  return { label: `Service ${ns}/${svc.metadata.name ?? ''}`, pods, service: svc, ip, dnsName };
}

function podTarget(p: Pod, label?: string): Target {
  return { label: label ?? `pod ${p.metadata.namespace ?? 'default'}/${p.metadata.name ?? ''}`, pods: [p], ip: p.status?.podIP ?? '' };
}

/** Resolves a reference in a model; `namespace` is the default for names without one. */
export function resolve(ref: string, model: Model, namespace = 'default', domain = 'cluster.local'): Target {
  const pods = [...model.pods.values()];
  const services = model.snapshot.services;
  const k = ref.indexOf('/');
  if (k > 0) {
    const kind = ref.slice(0, k).toLowerCase(), name = ref.slice(k + 1);
    if (kind === 'svc' || kind === 'service' || kind === 'services') {
      const svc = services.find((s) => s.metadata.name === name && (s.metadata.namespace ?? 'default') === namespace);
      if (!svc) throw new SnapshotError(`service "${name}" not found in namespace "${namespace}"`);
      return serviceTarget(svc, model);
    }
    const wk = WORKLOADS[kind];
    if (wk) {
      const owned = pods.filter((p) => (p.metadata.namespace ?? 'default') === namespace && ownedBy(p, wk, name, model));
      if (!owned.length) throw new SnapshotError(`${wk} "${name}" in namespace "${namespace}" has no running pods with an address`);
      return { label: `${wk}/${name} in ${namespace} (${owned.length} pod${owned.length === 1 ? '' : 's'})`, pods: owned, ip: owned[0]!.status?.podIP ?? '' };
    }
    const pod = model.pods.get(`${ref.slice(0, k)}/${name}`);
    if (!pod) throw new SnapshotError(`pod "${name}" not found in namespace "${ref.slice(0, k)}" (or unknown kind "${ref.slice(0, k)}"; use pod, ns/pod, deploy/NAME, svc/NAME, a DNS name or an IP)`);
    return podTarget(pod);
  }
  if (/^[\d.]+$/.test(ref) || ref.includes(':')) {
    const pod = pods.find((p) => p.status?.podIP === ref || p.status?.podIPs?.some((i) => i.ip === ref));
    if (pod) return podTarget(pod);
    const svc = services.find((s) => s.spec?.clusterIP === ref || s.spec?.clusterIPs?.includes(ref));
    if (svc) return serviceTarget(svc, model);
    return { label: ref, pods: [], ip: ref };
  }
  if (ref.includes('.')) {
    const name = ref.replace(/\.$/, '');
    const labels = name.endsWith(`.${domain}`) ? name.slice(0, -domain.length - 1).split('.') : name.split('.');
    if (labels.length === 4 && labels[2] === 'pod' || labels.length === 3 && labels[2] === 'pod') {
      const ip = labels[0]!.replace(/-/g, '.');
      const pod = pods.find((p) => p.status?.podIP === ip && p.metadata.namespace === labels[1]);
      if (pod) return { ...podTarget(pod), dnsName: ref };
    }
    if ((labels.length === 3 && labels[2] === 'svc') || labels.length === 2) {
      const svc = services.find((s) => s.metadata.name === labels[0] && s.metadata.namespace === labels[1]);
      if (svc) return serviceTarget(svc, model, ref);
    }
    throw new SnapshotError(`cannot resolve "${ref}": not a Service (NAME.NAMESPACE[.svc.${domain}]) or pod (A-B-C-D.NAMESPACE.pod.${domain}) name in this cluster`);
  }
  const pod = model.pods.get(`${namespace}/${ref}`);
  if (pod) return podTarget(pod);
  const svc = services.find((s) => s.metadata.name === ref && (s.metadata.namespace ?? 'default') === namespace);
  if (svc) return serviceTarget(svc, model, ref);
  throw new SnapshotError(`"${ref}" is neither a pod nor a Service in namespace "${namespace}" (use pod, ns/pod, deploy/NAME, svc/NAME, a DNS name or an IP)`);
}

/** The flow identity of a target used as a source: its first pod, else a node owning the address, else the address as an outside client. */
export function sourcePeer(t: Target, model: Model): Peer {
  const p = t.pods[0];
  if (p) return model.peerOf(p);
  const node = model.snapshot.nodes.find((n) => n.status?.addresses?.some((a) => a.address === t.ip));
  return node ? { kind: 'node', ip: t.ip, name: node.metadata.name, node: node.metadata.name } : { kind: 'outside', ip: t.ip };
}
