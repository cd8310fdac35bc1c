/**
 * The NetworkPolicy engine: policies compiled per namespace, pods grouped into identities
 * (namespace, labels, named ports — as Cilium groups endpoints), each identity's selecting policies
 * computed once per policy generation, and verdicts memoized per (source identity, destination
 * identity, port, protocol), so a new connection costs a few map look-ups. Objects are fed in as
 * they change (the live cluster's informers, or a snapshot).
 */
import type { Namespace } from '../../api/kinds/namespace.js';
import type { NetworkPolicy } from '../../api/kinds/networkpolicy.js';
import type { Pod } from '../../api/kinds/pod.js';
import type { Peer } from '../../net/flow.js';
import type { Protocol } from '../../net/types.js';
import { compilePolicy, selects, type CompiledPolicy, type OtherEnd } from './compile.js';
import { judgeSide, type SideCore } from './side.js';
import { sideAllows } from './fast.js';
import type { Direction, PolicyHopDetail } from './model.js';
import { parseIP } from '../../api/kinds/netval.js';

type Labels = Readonly<Record<string, string>> | undefined;

/** Pods sharing namespace, labels and named ports get the same verdicts. */
interface Identity {
  readonly id: number;
  readonly key: string;
  readonly namespace: string;
  readonly labels: Labels;
  /** `name/PROTO` → container port. */
  readonly ports: ReadonlyMap<string, number>;
  /** hostNetwork pods are not subject to NetworkPolicy: their traffic is their node's. */
  readonly hostNetwork: boolean;
  refs: number;
  gen: number;
  selected: Record<Direction, readonly CompiledPolicy[]>;
  /** Whether the selecting policies of a direction have IP blocks (the other end's address then matters). */
  byIp: Record<Direction, boolean>;
  /** The fast path's verdicts for this identity as the judged side, per direction (valid for `gen`), keyed by the other identity, port and protocol. */
  readonly fast: Record<Direction, Map<number, boolean>>;
  /** The same where IP blocks make the other end's address matter: by the other identity (0: not a pod), then address index, port and protocol (valid for `gen` and `addrEpoch`). */
  readonly fastIp: Record<Direction, Map<number, Map<number, boolean>>>;
  addrEpoch: number;
}

const NONE: Record<Direction, readonly CompiledPolicy[]> = { Ingress: [], Egress: [] };
const MEMO_LIMIT = 100_000;
const PROTO: Record<Protocol, number> = { TCP: 0, UDP: 1, SCTP: 2 };

function namedPorts(pod: Pod): Map<string, number> {
  const m = new Map<string, number>();
  for (const c of pod.spec?.containers ?? []) for (const p of c.ports ?? []) if (p.name) m.set(`${p.name}/${p.protocol ?? 'TCP'}`, p.containerPort);
  return m;
}

/** Whether a flow comes from the destination's own node (or the host standing for it): always allowed into a pod. */
function fromOwnNode(from: Peer, to: Peer): boolean {
  return from.kind === 'host' || (from.kind === 'node' && from.node !== undefined && from.node === to.node);
}

function labelsKey(l: Labels): string {
  return l ? Object.keys(l).sort().map((k) => `${k}=${l[k]}`).join(',') : '';
}

/** NetworkPolicy state of one cluster (or one snapshot) and its verdicts. */
export class PolicyEngine {
  private readonly policies = new Map<string, CompiledPolicy>();
  private readonly byNamespace = new Map<string, CompiledPolicy[]>();
  private readonly nsLabels = new Map<string, Labels>();
  private readonly identities = new Map<string, Identity>();
  private readonly pods = new Map<string, Identity>();
  private readonly ips = new Map<string, { n: number; bytes: number[] | null }>();
  /** Bumped when address indexes are renumbered: memos keyed by them are then stale. */
  private addrEpoch = 0;
  /** Bumped on every pod change that moves a pod between identities (flow peers' cached identities are then looked up again). */
  private podsVersion = 0;
  /** The identity each flow peer object was last found to have (the network reuses peer objects while their pod is unchanged). */
  private readonly peerIds = new WeakMap<Peer, { id: Identity; version: number }>();
  private gen = 0;
  private nextId = 1;

  /** Adds or replaces a policy. */
  setPolicy(np: NetworkPolicy): void {
    const c = compilePolicy(np);
    this.policies.set(c.key, c);
    this.reindex(c.namespace);
  }

  /** Removes a policy. */
  deletePolicy(namespace: string, name: string): void {
    if (this.policies.delete(`${namespace}/${name}`)) this.reindex(namespace);
  }

  /** Adds or replaces a namespace (its labels feed namespace selectors). */
  setNamespace(ns: Namespace): void {
    const name = ns.metadata.name ?? '';
    const labels = ns.metadata.labels;
    if (this.nsLabels.has(name) && labelsKey(this.nsLabels.get(name)) === labelsKey(labels)) return;
    this.nsLabels.set(name, labels);
    this.invalidate();
  }

