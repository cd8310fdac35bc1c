/**
 * Endpoint selection rules (kube-proxy's CategorizeEndpoints): ready endpoints first, serving
 * terminating ones only when none is ready; Local traffic policies keep to the node; traffic
 * distribution and topology hints prefer the client's node or zone and fall back to all.
 */
import type { Endpoint, ServicePort } from './model.js';

/** Where a flow comes from (internal traffic) or arrives (external traffic). */
export interface Locality { node?: string; zone?: string }

/** The endpoints a flow may go to and the rule that made them eligible, or why it goes nowhere. */
export type Candidates =
  | { ok: true; endpoints: readonly Endpoint[]; rule: string }
  | { ok: false; action: 'reject' | 'drop'; reason: string };

const sameNode = (e: Endpoint, node: string): boolean => (e.forNodes ? e.forNodes.includes(node) : e.nodeName === node);
const sameZone = (e: Endpoint, zone: string): boolean => (e.forZones ? e.forZones.includes(zone) : e.zone === zone);

/** Ready endpoints narrowed by traffic distribution (or zone hints), falling back to all of them, with the rule applied. */
export function topology(sp: ServicePort, at: Locality): { endpoints: readonly Endpoint[]; rule: string } {
  const ready = sp.ready;
  if (sp.distribution === 'PreferSameNode' && at.node) {
    const node = at.node;
    const local = ready.filter((e) => sameNode(e, node));
    if (local.length) return { endpoints: local, rule: `ready endpoints on node ${node} (trafficDistribution: PreferSameNode)` };
  }
  const hinted = ready.length > 0 && ready.every((e) => e.forZones?.length);
  if ((sp.distribution || hinted) && at.zone) {
    const zone = at.zone;
    const near = ready.filter((e) => sameZone(e, zone));
    const why = sp.distribution ? `trafficDistribution: ${sp.distribution}` : 'topology hints';
    if (near.length) return { endpoints: near, rule: `ready endpoints for zone ${zone} (${why})` };
    return { endpoints: ready, rule: `ready endpoints (none for zone ${zone}: ${why} falls back to all)` };
  }
  return { endpoints: ready, rule: 'ready endpoints' };
}

function none(sp: ServicePort): Candidates | undefined {
  if (sp.ready.length || sp.fallback.length) return undefined;
  return { ok: false, action: 'reject', reason: `service ${sp.key} has no endpoints` };
}

function local(sp: ServicePort, node: string | undefined, policy: string): Candidates {
  const mine = sp.ready.filter((e) => node !== undefined && e.nodeName === node);
  if (mine.length) return { ok: true, endpoints: mine, rule: `ready endpoints on node ${node} (${policy}: Local)` };
  const eps = sp.fallback.filter((e) => node !== undefined && e.nodeName === node);
  if (eps.length) return { ok: true, endpoints: eps, rule: `serving terminating endpoints on node ${node}, none being ready (${policy}: Local)` };
  return { ok: false, action: 'drop', reason: `service ${sp.key} has no local endpoints on ${node ?? 'this host'} (${policy}: Local)` };
}

function cluster(sp: ServicePort, at: Locality): Candidates {
  const t = topology(sp, at);
  if (t.endpoints.length) return { ok: true, endpoints: t.endpoints, rule: t.rule };
  return { ok: true, endpoints: sp.fallback, rule: 'serving terminating endpoints, none being ready' };
}

/** Candidates for traffic to a ClusterIP from a client at `at`. */
export function internalCandidates(sp: ServicePort, at: Locality): Candidates {
  return none(sp) ?? (sp.internalLocal ? local(sp, at.node, 'internalTrafficPolicy') : cluster(sp, at));
}

/**
 * Candidates for NodePort/LoadBalancer traffic received at `at`. For a load balancer (no
 * receiving node), Local means "any node that has endpoints", as a cloud balancer's health checks do.
 */
export function externalCandidates(sp: ServicePort, at: Locality, loadBalancer = false): Candidates {
  const empty = none(sp);
  if (empty) return empty;
  if (!sp.externalLocal || loadBalancer) return cluster(sp, at);
  return local(sp, at.node, 'externalTrafficPolicy');
}
