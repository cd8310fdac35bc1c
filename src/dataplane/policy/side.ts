/** One side of a verdict: the union of the rules of the policies selecting a pod in one direction. */
import type { Protocol } from '../../net/types.js';
import { peerMatches, portMatches, type CompiledPolicy, type OtherEnd } from './compile.js';
import type { Direction, RuleRef, SideVerdict } from './model.js';

/** A side verdict before the judged pod's name is attached (shared by every pod of an identity). */
export type SideCore = Omit<SideVerdict, 'pod'>;

/**
 * Judges one direction: allowed when no policy selects the pod (`selected` empty), else when some
 * rule's peers admit the other end and its ports admit the destination port (named ports resolve
 * on the destination pod: `named`). Every allowing rule is listed; a denial says whether peers or
 * ports failed, or whether the policies have no rules at all.
 */
export function judgeSide(direction: Direction, selected: readonly CompiledPolicy[], other: OtherEnd, port: number, protocol: Protocol, named: ReadonlyMap<string, number> | undefined): SideCore {
  if (!selected.length) return { direction, allow: true, isolated: false, selectedBy: [], allowedBy: [] };
  const allowedBy: RuleRef[] = [];
  let anyRule = false;
  let peerOk = false;
  for (const p of selected) {
    const rules = (direction === 'Ingress' ? p.ingress : p.egress) ?? [];
    for (const r of rules) {
      anyRule = true;
      const peer = r.peers ? r.peers.find((x) => peerMatches(p, x, other)) : undefined;
      if (r.peers && !peer) continue;
      peerOk = true;
      const pm = r.ports ? r.ports.find((x) => portMatches(x, port, protocol, named)) : undefined;
      if (r.ports && !pm) continue;
      allowedBy.push({ policy: p.key, direction, rule: r.index, peer: peer?.index, port: pm?.index });
    }
  }
  const selectedBy = selected.map((p) => p.key);
  if (allowedBy.length) return { direction, allow: true, isolated: true, selectedBy, allowedBy };
  return { direction, allow: false, isolated: true, selectedBy, allowedBy, reason: !anyRule ? 'no-rules' : peerOk ? 'port' : 'peer' };
}
