/**
 * The descriptor budget of a process's host connections. Every accepted host socket costs a file
 * descriptor, and one process holds the store, the API server and every host listener under one
 * RLIMIT_NOFILE. The data plane's listeners (NodePort, LoadBalancer and hostPort bridges, DNS over
 * TCP, pods' connections to the API server) share a pool that leaves a reserve for the API server,
 * and each listener takes at most a quarter of that pool, so idle clients of one port starve
 * neither kubectl nor the other ports (as nginx's worker_connections bounds each worker).
 */

/** Descriptors left for the process's own files: the store, logs, the PKI, child processes. */
export const OWN_DESCRIPTORS = 64;
/** The smallest cap any listener gets, however low the limit. */
export const MIN_CONNECTIONS = 8;
/** How often a listener that stays at its cap says so again. */
export const LIMIT_REPORT_INTERVAL_MS = 60_000;

/** How a descriptor limit is shared. */
export interface DescriptorPlan {
  /** The soft RLIMIT_NOFILE the plan is for. */
  readonly limit: number;
  /** Descriptors open when the plan was made. */
  readonly inUse: number;
  /** Connections the API server accepts at once. */
  readonly apiServer: number;
  /** Host connections all data-plane listeners hold together. */
  readonly dataPlane: number;
  /** Host connections one data-plane listener holds. */
  readonly perListener: number;
}

/** The API server's reserve: a quarter of the limit, between 32 and 1024 descriptors. */
export function apiServerReserve(limit: number): number {
  return Math.max(32, Math.min(1024, Math.floor(limit / 4)));
}

/** Shares `limit` descriptors, `inUse` of them already open, between the API server and the data plane. */
export function planDescriptors(limit: number, inUse: number): DescriptorPlan {
  const free = Math.max(0, limit - inUse - OWN_DESCRIPTORS);
  const reserve = apiServerReserve(limit);
  const dataPlane = Math.max(MIN_CONNECTIONS, free - reserve);
  const apiServer = Math.max(MIN_CONNECTIONS, free - Math.min(reserve, dataPlane));
  return { limit, inUse, apiServer, dataPlane, perListener: Math.max(MIN_CONNECTIONS, Math.floor(dataPlane / 4)) };
}

/** Why a connection was refused: its listener's cap or the data plane's pool, and how many were refused since the last report. */
export interface LimitHit { readonly scope: 'listener' | 'data plane'; readonly cap: number; readonly refused: number }

/** Something that closes once (a net.Socket or a virtual connection). */
interface Closable { once(event: 'close', fn: () => void): unknown }

/** The connections of one listener, counted against its cap and the shared pool. */
export class ConnectionGate {
  private count = 0;
  private refused = 0;
  private lastReport = -Infinity;

  constructor(private readonly pool: ConnectionBudget, readonly cap: number, private readonly onLimit?: (hit: LimitHit) => void) {}

  /** Connections open now. */
  get open(): number { return this.count; }

  /** Counts a new connection until it closes; false (and a report at most once a minute) when it must be refused. */
  admit(sock: Closable): boolean {
    const scope = this.count >= this.cap ? 'listener' : this.pool.full ? 'data plane' : undefined;
    if (scope) {
      this.refused++;
      const now = this.pool.now();
      if (now - this.lastReport >= LIMIT_REPORT_INTERVAL_MS) {
        this.lastReport = now;
        this.onLimit?.({ scope, cap: scope === 'listener' ? this.cap : this.pool.plan.dataPlane, refused: this.refused });
        this.refused = 0;
      }
      return false;
    }
    this.count++;
    this.pool.take();
    sock.once('close', () => { this.count--; this.pool.release(); });
    return true;
  }
}

/** One process's (one cluster's) budget: the plan and the data plane's open connections. */
export class ConnectionBudget {
  private inPool = 0;

  constructor(readonly plan: DescriptorPlan, readonly now: () => number = Date.now) {}

  /** Host connections the data plane holds now. */
  get open(): number { return this.inPool; }

  /** Whether the data plane's pool is exhausted. */
  get full(): boolean { return this.inPool >= this.plan.dataPlane; }

  /** A gate for one data-plane listener (`onLimit` hears when it refuses). */
  gate(onLimit?: (hit: LimitHit) => void): ConnectionGate {
    return new ConnectionGate(this, this.plan.perListener, onLimit);
  }

  /** Counts one connection in the pool (gates call this). */
  take(): void { this.inPool++; }

  /** Releases one connection of the pool (gates call this). */
  release(): void { this.inPool--; }
}

/** The log line of a refused connection. */
export function describeLimitHit(what: string, hit: LimitHit): string {
  const why = hit.scope === 'listener' ? `${hit.cap} connections are open there` : `the host listeners hold ${hit.cap} connections, all the descriptors they may use (the rest are kept for the API server)`;
  return `${what}: refusing new connections: ${why}; ${hit.refused} refused since the last such message (raise the open-files limit, ulimit -n, to allow more)`;
}

/** The start-up line about the plan. */
export function describePlan(p: DescriptorPlan): string {
  return `descriptors: limit ${p.limit}, ${p.inUse} in use; host listeners hold at most ${p.dataPlane} connections (${p.perListener} each), the API server ${p.apiServer}`;
}
