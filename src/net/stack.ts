/**
 * One network namespace: its addresses, TCP listeners, UDP sockets and live connections. Flows
 * themselves are set up by the network (the Fabric), which owns routing and address lookup.
 */
import type { PipeConn } from './conn.js';
import type { Peer } from './flow.js';
import { PortSpace } from './ports.js';
import { Conntrack, type ForwardEntry, type ReplyEntry } from './conntrack.js';
import type { Addr, Conn, ConnectOptions, HostSocket, Listener, ListenOptions, NetError, NetStack, StackIdentity, StreamProtocol, UdpSocket } from './types.js';
import { StackUdpSocket, type UdpHandler } from './udp.js';

/**
 * The default connect timeout: dropped packets get no answer, so a dial without a timeout of its own
 * waits as long as Linux's connect() does: the SYN and tcp_syn_retries (6) retransmissions, backing
 * off from 1 s, give up after 1+2+4+8+16+32+64 = 127 s with ETIMEDOUT.
 */
export const DEFAULT_CONNECT_TIMEOUT_MS = 127_000;


/** A listener's accept handler; `hostSockets` when it also takes real host sockets. */
export type TcpAccept = ((c: Conn) => void) & { hostSockets?: boolean };

/** How a stack dials: the transport, the dropped-dial timeout, and (for node stacks) the outside client and its host socket. */
export interface Dial { protocol: StreamProtocol; timeoutMs: number; signal?: AbortSignal; client?: Addr; adopt?: HostSocket }

/** What a stack needs from the network to open flows. */
export interface Fabric {
  connect(from: Stack, to: Addr, dial: Dial): Promise<Conn>;
  sendUdp(from: Stack, srcPort: number, data: Buffer, to: Addr, onError?: (err: NetError, to: Addr) => void, client?: Addr): void;
}

/** The NetStack implementation. */
export class Stack implements NetStack {
  /** TCP ports: listeners' accept handlers (`hostSockets` set when they take real host sockets too). */
  readonly tcp = new PortSpace<TcpAccept>();
  /** SCTP ports: listeners' accept handlers (a port space apart from TCP's, as in the kernel). */
  readonly sctp = new PortSpace<TcpAccept>();
  /** UDP ports: datagram handlers of listeners and sockets. */
  readonly udpPorts = new PortSpace<UdpHandler>();
  /** Live connection ends owned by this stack (virtual ends and adopted host sockets). */
  readonly conns = new Set<PipeConn | HostSocket>();
  /** Conntrack entries for replies leaving this stack. */
  readonly replies = new Conntrack<ReplyEntry<Stack>>();
  /** Conntrack entries of established UDP flows leaving this stack. */
  readonly flows = new Conntrack<ForwardEntry<Stack>>();
  /** Set once the stack has been removed from the network. */
  removed = false;
  /** The owner as flows last saw it (the network reuses it while nothing changed), and the pod directory's version then. */
  peer?: Peer;
  peerVersion?: number;

  constructor(readonly identity: StackIdentity, readonly ips: readonly string[], readonly fabric: Fabric) {}

  listen(port: number, onConn: (c: Conn) => void, opts?: ListenOptions): Listener {
    return this.bindStream(this.tcp, port, onConn, opts?.hostSockets);
  }

  listenSctp(port: number, onConn: (c: Conn) => void): Listener {
    return this.bindStream(this.sctp, port, onConn, false);
  }

  private bindStream(space: PortSpace<TcpAccept>, port: number, onConn: (c: Conn) => void, hostSockets?: boolean): Listener {
    const handler: TcpAccept = (c: Conn): void => onConn(c);
    if (hostSockets) handler.hostSockets = true;
    const bound = space.bind(port, handler);
    return { port: bound, close: () => space.unbind(bound, handler) };
  }

  /** The port space of a connection-oriented protocol. */
  ports(protocol: StreamProtocol): PortSpace<TcpAccept> {
    return protocol === 'SCTP' ? this.sctp : this.tcp;
  }

  listenUdp(port: number, onMessage: (data: Buffer, from: Addr, reply: (data: Buffer) => void) => void): Listener {
    let bound = 0;
    const handler: UdpHandler = (data, from) => onMessage(data, from, (d) => this.fabric.sendUdp(this, bound, d, from));
    bound = this.udpPorts.bind(port, handler);
    return { port: bound, close: () => this.udpPorts.unbind(bound, handler) };
  }

  connect(to: Addr, opts?: ConnectOptions): Promise<Conn> {
    const dial: Dial = { protocol: opts?.protocol ?? 'TCP', timeoutMs: opts?.timeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS, signal: opts?.signal, client: opts?.client };
    if (opts?.client && dial.protocol === 'TCP') dial.adopt = opts.adopt;
    return this.fabric.connect(this, to, dial);
  }

  udp(port = 0, opts?: { client?: Addr }): UdpSocket {
    return new StackUdpSocket(this, port, opts?.client);
  }

  /** Registers a connection end so that removing the stack resets it. */
  track(c: PipeConn | HostSocket, onClose?: () => void): void {
    this.conns.add(c);
    c.once('close', () => {
      this.conns.delete(c);
      onClose?.();
    });
  }

  /** Closes every listener and socket and resets every connection (the pod is gone). */
  teardown(): void {
    this.removed = true;
    this.tcp.bound.clear();
    this.sctp.bound.clear();
    this.udpPorts.bound.clear();
    this.replies.clear();
    this.flows.clear();
    for (const c of [...this.conns]) c.resetAndDestroy();
  }
}
