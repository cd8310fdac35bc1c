/**
 * The compiled NetworkPolicy model: what a verdict says and why (the detail of the filter's hop,
 * which `knet explain` prints and `knet connectivity` tabulates).
 */
import type { Protocol } from '../../net/types.js';

/** Traffic direction as NetworkPolicy names it. */
export type Direction = 'Ingress' | 'Egress';

/** A rule position: `ns/name ingress[0] from[1] ports[0]` (peer and port absent when the rule has none). */
export interface RuleRef {
  /** `namespace/name` of the policy. */
  readonly policy: string;
  readonly direction: Direction;
  readonly rule: number;
  /** Index of the matching `from`/`to` entry; undefined when the rule names no peers (all peers). */
  readonly peer?: number;
  /** Index of the matching `ports` entry; undefined when the rule names no ports (all ports). */
  readonly port?: number;
}

/** Why no rule allowed a flow on an isolated side. */
export type DenyReason =
  /** Every selecting policy has no rules in this direction. */
  | 'no-rules'
  /** Some rule's peers admit the other end, but none of those rules allows the port/protocol. */
  | 'port'
  /** No rule's peers admit the other end. */
  | 'peer';

/** One side's judgement: the source pod's egress, or the destination pod's ingress. */
export interface SideVerdict {
  readonly direction: Direction;
  /** `namespace/name` of the pod judged. */
  readonly pod: string;
  readonly allow: boolean;
  /**
   * Why: `isolated` false means no policy selects the pod for this direction (allowed by default);
   * `always` names a rule of the network that no policy can change (own node, own address).
   */
  readonly isolated: boolean;
  readonly always?: 'self' | 'node';
  /** Policies (`ns/name`) selecting the pod for this direction, sorted. */
  readonly selectedBy: readonly string[];
  /** The rules that allow the flow (every one of them, in policy then rule order). */
  readonly allowedBy: readonly RuleRef[];
  /** When denied: why. */
  readonly reason?: DenyReason;
}

/** The network-policy filter's account of one flow (the detail of its hop). */
export interface PolicyHopDetail {
  readonly protocol: Protocol;
  /** The destination port as the destination sees it (after Service translation). */
  readonly port: number;
  /** Absent when the source is not a pod (or the always-allowed cases say so). */
  readonly egress?: SideVerdict;
  /** Absent when the destination is not a pod. */
  readonly ingress?: SideVerdict;
  readonly allow: boolean;
}

/** Formats a rule reference as `x/allow-web ingress[0] from[1]` (ports too when a ports entry decided). */
export function formatRuleRef(r: RuleRef): string {
  const dir = r.direction === 'Ingress' ? 'ingress' : 'egress';
  const peers = r.direction === 'Ingress' ? 'from' : 'to';
  let s = `${r.policy} ${dir}[${r.rule}]`;
  if (r.peer !== undefined) s += ` ${peers}[${r.peer}]`;
  if (r.port !== undefined) s += ` ports[${r.port}]`;
  return s;
}
