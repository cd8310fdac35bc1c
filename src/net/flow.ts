/**
 * Flows and their pipeline: every new connection (and every UDP datagram that no conntrack entry
 * covers) passes two ordered phases. Translators (the service proxy) may rewrite the destination
 * and masquerade the source; then filters (NetworkPolicy) see the final source and destination
 * with their live identities and allow or drop. `plan` is pure and returns the trace; `commit`
 * records what the plan decided (session affinity).
 */
import type { Addr, Protocol } from './types.js';

/** One end of a flow: a pod, a node, the host, or an address outside the cluster. */
export interface Peer {
  readonly kind: 'pod' | 'node' | 'host' | 'outside';
  readonly ip: string;
  readonly namespace?: string;
  readonly name?: string;
  /** The node a pod runs on, or the node itself. */
  readonly node?: string;
  /** A pod's labels as of now. */
  readonly labels?: Readonly<Record<string, string>>;
}

/** A new flow as its sender opens it. */
export interface Flow {
  readonly protocol: Protocol;
  /** The source address (an outside client's own address for traffic arriving at a NodePort or load balancer). */
  readonly src: Addr;
  /** The destination as dialled. */
  readonly dst: Addr;
  /** Who sends it. */
  readonly from: Peer;
  /** The node where the flow enters the network: the sender's node, or the node whose listener received it. */
  readonly node?: string;
  /** A uniform number in [0, 1) drawn once per flow; translators choose with it, so planning consumes no randomness. */
  readonly seed: number;
  /** When the flow starts (ms since the epoch); affinity timeouts are measured against it. */
  readonly at: number;
}

/** One step of a plan, for `knet explain` and tests. */
export interface Hop<D = unknown> {
  /** A translator rewrote or refused the flow, the network routed it, or a filter judged it. */
  readonly stage: 'translate' | 'route' | 'filter';
  /** The component that took the step (`service-proxy`, `network`, `network-policy`, …). */
  readonly by: string;
  readonly action: 'translate' | 'reject' | 'drop' | 'allow' | 'deliver';
  /** One sentence for people. */
  readonly summary: string;
  /** The component's structured account (for the service proxy: the Service, eligible endpoints, the choice). */
  readonly detail?: D;
}

/** What a translator makes of a flow it is responsible for. */
export type Translation =
  | { readonly action: 'translate'; readonly dst: Addr; readonly src?: Addr; readonly hop: Hop }
  | { readonly action: 'reject' | 'drop'; readonly hop: Hop };

/** A first-phase stage: rewrites destinations it owns (Service addresses), leaves the rest alone. */
export interface Translator {
  readonly name: string;
  /** The translation of a flow now headed for `dst`, or undefined when `dst` is not this translator's. Pure. */
  translate(flow: Flow, dst: Addr): Translation | undefined;
  /** Records what a committed plan decided (its own hops only). */
  commit?(hop: Hop, flow: Flow): void;
  /** Whether an established flow's translation still stands (UDP conntrack asks before reusing it). */
  holds?(hop: Hop, flow: Flow): boolean;
}

/** A flow after translation: final source and destination with their live identities. */
export interface Routed {
  readonly flow: Flow;
  readonly src: Addr;
  readonly dst: Addr;
  /** The final source's identity (the node after masquerade, else the sender). */
  readonly from: Peer;
  readonly to: Peer;
}

/** A filter's answer; a hop explains it (filters with nothing to say may omit it). */
export interface Verdict { readonly allow: boolean; readonly hop?: Hop }

/** A second-phase stage: allows or drops a routed flow. */
export interface Filter {
  readonly name: string;
  /** Judges a routed flow. Pure. */
  check(flow: Routed): Verdict;
}

/** The outcome of planning a flow. */
export interface FlowPlan {
  readonly flow: Flow;
  readonly verdict: 'deliver' | 'reject' | 'drop';
  /** The destination after translation (the dialled one when nothing translated it). */
  readonly dst: Addr;
  /** The source the destination sees. */
  readonly src: Addr;
  /** The final source's identity. */
  readonly from: Peer;
  /** The destination's identity, once routed. */
  readonly to?: Peer;
  /** Whether a translator took the flow (unclaimed loopback addresses stay on the sender's own stack). */
  readonly translated: boolean;
  readonly trace: readonly Hop[];
}
