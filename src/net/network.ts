/**
 * The cluster network: stacks by IP, the flow pipeline, and flow setup for TCP connections, SCTP
 * associations and UDP datagrams (planning, refusal, drops, and UDP conntrack for established flows and replies).
 */
import { connPair } from './conn.js';
import { isLoopback } from './ip.js';
import type { Filter, Flow, FlowPlan, Peer, Translator } from './flow.js';
import { FlowPipeline } from './pipeline.js';
import { Stack, type Dial, type Fabric } from './stack.js';
import { sleep } from './sleep.js';
import { handOver } from './handover.js';
import { NetError, type Addr, type Conn, type NetStack, type Network, type NetworkOptions, type Protocol, type StackIdentity } from './types.js';

/** Where a flow ends up, or why it does not. */
type Outcome =
  | { ok: true; target: Stack; dst: Addr; src: Addr; local: Addr; plan?: FlowPlan }
  | { ok: false; code: 'ECONNREFUSED' | 'ETIMEDOUT' };

/** The Network implementation. */
export class VirtualNetwork implements Network, Fabric {
  private readonly byIp = new Map<string, Stack>();
  private readonly stacks = new Set<Stack>();
  private readonly pipeline = new FlowPipeline((ip, flow) => this.locate(ip, flow));
  readonly host: NetStack;