  /** Removes a namespace. */
  deleteNamespace(name: string): void {
    if (this.nsLabels.delete(name)) this.invalidate();
  }

  /** Adds or replaces a pod (its labels and named ports). */
  setPod(pod: Pod): void {
    const ns = pod.metadata.namespace ?? 'default';
    const key = `${ns}/${pod.metadata.name ?? ''}`;
    const ports = namedPorts(pod);
    const hostNetwork = pod.spec?.hostNetwork === true;
    const idKey = `${ns}\n${labelsKey(pod.metadata.labels)}\n${[...ports].map(([k, v]) => `${k}:${v}`).join(',')}${hostNetwork ? '\nhost' : ''}`;
    const prev = this.pods.get(key);
    if (prev?.key === idKey) return;
    this.pods.set(key, this.identity(idKey, ns, pod.metadata.labels, ports, true, hostNetwork));
    this.podsVersion++;
    if (prev) this.release(prev);
  }

  /** Removes a pod. */
  deletePod(namespace: string, name: string): void {
    const key = `${namespace}/${name}`;
    const prev = this.pods.get(key);
    if (!prev) return;
    this.pods.delete(key);
    this.release(prev);
    this.podsVersion++;
  }

  /**
   * The verdict on a connection from `from` to `to` at the destination port (after any Service
   * translation): the source pod's egress and the destination pod's ingress, each judged by the
   * union of the policies selecting it; a pod always reaches itself; a pod's own node always reaches it.
   */
  judge(flowFrom: Peer, flowTo: Peer, port: number, protocol: Protocol): PolicyHopDetail {
    const { from, to, src, dst } = this.ends(flowFrom, flowTo);
    const srcName = src ? `${from.namespace}/${from.name}` : '';
    const dstName = dst ? `${to.namespace}/${to.name}` : '';
    if (src && dst && srcName === dstName) {
      const self = (direction: Direction): SideCore => ({ direction, allow: true, isolated: false, always: 'self', selectedBy: [], allowedBy: [] });
      return { protocol, port, egress: { ...self('Egress'), pod: srcName }, ingress: { ...self('Ingress'), pod: dstName }, allow: true };
    }
    const fromNode = dst !== undefined && fromOwnNode(from, to);
    const srcSel = src ? this.selection(src).Egress : [];
    const dstSel = dst && !fromNode ? this.selection(dst).Ingress : [];
    const egress = src ? judgeSide('Egress', srcSel, this.otherEnd(to, dst), port, protocol, dst?.ports) : undefined;
    let ingress: SideCore | undefined;
    if (fromNode) ingress = { direction: 'Ingress', allow: true, isolated: false, always: 'node', selectedBy: [], allowedBy: [] };
    else if (dst) ingress = judgeSide('Ingress', dstSel, this.otherEnd(from, src), port, protocol, dst.ports);
    const v = { egress, ingress, allow: (egress?.allow ?? true) && (ingress?.allow ?? true) };
    return {
      protocol, port, allow: v.allow,
      egress: v.egress && { ...v.egress, pod: srcName }, ingress: v.ingress && { ...v.ingress, pod: dstName },
    };
  }

  /**
   * The data path's verdict: the same answer as `judge(...).allow`, without an explanation; each
   * side's answer is memoized on the judged identity per (other identity or address, port, protocol).
   */
  allows(flowFrom: Peer, flowTo: Peer, port: number, protocol: Protocol): boolean {
    const { from, to, src, dst } = this.ends(flowFrom, flowTo);
    if (src && dst && from.namespace === to.namespace && from.name === to.name) return true;
    if (src && !this.side('Egress', src, to, dst, port, protocol, dst?.ports)) return false;
    return !dst || fromOwnNode(from, to) || this.side('Ingress', dst, from, src, port, protocol, dst.ports);
  }

  /** The two ends as policy sees them: pods with their identities; a hostNetwork pod stands for its node. */
  private ends(from: Peer, to: Peer): { from: Peer; to: Peer; src?: Identity; dst?: Identity } {
    let src = from.kind === 'pod' ? this.podIdentity(from) : undefined;
    let dst = to.kind === 'pod' ? this.podIdentity(to) : undefined;
    if (src?.hostNetwork) { from = { kind: 'node', ip: from.ip, name: from.node, node: from.node }; src = undefined; }
    if (dst?.hostNetwork) { to = { kind: 'node', ip: to.ip, name: to.node, node: to.node }; dst = undefined; }
    return { from, to, src, dst };
  }

