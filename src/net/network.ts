/**
 * The cluster network: stacks by IP, the router chain, and flow setup for TCP connections and UDP
 * datagrams (routing, DNAT/SNAT, refusal, drops and conntrack for UDP replies).
 */
import { connPair } from './conn.js';
import { isLoopback } from './ip.js';
import { Stack, type Fabric } from './stack.js';
import { NetError, type Addr, type Conn, type Flow, type NetStack, type Network, type Protocol, type RouteDecision, type Router, type StackIdentity } from './types.js';

/** Where a flow ends up after routing, or why it does not. */
type Outcome =
  | { ok: true; target: Stack; dst: Addr; src: Addr; local: Addr }
  | { ok: false; code: 'ECONNREFUSED' | 'ETIMEDOUT' };

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The Network implementation. */
export class VirtualNetwork implements Network, Fabric {
  private readonly byIp = new Map<string, Stack>();
  private readonly stacks = new Set<Stack>();
  private routers: Router[] = [];
  readonly host: NetStack;

  constructor() {
    this.host = this.addStack(['127.0.0.1'], { kind: 'host' });
  }

  addStack(ips: string[], identity: StackIdentity): NetStack {
    for (const ip of ips) if (this.byIp.has(ip)) throw new NetError('EADDRINUSE', `address ${ip} is already in use`);
    const stack = new Stack(identity, [...ips], this);
    for (const ip of ips) if (ip !== '127.0.0.1' && ip !== '::1') this.byIp.set(ip, stack);
    this.stacks.add(stack);
    return stack;
  }

  removeStack(stack: NetStack): void {
    const s = stack as Stack;
    if (!this.stacks.delete(s)) return;
    for (const ip of s.ips) if (this.byIp.get(ip) === s) this.byIp.delete(ip);
    s.teardown();
  }

  stackFor(ip: string): NetStack | undefined {
    return this.byIp.get(ip);
  }

  setRouters(routers: Router[]): void {
    this.routers = [...routers];
  }

  /** The decision of the router chain for a flow (deliver unchanged when no router has an opinion). */
  decide(flow: Flow): RouteDecision {
    return this.claim(flow) ?? { action: 'deliver', dst: flow.dst };
  }

  /** The first decision of a router with an opinion on the flow, if any. */
  private claim(flow: Flow): RouteDecision | undefined {
    for (const r of this.routers) {
      const d = r.route(flow);
      if (d.action !== 'next') return d;
    }
    return undefined;
  }

  /** Addresses that mean "this stack": unowned loopback and unspecified addresses. */
  private isSelf(ip: string): boolean {
    return (isLoopback(ip) || ip === '0.0.0.0' || ip === '::') && !this.byIp.has(ip);
  }

  private sourceIp(stack: Stack, dstIp: string): string {
    if (this.isSelf(dstIp)) return dstIp === '::1' || dstIp === '::' ? '::1' : dstIp === '0.0.0.0' ? '127.0.0.1' : dstIp;
    const v6 = dstIp.includes(':');
    return stack.ips.find((ip) => ip.includes(':') === v6) ?? stack.ips[0] ?? '127.0.0.1';
  }

  /** The always-local addresses (127.0.0.1, ::1, unspecified): never offered to the routers. */
  private isOwnLoopback(ip: string): boolean {
    return ip === '127.0.0.1' || ip === '::1' || ip === '0.0.0.0' || ip === '::';
  }

  private route(protocol: Protocol, stack: Stack, src: Addr, to: Addr): Outcome {
    let from = src;
    let d: RouteDecision;
    if (this.isSelf(to.ip)) {
      // Other unowned loopback addresses (load balancer IPs) go to the routers first; unclaimed, they are this stack's.
      if (this.isOwnLoopback(to.ip)) return { ok: true, target: stack, dst: to, src, local: src };
      const own = { ip: stack.ips.find((ip) => !ip.includes(':')) ?? stack.ips[0] ?? '127.0.0.1', port: src.port };
      const claimed = this.claim({ protocol, src: own, dst: to, from: stack.identity });
      if (!claimed) return { ok: true, target: stack, dst: to, src, local: src };
      d = claimed;
      from = own;
    } else {
      d = this.decide({ protocol, src, dst: to, from: stack.identity });
    }
    if (d.action === 'reject') return { ok: false, code: 'ECONNREFUSED' };
    if (d.action === 'drop' || d.action === 'next') return { ok: false, code: 'ETIMEDOUT' };
    const target = this.isSelf(d.dst.ip) ? stack : this.byIp.get(d.dst.ip);
    if (!target) return { ok: false, code: 'ETIMEDOUT' };
    return { ok: true, target, dst: d.dst, src: d.srcRewrite ?? from, local: from };
  }

  async connect(stack: Stack, to: Addr, timeoutMs: number): Promise<Conn> {
    const where = `${to.ip}:${to.port}`;
    if (stack.removed) throw new NetError('ENETUNREACH', `connect ENETUNREACH ${where}`);
    const port = stack.tcp.allocate();
    const src = { ip: this.sourceIp(stack, to.ip), port };
    let out: Outcome;
    try {
      out = this.route('TCP', stack, src, to);
    } catch (e) {
      stack.tcp.release(port);
      throw e;
    }
    if (out.ok && !out.target.tcp.bound.has(out.dst.port)) out = { ok: false, code: 'ECONNREFUSED' };
    if (!out.ok) {
      if (out.code === 'ETIMEDOUT') await sleep(timeoutMs);
      stack.tcp.release(port);
      throw new NetError(out.code, `connect ${out.code} ${where}`);
    }
    const accept = out.target.tcp.bound.get(out.dst.port);
    if (!accept || stack.removed || out.target.removed) {
      stack.tcp.release(port);
      throw new NetError('ECONNREFUSED', `connect ECONNREFUSED ${where}`);
    }
    const [client, server] = connPair({ local: out.local, remote: { ip: to.ip, port: to.port } }, { local: out.dst, remote: out.src });
    stack.track(client, () => stack.tcp.release(port));
    out.target.track(server);
    try {
      accept(server);
    } catch (e) {
      client.destroy();
      server.destroy();
      throw e;
    }
    return client;
  }

  sendUdp(stack: Stack, srcPort: number, data: Buffer, to: Addr, onError?: (err: NetError, to: Addr) => void): void {
    if (stack.removed) return;
    const copy = Buffer.from(data);
    const tracked = stack.replies.lookup(srcPort, to);
    if (tracked) {
      const { stack: target, port, from } = tracked;
      setImmediate(() => target.udpPorts.bound.get(port)?.(copy, from));
      return;
    }
    const src = { ip: this.sourceIp(stack, to.ip), port: srcPort };
    const out = this.route('UDP', stack, src, to);
    const refused = (): void => {
      if (onError) setImmediate(() => onError(new NetError('ECONNREFUSED', `send ECONNREFUSED ${to.ip}:${to.port}`), to));
    };
    if (!out.ok) {
      if (out.code === 'ECONNREFUSED') refused();
      return;
    }
    if (!out.target.udpPorts.bound.has(out.dst.port)) return refused();
    out.target.replies.record(out.dst.port, out.src, { ip: to.ip, port: to.port }, stack, srcPort);
    const { target, dst } = out;
    setImmediate(() => target.udpPorts.bound.get(dst.port)?.(copy, out.src));
  }
}

/** Creates an empty cluster network with its host stack. */
export function createNetwork(): Network {
  return new VirtualNetwork();
}
