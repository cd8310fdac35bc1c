/**
 * `knet explain SRC DST[:PORT][/PROTO]`: plans the flow in a model (every endpoint a Service may
 * choose) and prints the path and, per hop, the verdict with the policies and rule indexes that decided.
 */
import { isPolicyHop } from '../dataplane/policy/filter.js';
import { describeSide } from '../dataplane/policy/explain.js';
import type { PolicyHopDetail } from '../dataplane/policy/model.js';
import type { FlowPlan, Hop, Peer } from '../net/flow.js';
import type { Protocol } from '../net/types.js';
import type { Model } from './model.js';
import { parseRef, resolve, sourcePeer, type Target } from './refs.js';
import { SnapshotError } from './snapshot.js';

/** What explain prints and whether every path was allowed (exit 0) or not (exit 1). */
export interface Explanation { readonly text: string; readonly allowed: boolean }

function portOf(dst: Target, given: number | undefined, proto: Protocol | undefined): { port: number; protocol: Protocol } {
  if (dst.service) {
    const ports = dst.service.spec?.ports ?? [];
    // Without a protocol, TCP is meant when the port exists for several (kube-dns's 53), as for a pod.
    const same = given === undefined ? [] : ports.filter((p) => p.port === given && (!proto || (p.protocol ?? 'TCP') === proto));
    const match = given === undefined ? (ports.length === 1 ? ports[0] : undefined) : same.find((p) => (p.protocol ?? 'TCP') === 'TCP') ?? same[0];
    if (!match) {
      const list = ports.map((p) => `${p.port}/${p.protocol ?? 'TCP'}`).join(', ') || 'none';
      throw new SnapshotError(`${dst.label} has no port ${given === undefined ? '(it has several: name one)' : `${given}${proto ? '/' + proto : ''}`}; its ports: ${list}`);
    }
    return { port: match.port, protocol: (match.protocol ?? 'TCP') as Protocol };
  }
  if (given !== undefined) return { port: given, protocol: proto ?? 'TCP' };
  const cp = dst.pods[0]?.spec?.containers.flatMap((c) => c.ports ?? []).find((p) => !proto || (p.protocol ?? 'TCP') === proto);
  if (!cp) throw new SnapshotError(`give a port: ${dst.label} declares no container port (DST:PORT)`);
  return { port: cp.containerPort, protocol: (cp.protocol ?? 'TCP') as Protocol };
}

function where(plan: FlowPlan): string {
  const to = plan.to;
  const addr = `${plan.dst.ip}:${plan.dst.port}`;
  if (!to) return addr;
  if (to.kind === 'pod') return `${addr} (pod ${to.namespace}/${to.name}${to.node ? ` on node ${to.node}` : ''})`;
  if (to.kind === 'node') return `${addr} (node ${to.name})`;
  return `${addr} (${to.kind})`;
}

function policyLines(d: PolicyHopDetail): string[] {
  return [d.egress, d.ingress].flatMap((s) => (s ? [`  network-policy: ${describeSide(s, d)}`] : []));
}

function hopLines(h: Hop): string[] {
  return isPolicyHop(h) && h.detail ? policyLines(h.detail) : [`  ${h.by}: ${h.summary}`];
}

/** The source as named, and for a workload or Service the pod whose identity the flow carries. */
function fromLine(from: Target, peer: Peer): string {
  if (!from.pods.length) return from.label;
  const where = `${peer.ip}${peer.node ? ` on node ${peer.node}` : ''}`;
  if (from.label.startsWith('pod ')) return `${from.label} (${where})`;
  return `${from.label}: pod ${peer.namespace}/${peer.name} (${where})`;
}

const VERDICT = { deliver: 'allowed', drop: 'dropped', reject: 'rejected' } as const;

/** Explains a flow from `src` to `dst` (references as `knet explain` takes them) in a model. */
export function explain(model: Model, src: string, dst: string, namespace = 'default'): Explanation {
  const s = parseRef(src);
  if (s.port !== undefined || s.protocol) throw new SnapshotError(`the source "${src}" takes no port or protocol (they belong to the destination)`);
  const d = parseRef(dst);
  const from = resolve(s.ref, model, namespace);
  const to = resolve(d.ref, model, namespace);
  const { port, protocol } = portOf(to, d.port, d.protocol);
  const peer = sourcePeer(from, model);
  const plans = model.planEvery(peer, { ip: to.ip, port }, protocol);
  const lines = [
    `from: ${fromLine(from, peer)}`,
    `to:   ${to.dnsName ? `${to.dnsName} -> ` : ''}${to.label} ${to.ip}:${port}/${protocol}`,
  ];
  let allowed = 0;
  for (const p of plans) {
    lines.push('', `${p.to ? `-> ${where(p)}` : `-> ${p.dst.ip}:${p.dst.port}`}: ${VERDICT[p.verdict]}`);
    for (const h of p.trace) lines.push(...hopLines(h));
    // The filter says nothing on the data path about flows it lets through: ask the engine here.
    if (p.verdict === 'deliver' && p.to) lines.push(...policyLines(model.engine.judge(p.from, p.to, p.dst.port, protocol)));
    if (p.verdict === 'deliver') allowed++;
  }
  const all = allowed === plans.length;
  lines.push('', `verdict: ${all ? 'allowed' : allowed ? 'partly allowed' : VERDICT[plans[0]!.verdict]}${plans.length > 1 ? ` (${allowed} of ${plans.length} endpoints allowed)` : ''}`);
  return { text: lines.join('\n') + '\n', allowed: all };
}
