/**
 * Real host sockets for NodePorts (every node IP and 127.0.0.1) and LoadBalancer ingress IPs,
 * opened and closed as the table changes. A refused bind becomes a warning, never a crash, and
 * is retried in the background without repeating the warning.
 */
import type { ConnectionBudget, LimitHit } from '../../net/budget.js';
import type { Network } from '../../net/types.js';
import { isLoopback } from '../../net/ip.js';
import { entryFor, listenHost } from './bridge.js';
import type { ServiceTranslator } from './translator.js';
import type { Bind, ProxyTable } from './table.js';

/** How often refused binds are retried. */
export const BIND_RETRY_MS = 5000;

/** Options of the host listeners. */
export interface HostListenerOptions {
  translator: ServiceTranslator;
  network: Network;
  /** Told once per refused bind (until it succeeds or moves to another Service). */
  onBindError(b: Bind, err: NodeJS.ErrnoException): void;
  /** The process's host connection budget: each socket gets a gate (absent: no cap). */
  connections?: ConnectionBudget;
  /** Told when a socket refuses a connection at its cap (at most once a minute per socket). */
  onConnectionLimit?(b: Bind, hit: LimitHit): void;
}

interface Live { bind: Bind; close(): void }

/** The set of host sockets the proxy keeps. */
export class HostListeners {
  private readonly live = new Map<string, Live>();
  private readonly failed = new Map<string, string>();
  private readonly pending = new Set<Promise<void>>();
  private readonly retry: NodeJS.Timeout;
  private want = new Map<string, Bind>();
  private closed = false;

  constructor(private readonly opts: HostListenerOptions) {
    this.retry = setInterval(() => this.retryFailed(), BIND_RETRY_MS);
    this.retry.unref();
  }

  /** Opens and closes sockets to match a table. */
  reconcile(t: ProxyTable): void {
    if (this.closed) return;
    this.want = t.binds();
    for (const [k, l] of this.live) if (!this.want.has(k)) { l.close(); this.live.delete(k); }
    for (const [k, svc] of this.failed) if (this.want.get(k)?.sp.service !== svc) this.failed.delete(k);
    for (const [k, b] of this.want) if (!this.live.has(k) && !this.failed.has(k)) this.open(k, b);
  }

  /** Resolves when every bind started so far has finished (bound or refused). */
  async idle(): Promise<void> {
    while (this.pending.size) await Promise.all([...this.pending]);
  }

  /** The keys of the sockets currently bound. */
  bound(): string[] {
    return [...this.live.keys()].sort();
  }

  /** Closes every socket. */
  close(): void {
    this.closed = true;
    clearInterval(this.retry);
    for (const l of this.live.values()) l.close();
    this.live.clear();
  }

  private retryFailed(): void {
    for (const [k] of this.failed) {
      const b = this.want.get(k);
      if (b && !this.live.has(k)) this.open(k, b);
    }
  }

  /** Records a socket that cannot be opened (told once, retried with the others). */
  private refuse(key: string, b: Bind, why: string): void {
    if (!this.failed.has(key)) this.opts.onBindError(b, Object.assign(new Error(why), { code: 'EADDRNOTAVAIL' }));
    this.failed.set(key, b.sp.service);
  }

  private open(key: string, b: Bind): void {
    if (!isLoopback(b.ip)) return this.refuse(key, b, `${b.ip} is not a loopback address; knet only listens on 127.0.0.0/8`);
    const entryPoint = entryFor(this.opts.translator.table, this.opts.network, b);
    if (!entryPoint) return this.refuse(key, b, `no node stack receives ${b.ip}`);
    const gate = this.opts.connections?.gate((hit) => this.opts.onConnectionLimit?.(b, hit));
    const { close, started } = listenHost(entryPoint, b.protocol, b.ip, b.port, gate);
    const entry: Live = { bind: b, close };
    this.live.set(key, entry);
    const p = started.then(() => {
      this.failed.delete(key);
      if (this.closed || this.live.get(key) !== entry) entry.close();
    }, (err: NodeJS.ErrnoException) => {
      if (this.live.get(key) === entry) this.live.delete(key);
      entry.close();
      const first = !this.failed.has(key);
      this.failed.set(key, b.sp.service);
      if (first) this.opts.onBindError(b, err);
    });
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p));
  }
}
