/**
 * The virtual pod network: the one place every connection passes. Pod IPs (10.244.x.y), Service
 * IPs (10.96.x.y) and node addresses are virtual here: nothing ever opens a real socket to a 10.x
 * address. Each pod (and each node, and "the host") has a NetStack; connections between stacks
 * are in-memory duplex pairs; UDP datagrams are delivered in memory. Every new flow passes the flow
 * pipeline (`flow.ts`): translators (the service proxy) then filters (NetworkPolicy).
 */
import type { Duplex } from 'node:stream';
import type { Filter, Flow, FlowPlan, Translator } from './flow.js';

/** Transport protocols. */
export type Protocol = 'TCP' | 'UDP' | 'SCTP';

/** An IP address and port. */
export interface Addr { ip: string; port: number }

/** A TCP connection seen from one side: a Duplex (end() = FIN, destroy() = RST) plus its addresses. */
export interface Conn extends Duplex {
  readonly local: Addr;
  readonly remote: Addr;
}

/** Error codes as the socket layer reports them (tools map them to their own texts, e.g. curl's (7)). */
export type NetErrorCode = 'ECONNREFUSED' | 'ETIMEDOUT' | 'EHOSTUNREACH' | 'ENETUNREACH' | 'EADDRINUSE' | 'EACCES' | 'ECONNRESET';

/** A failed network operation. */
export class NetError extends Error {
  constructor(readonly code: NetErrorCode, message?: string) {
    super(message ?? code);
  }
}

/** Who owns a stack: a pod, a node (NodePort/hostNetwork), or the host outside the cluster. Labels are looked up live (`NetworkOptions.pods`). */
export interface StackIdentity {
  kind: 'pod' | 'node' | 'host';
  namespace?: string;
  name?: string;
  nodeName?: string;
}

/** Options of a new connection. */
export interface ConnectOptions {
  /** How long a dropped dial waits before ETIMEDOUT (default 10 s). */
  timeoutMs?: number;
  /** The outside client this (node) stack forwards for — a NodePort or load-balancer listener: the flow's source is that client. */
  client?: Addr;
  /**
   * With `client`: the client's real host socket. When the flow is delivered to a listener that takes
   * host sockets (`ListenOptions.hostSockets`), that socket itself is handed to it (addressed as the
   * flow says) and is what connect resolves with; otherwise a virtual connection is opened as usual.
   */
  adopt?: HostSocket;
}

/** A real host TCP socket that may be handed to a pod's listener (a net.Socket). */
export interface HostSocket extends Duplex {
  resetAndDestroy(): this;
}

/** Options of a TCP listener. */
export interface ListenOptions {
  /**
   * The listener also takes real host sockets from host-port, NodePort and load-balancer bridges
   * (they arrive as a Conn whose addresses are the flow's), so a server using Node's own HTTP and
   * TLS parsers reads the socket directly instead of through a virtual pair.
   */
  hostSockets?: boolean;
}

/** A listening socket; close() stops accepting (existing connections stay). */
export interface Listener { close(): void; readonly port: number }

/** A UDP socket bound to an ephemeral or given port. */
export interface UdpSocket {
  readonly local: Addr;
  send(data: Buffer, to: Addr): void;
  onMessage(handler: (data: Buffer, from: Addr) => void): void;
  /** Optional: told when a datagram is refused (no listener at a live address: ICMP port unreachable, or a reject). */
  onError?(handler: (err: NetError, to: Addr) => void): void;
  close(): void;
}

/** One network namespace: the pod's interfaces and sockets. */
export interface NetStack {
  readonly identity: StackIdentity;
  /** The stack's own addresses (pod IP; 127.0.0.1 is always local too). */
  readonly ips: readonly string[];
  /** Accepts TCP connections on a port (all addresses of the stack). Throws NetError EADDRINUSE. */
  listen(port: number, onConn: (c: Conn) => void, opts?: ListenOptions): Listener;
  /** Receives UDP datagrams on a port; `reply` answers the sender from this port. */
  listenUdp(port: number, onMessage: (data: Buffer, from: Addr, reply: (data: Buffer) => void) => void): Listener;
  /** Opens a TCP connection; rejects with NetError (ECONNREFUSED when nothing listens, ETIMEDOUT after timeoutMs when dropped). */
  connect(to: Addr, opts?: ConnectOptions): Promise<Conn>;
  /** A UDP socket (port 0: an ephemeral port); with `client`, its datagrams are forwarded for that outside client. */
  udp(port?: number, opts?: { client?: Addr }): UdpSocket;
}

/** The cluster network. */
export interface Network {
  /** Creates the stack of a pod/node/host with its IPs (throws if an IP is taken). */
  addStack(ips: string[], identity: StackIdentity): NetStack;
  /** Removes a stack: its listeners close and its connections are reset. */
  removeStack(stack: NetStack): void;
  /** The stack owning an IP, if any. */
  stackFor(ip: string): NetStack | undefined;
  /** Adds a translator to the first phase of every new flow; returns its removal. */
  addTranslator(t: Translator): () => void;
  /** Adds a filter to the second phase of every new flow; returns its removal. */
  addFilter(f: Filter): () => void;
  /** Plans a flow without side effects (the trace `knet explain` prints). */
  plan(flow: Flow): FlowPlan;
  /** Records what a plan decided (session affinity). */
  commit(plan: FlowPlan): void;
  /** The stack standing for the host (kubectl port-forward, NodePort/LoadBalancer listeners). */
  readonly host: NetStack;
}

/** Live facts about pods for flow identities (fed by the cluster view). */
export interface PodDirectory {
  /** A pod's labels as of now. */
  labels(namespace: string, name: string): Readonly<Record<string, string>> | undefined;
  /** A number that changes whenever any pod changes, so the network may reuse what it looked up before. */
  readonly version: number;
}

/** Options of a network. */
export interface NetworkOptions {
  /** Where pods' live labels come from; flows carry them. */
  pods?: PodDirectory;
  /** The random source of flow seeds (replaceable in tests). */
  random?: () => number;
  /** The clock of flows (replaceable in tests). */
  now?: () => number;
  /** Told of every new flow a filter drops (the policy drop log). */
  onDrop?: (plan: FlowPlan) => void;
}