  constructor(private readonly opts: NetworkOptions = {}) {
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

  addTranslator(t: Translator): () => void {
    return this.pipeline.addTranslator(t);
  }

  addFilter(f: Filter): () => void {
    return this.pipeline.addFilter(f);
  }

  plan(flow: Flow): FlowPlan {
    return this.pipeline.plan(flow);
  }

  commit(plan: FlowPlan): void {
    this.pipeline.commit(plan);
  }

  /** A stack's owner as a flow sees it now: a pod's labels as of this moment (the Peer is reused while no pod changed, or its labels are the same object). */
  private peerOf(stack: Stack, ip: string): Peer {
    const id = stack.identity;
    const last = stack.peer;
    const dir = this.opts.pods;
    if (last && last.ip === ip && (id.kind !== 'pod' || (dir !== undefined && stack.peerVersion === dir.version))) return last;
    const labels = id.kind === 'pod' && id.namespace && id.name ? dir?.labels(id.namespace, id.name) : undefined;
    stack.peerVersion = dir?.version;
    if (last && last.ip === ip && last.labels === labels) return last;
    let p: Peer;
    if (id.kind === 'pod') p = { kind: 'pod', ip, namespace: id.namespace, name: id.name, node: id.nodeName, labels };
    else if (id.kind === 'node') p = { kind: 'node', ip, name: id.name, node: id.nodeName ?? id.name };
    else p = { kind: 'host', ip };
    return (stack.peer = Object.freeze(p));
  }

  /** Who owns an address for a flow: a stack, or the sender itself for its unowned loopback addresses. */
  private locate(ip: string, flow: Flow): Peer | undefined {
    const s = this.byIp.get(ip);
    if (s) return this.peerOf(s, ip);
    return this.isSelf(ip) ? flow.from : undefined;
  }

  /** A new flow from a stack (or, with `client`, forwarded by it for an outside client). */
  private flowOf(protocol: Protocol, stack: Stack, src: Addr, dst: Addr, client: Addr | undefined): Flow {
    const id = stack.identity;
    return {
      protocol, dst, src: client ?? src, from: client ? { kind: 'outside', ip: client.ip } : this.peerOf(stack, src.ip),
      node: id.nodeName ?? (id.kind === 'node' ? id.name : undefined), seed: (this.opts.random ?? Math.random)(), at: (this.opts.now ?? Date.now)(),
    };
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

  /** The always-local addresses (127.0.0.1, ::1, unspecified): never planned, never filtered. */
  private isOwnLoopback(ip: string): boolean {
    return ip === '127.0.0.1' || ip === '::1' || ip === '0.0.0.0' || ip === '::';
  }

  private route(protocol: Protocol, stack: Stack, src: Addr, to: Addr, client: Addr | undefined): Outcome {
    if (!client && this.isOwnLoopback(to.ip)) return { ok: true, target: stack, dst: to, src, local: src };
    // Other unowned loopback addresses (load balancer IPs) are offered to the translators; unclaimed, they are this stack's own.
    const self = this.isSelf(to.ip);
    const from = self && !client ? { ip: stack.ips.find((ip) => !ip.includes(':')) ?? stack.ips[0] ?? '127.0.0.1', port: src.port } : src;
    const plan = this.pipeline.plan(this.flowOf(protocol, stack, from, to, client));
    if (self && !plan.translated) return { ok: true, target: stack, dst: to, src, local: src };
    if (plan.verdict === 'drop' && plan.trace.at(-1)?.stage === 'filter') this.opts.onDrop?.(plan);
    if (plan.verdict !== 'deliver') return { ok: false, code: plan.verdict === 'reject' ? 'ECONNREFUSED' : 'ETIMEDOUT' };
    this.pipeline.commit(plan);
    // A delivered plan's destination is owned (the pipeline routed it), or is the sender's own loopback.
    const target = this.byIp.get(plan.dst.ip) ?? stack;
    // Outside clients masqueraded to a node address get a port of that node's stack, so two clients sharing a port stay apart.
    const delivered = client && plan.src.ip !== client.ip ? { ip: plan.src.ip, port: src.port } : plan.src;
    return { ok: true, target, dst: plan.dst, src: delivered, local: from, plan };
  }

  async connect(stack: Stack, to: Addr, dial: Dial): Promise<Conn> {
    const where = `${to.ip}:${to.port}`;
    if (stack.removed) throw new NetError('ENETUNREACH', `connect ENETUNREACH ${where}`);
    const ports = stack.ports(dial.protocol);
    const port = ports.allocate();
    const release = (): void => ports.release(port);
    const src = { ip: this.sourceIp(stack, to.ip), port };
    let out: Outcome;
    try {
      out = this.route(dial.protocol, stack, src, to, dial.client);
    } catch (e) {
      release();
      throw e;
    }
    // Refused (a RST for TCP, an ABORT for SCTP) when nothing listens on the protocol's own port.
    if (out.ok && !out.target.ports(dial.protocol).bound.has(out.dst.port)) out = { ok: false, code: 'ECONNREFUSED' };
    if (!out.ok) {
      const interrupted = out.code === 'ETIMEDOUT' && !(await sleep(dial.timeoutMs, dial.signal));
      release();
      const code = interrupted ? 'EINTR' : out.code;
      throw new NetError(code, `connect ${code} ${where}`);
    }
    const accept = out.target.ports(dial.protocol).bound.get(out.dst.port);
    if (!accept || stack.removed || out.target.removed) {
      release();
      throw new NetError('ECONNREFUSED', `connect ECONNREFUSED ${where}`);
    }
    if (dial.adopt && accept.hostSockets) return handOver(dial.adopt, out.target, out.dst, out.src, accept, release);
    const [clientEnd, server] = connPair({ local: out.local, remote: { ip: to.ip, port: to.port } }, { local: out.dst, remote: out.src });
    stack.track(clientEnd, release);
    out.target.track(server);
    try {
      accept(server);
    } catch (e) {
      clientEnd.destroy();
      server.destroy();
      throw e;
    }
    return clientEnd;
  }

  sendUdp(stack: Stack, srcPort: number, data: Buffer, to: Addr, onError?: (err: NetError, to: Addr) => void, client?: Addr): void {
    if (stack.removed) return;
    const copy = Buffer.from(data);
    const reply = stack.replies.get(srcPort, to);
    if (reply) {
      setImmediate(() => reply.stack.udpPorts.bound.get(reply.port)?.(copy, reply.from));
      return;
    }
    const refused = (): void => {
      if (onError) setImmediate(() => onError(new NetError('ECONNREFUSED', `send ECONNREFUSED ${to.ip}:${to.port}`), to));
    };
    let est = stack.flows.get(srcPort, to);
    if (est?.plan && !this.pipeline.holds(est.plan)) {
      stack.flows.delete(srcPort, to);
      est = undefined;
    }
    if (!est) {
      const out = this.route('UDP', stack, { ip: this.sourceIp(stack, to.ip), port: srcPort }, to, client);
      if (!out.ok) {
        if (out.code === 'ECONNREFUSED') refused();
        return;
      }
      est = { plan: out.plan, stack: out.target, dst: out.dst, src: out.src, reply: { from: { ip: to.ip, port: to.port }, stack, port: srcPort } };
      if (out.plan) stack.flows.set(srcPort, to, est);
    }
    const { stack: target, dst, src, reply: back } = est;
    if (!target.udpPorts.bound.has(dst.port)) return refused();
    target.replies.set(dst.port, src, back);
    setImmediate(() => target.udpPorts.bound.get(dst.port)?.(copy, src));
  }
}

/** Creates an empty cluster network with its host stack. */
export function createNetwork(opts: NetworkOptions = {}): Network {
  return new VirtualNetwork(opts);
}