  private side(direction: Direction, subject: Identity, other: Peer, otherId: Identity | undefined, port: number, protocol: Protocol, named: ReadonlyMap<string, number> | undefined): boolean {
    const sel = this.selection(subject)[direction];
    if (!sel.length) return true;
    const byIp = subject.byIp[direction];
    let memo: Map<number, boolean>;
    let key: number;
    let addr: { n: number; bytes: number[] | null } | undefined;
    if (byIp) {
      addr = this.ipIndex(other.ip);
      if (subject.addrEpoch !== this.addrEpoch) {
        subject.fastIp.Ingress.clear();
        subject.fastIp.Egress.clear();
        subject.addrEpoch = this.addrEpoch;
      }
      const byOther = subject.fastIp[direction];
      const oid = otherId?.id ?? 0;
      let m = byOther.get(oid);
      if (!m) {
        if (byOther.size >= MEMO_LIMIT) byOther.clear();
        byOther.set(oid, (m = new Map()));
      }
      memo = m;
      key = (addr.n * 65536 + port) * 4 + PROTO[protocol];
    } else {
      memo = subject.fast[direction];
      key = ((otherId?.id ?? 0) * 65536 + port) * 4 + PROTO[protocol];
    }
    const hit = memo.get(key);
    if (hit !== undefined) return hit;
    const bytes = addr ? addr.bytes : null;
    const o = otherId ? { ip: other.ip, bytes, id: otherId.id, namespace: otherId.namespace, labels: otherId.labels, namespaceLabels: this.nsLabels.get(otherId.namespace) } : { ip: other.ip, bytes };
    const ok = sideAllows(direction, sel, o, port, protocol, named, this.gen);
    if (memo.size >= MEMO_LIMIT) memo.clear();
    memo.set(key, ok);
    return ok;
  }

  /** A small number per address seen (the fast path's memo keys) with its bytes; renumbered when it grows large, which also empties the memos keyed by it. */
  private ipIndex(ip: string): { n: number; bytes: number[] | null } {
    let e = this.ips.get(ip);
    if (e === undefined) {
      if (this.ips.size >= MEMO_LIMIT) { this.ips.clear(); this.addrEpoch++; }
      this.ips.set(ip, (e = { n: this.ips.size + 1, bytes: parseIP(ip) }));
    }
    return e;
  }

  private otherEnd(peer: Peer, id: Identity | undefined): OtherEnd {
    if (!id) return { ip: peer.ip };
    return { ip: peer.ip, pod: { namespace: id.namespace, labels: id.labels, namespaceLabels: this.nsLabels.get(id.namespace) } };
  }

  /** The identity of a pod end: the engine's own record, else one made from the flow's live labels. */
  private podIdentity(p: Peer): Identity {
    const seen = this.peerIds.get(p);
    if (seen && seen.version === this.podsVersion) return seen.id;
    const id = this.lookupIdentity(p);
    this.peerIds.set(p, { id, version: this.podsVersion });
    return id;
  }

  private lookupIdentity(p: Peer): Identity {
    const ns = p.namespace ?? 'default';
    const known = this.pods.get(`${ns}/${p.name ?? ''}`);
    if (known) return known;
    return this.identity(`${ns}\n${labelsKey(p.labels)}\n`, ns, p.labels, new Map(), false);
  }

  private identity(key: string, namespace: string, labels: Labels, ports: ReadonlyMap<string, number>, keep = true, hostNetwork = false): Identity {
    let id = this.identities.get(key);
    if (!id) {
      id = { id: this.nextId++, key, namespace, labels, ports, hostNetwork, refs: 0, gen: -1, selected: NONE, byIp: { Ingress: false, Egress: false }, fast: { Ingress: new Map(), Egress: new Map() }, fastIp: { Ingress: new Map(), Egress: new Map() }, addrEpoch: -1 };
      if (keep) this.identities.set(key, id);
    }
    if (keep) id.refs++;
    return id;
  }

  private release(id: Identity): void {
    if (--id.refs <= 0) this.identities.delete(id.key);
  }

  private selection(id: Identity): Record<Direction, readonly CompiledPolicy[]> {
    if (id.gen === this.gen) return id.selected;
    const all = (this.byNamespace.get(id.namespace) ?? []).filter((p) => selects(p, id.namespace, id.labels));
    id.selected = { Ingress: all.filter((p) => p.ingress), Egress: all.filter((p) => p.egress) };
    id.byIp = { Ingress: id.selected.Ingress.some((p) => p.ipBlocks.Ingress), Egress: id.selected.Egress.some((p) => p.ipBlocks.Egress) };
    id.gen = this.gen;
    id.fast.Ingress.clear();
    id.fast.Egress.clear();
    id.fastIp.Ingress.clear();
    id.fastIp.Egress.clear();
    return id.selected;
  }

  private reindex(namespace: string): void {
    const list = [...this.policies.values()].filter((p) => p.namespace === namespace).sort((a, b) => (a.key < b.key ? -1 : 1));
    if (list.length) this.byNamespace.set(namespace, list);
    else this.byNamespace.delete(namespace);
    this.invalidate();
  }

  private invalidate(): void {
    this.gen++;
  }
}
