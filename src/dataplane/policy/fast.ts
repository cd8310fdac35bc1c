/**
 * The data path's question — may this flow pass this side? — answered without building an
 * explanation: peer matches memoized per compiled peer and identity, first allowing rule wins.
 */
import type { Protocol } from '../../net/types.js';
import { inBlock, portMatches, type CompiledPeer, type CompiledPolicy } from './compile.js';
import { requirementsMatch } from '../../api/labels.js';
import type { Direction } from './model.js';

type Labels = Readonly<Record<string, string>> | undefined;

/** The other end as the fast path sees it: an identity (id, namespace, labels and its namespace's labels) and/or an address. */
export interface FastOther {
  readonly ip: string;
  /** The address parsed (null when it is not one). */
  readonly bytes: number[] | null;
  readonly id?: number;
  readonly namespace?: string;
  readonly labels?: Labels;
  readonly namespaceLabels?: Labels;
}

function peerAdmits(p: CompiledPolicy, peer: CompiledPeer, o: FastOther, gen: number): boolean {
  if (peer.kind === 'ipBlock') return inBlock(peer, o.ip, o.bytes);
  if (o.id === undefined) return false;
  const memo = peer.memo;
  if (memo.gen !== gen) { memo.map.clear(); memo.gen = gen; }
  const hit = memo.map.get(o.id);
  if (hit !== undefined) return hit;
  const ok = (peer.namespaces ? requirementsMatch(peer.namespaces, o.namespaceLabels) : o.namespace === p.namespace) && requirementsMatch(peer.pods, o.labels);
  memo.map.set(o.id, ok);
  return ok;
}

/** Whether some rule (peer selector matches memoized per identity for generation `gen`) of the selecting policies admits the other end on this port (true when none selects). */
export function sideAllows(direction: Direction, selected: readonly CompiledPolicy[], o: FastOther, port: number, protocol: Protocol, named: ReadonlyMap<string, number> | undefined, gen: number): boolean {
  if (!selected.length) return true;
  for (const p of selected) {
    const rules = direction === 'Ingress' ? p.ingress : p.egress;
    if (!rules) continue;
    for (const r of rules) {
      if (r.ports && !r.ports.some((x) => portMatches(x, port, protocol, named))) continue;
      if (!r.peers || r.peers.some((x) => peerAdmits(p, x, o, gen))) return true;
    }
  }
  return false;
}
