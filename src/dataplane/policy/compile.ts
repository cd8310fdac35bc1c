/**
 * Compiles NetworkPolicy objects once, ahead of the data path: selectors become requirement lists,
 * CIDRs parsed bytes, ports numeric ranges or names, each keeping its index for explanations.
 * Semantics: the Kubernetes NetworkPolicy API (networking/v1 types.go) and the docs' "Behavior of
 * to and from selectors".
 */
import type { NetworkPolicy } from '../../api/kinds/networkpolicy.js';
import { cidrContains, parseCIDR } from '../../api/kinds/networkpolicy.js';
import { parseIP } from '../../api/kinds/netval.js';
import { labelSelectorRequirements, requirementsMatch, type Requirement } from '../../api/labels.js';
import type { Protocol } from '../../net/types.js';
import type { Direction } from './model.js';

type Labels = Readonly<Record<string, string>> | undefined;
type Cidr = { ip: number[]; bits: number };

/** A `from`/`to` entry: pods by selectors (namespace selector absent = the policy's namespace), or an IP block. */
export type CompiledPeer =
  | { readonly index: number; readonly kind: 'pods'; readonly pods: Requirement[]; readonly namespaces?: Requirement[] }
  | { readonly index: number; readonly kind: 'ipBlock'; readonly cidr: Cidr; readonly except: readonly Cidr[] };

/** A `ports` entry: a protocol with all ports, a range, or a container port name. */
export interface CompiledPort {
  readonly index: number;
  readonly protocol: Protocol;
  readonly port?: number;
  readonly endPort?: number;
  readonly name?: string;
}

/** One rule; `peers`/`ports` undefined when the rule does not restrict them. */
export interface CompiledRule {
  readonly index: number;
  readonly peers?: readonly CompiledPeer[];
  readonly ports?: readonly CompiledPort[];
}

/** A policy ready for matching; a direction is undefined when not in its policyTypes. */
export interface CompiledPolicy {
  /** `namespace/name`. */
  readonly key: string;
  readonly namespace: string;
  readonly pods: Requirement[];
  readonly ingress?: readonly CompiledRule[];
  readonly egress?: readonly CompiledRule[];
  /** Whether any peer in the direction is an IP block (verdicts then depend on the other end's address). */
  readonly ipBlocks: { readonly Ingress: boolean; readonly Egress: boolean };
}

function protocolOf(p: string | undefined): Protocol {
  return p === 'UDP' || p === 'SCTP' ? p : 'TCP';
}

function peerOf(p: NonNullable<NonNullable<NonNullable<NetworkPolicy['spec']>['ingress']>[number]['from']>[number], index: number): CompiledPeer | undefined {
  if (p.ipBlock) {
    const cidr = parseCIDR(p.ipBlock.cidr);
    if (!cidr) return undefined;
    return { index, kind: 'ipBlock', cidr, except: (p.ipBlock.except ?? []).flatMap((e) => parseCIDR(e) ?? []) };
  }
  if (!p.podSelector && !p.namespaceSelector) return undefined;
  return { index, kind: 'pods', pods: labelSelectorRequirements(p.podSelector ?? {}) ?? [], namespaces: p.namespaceSelector ? labelSelectorRequirements(p.namespaceSelector) ?? [] : undefined };
}

function portOf(p: { protocol?: string; port?: number | string; endPort?: number }, index: number): CompiledPort {
  const protocol = protocolOf(p.protocol);
  if (typeof p.port === 'string') return { index, protocol, name: p.port };
  if (typeof p.port === 'number') return { index, protocol, port: p.port, endPort: p.endPort ?? p.port };
  return { index, protocol };
}

function rulesOf(rules: readonly { ports?: { protocol?: string; port?: number | string; endPort?: number }[]; from?: unknown[]; to?: unknown[] }[] | undefined, dir: Direction): CompiledRule[] {
  return (rules ?? []).map((r, index) => {
    const list = (dir === 'Ingress' ? r.from : r.to) as Parameters<typeof peerOf>[0][] | undefined;
    return {
      index,
      peers: list?.length ? list.flatMap((p, i) => peerOf(p, i) ?? []) : undefined,
      ports: r.ports?.length ? r.ports.map(portOf) : undefined,
    };
  });
}

/** Compiles one (defaulted) NetworkPolicy. */
export function compilePolicy(np: NetworkPolicy): CompiledPolicy {
  const spec = np.spec ?? {};
  const namespace = np.metadata.namespace ?? 'default';
  const types = spec.policyTypes?.length ? spec.policyTypes : spec.egress?.length ? ['Ingress', 'Egress'] : ['Ingress'];
  const ingress = types.includes('Ingress') ? rulesOf(spec.ingress, 'Ingress') : undefined;
  const egress = types.includes('Egress') ? rulesOf(spec.egress, 'Egress') : undefined;
  const hasBlock = (rules?: readonly CompiledRule[]): boolean => !!rules?.some((r) => r.peers?.some((p) => p.kind === 'ipBlock'));
  return {
    key: `${namespace}/${np.metadata.name ?? ''}`, namespace,
    pods: labelSelectorRequirements(spec.podSelector ?? {}) ?? [], ingress, egress,
    ipBlocks: { Ingress: hasBlock(ingress), Egress: hasBlock(egress) },
  };
}

/** Whether a policy selects a pod (same namespace, pod selector). */
export function selects(p: CompiledPolicy, namespace: string, labels: Labels): boolean {
  return p.namespace === namespace && requirementsMatch(p.pods, labels);
}

/** The other end of a flow as a peer sees it: a pod's namespace, labels and its namespace's labels, and the address. */
export interface OtherEnd {
  readonly ip: string;
  readonly pod?: { readonly namespace: string; readonly labels: Labels; readonly namespaceLabels: Labels };
}

/** Whether an address lies in an IP block minus its exceptions. */
export function inBlock(peer: Extract<CompiledPeer, { kind: 'ipBlock' }>, ip: string): boolean {
  const bytes = parseIP(ip);
  if (!bytes || !cidrContains(peer.cidr, bytes)) return false;
  return !peer.except.some((e) => cidrContains(e, bytes));
}

/** Whether a peer entry of policy `p` admits the other end. Pods match selectors and IP blocks; other addresses IP blocks only. */
export function peerMatches(p: CompiledPolicy, peer: CompiledPeer, other: OtherEnd): boolean {
  if (peer.kind === 'ipBlock') return inBlock(peer, other.ip);
  const pod = other.pod;
  if (!pod) return false;
  if (peer.namespaces ? !requirementsMatch(peer.namespaces, pod.namespaceLabels) : pod.namespace !== p.namespace) return false;
  return requirementsMatch(peer.pods, pod.labels);
}

/** Whether a ports entry admits a destination port; names resolve on the destination pod's container ports (`name/PROTO` → number). */
export function portMatches(port: CompiledPort, number: number, protocol: Protocol, named: ReadonlyMap<string, number> | undefined): boolean {
  if (port.protocol !== protocol) return false;
  if (port.name !== undefined) return named?.get(`${port.name}/${protocol}`) === number;
  if (port.port === undefined) return true;
  return number >= port.port && number <= (port.endPort ?? port.port);
}
