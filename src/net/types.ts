/**
 * The virtual pod network: the one place every connection passes. Pod IPs (10.244.x.y), Service
 * IPs (10.96.x.y) and node addresses are virtual here: nothing ever opens a real socket to a 10.x
 * address. Each pod (and each node, and "the host") has a NetStack; connections between stacks
 * are in-memory duplex pairs; UDP datagrams are delivered in memory. A Router chain decides every
 * new flow (service DNAT in "Services for real", NetworkPolicy verdicts later).
 */
import type { Duplex } from 'node:stream';

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

/** Who owns a stack: a pod, a node (NodePort/hostNetwork), or the host outside the cluster. */
export interface StackIdentity {
  kind: 'pod' | 'node' | 'host';
  namespace?: string;
  name?: string;
  nodeName?: string;
  labels?: Record<string, string>;
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
  listen(port: number, onConn: (c: Conn) => void): Listener;
  /** Receives UDP datagrams on a port; `reply` answers the sender from this port. */
  listenUdp(port: number, onMessage: (data: Buffer, from: Addr, reply: (data: Buffer) => void) => void): Listener;
  /** Opens a TCP connection; rejects with NetError (ECONNREFUSED when nothing listens, ETIMEDOUT after timeoutMs when dropped). */
  connect(to: Addr, opts?: { timeoutMs?: number }): Promise<Conn>;
  /** A UDP socket (port 0: an ephemeral port). */
  udp(port?: number): UdpSocket;
}

/** A flow about to be created, as a router sees it. */
export interface Flow {
  protocol: Protocol;
  src: Addr;
  dst: Addr;
  from: StackIdentity;
}

/** What a router decides: deliver to (possibly rewritten) destination, refuse, drop, or no opinion. */
export type RouteDecision =
  | { action: 'deliver'; dst: Addr; srcRewrite?: Addr; reason?: string }
  | { action: 'reject'; reason: string }
  | { action: 'drop'; reason: string }
  | { action: 'next' };

/** A step of the routing chain (service proxy, policy, …). */
export interface Router {
  readonly name: string;
  route(flow: Flow): RouteDecision;
}

/** The cluster network. */
export interface Network {
  /** Creates the stack of a pod/node/host with its IPs (throws if an IP is taken). */
  addStack(ips: string[], identity: StackIdentity): NetStack;
  /** Removes a stack: its listeners close and its connections are reset. */
  removeStack(stack: NetStack): void;
  /** The stack owning an IP, if any. */
  stackFor(ip: string): NetStack | undefined;
  /** Installs the routing chain, consulted in order for every new TCP connection and UDP datagram. */
  setRouters(routers: Router[]): void;
  /** The stack standing for the host (kubectl port-forward, NodePort/LoadBalancer listeners). */
  readonly host: NetStack;
}
