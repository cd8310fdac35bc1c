/** UDP sockets of a stack (their datagrams go through the network's conntrack and flow pipeline). */
import type { Stack } from './stack.js';
import type { Addr, NetError, UdpSocket } from './types.js';

/** Receives a datagram at a bound UDP port. */
export type UdpHandler = (data: Buffer, from: Addr) => void;

/** A UDP socket bound in a stack. */
export class StackUdpSocket implements UdpSocket {
  readonly local: Addr;
  private readonly handlers: Array<(data: Buffer, from: Addr) => void> = [];
  private readonly errorHandlers: Array<(err: NetError, to: Addr) => void> = [];
  private readonly handler: UdpHandler;
  private closed = false;

  constructor(private readonly stack: Stack, port: number, private readonly client?: Addr) {
    this.handler = (data, from) => {
      for (const h of this.handlers) h(data, from);
    };
    const bound = stack.udpPorts.bind(port, this.handler);
    this.local = { ip: stack.ips[0] ?? '0.0.0.0', port: bound };
  }

  send(data: Buffer, to: Addr): void {
    if (this.closed || this.stack.removed) throw new Error('Not running');
    const onError = this.errorHandlers.length ? (err: NetError, dst: Addr) => this.errorHandlers.forEach((h) => h(err, dst)) : undefined;
    this.stack.fabric.sendUdp(this.stack, this.local.port, data, to, onError, this.client);
  }

  onMessage(handler: (data: Buffer, from: Addr) => void): void {
    this.handlers.push(handler);
  }

  onError(handler: (err: NetError, to: Addr) => void): void {
    this.errorHandlers.push(handler);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.stack.udpPorts.unbind(this.local.port, this.handler);
  }
}
