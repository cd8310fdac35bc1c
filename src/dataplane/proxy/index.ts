/**
 * The service proxy (kube-proxy for the virtual network): informers feed a change tracker, each
 * coalesced sync swaps in a new immutable table used by the translator (the first phase of the
 * network's flow pipeline), and host listeners serve NodePorts and LoadBalancer IPs on loopback
 * addresses.
 */
import type { KObject } from '../../api/meta.js';
import type { ClusterView } from '../../client/view.js';
import { describeLimitHit, type ConnectionBudget, type LimitHit } from '../../net/budget.js';
import type { Network } from '../../net/types.js';
import { bridgeApiServer } from './apiserver.js';
import { withApiServerEndpoint } from './compile.js';
import { dumpProxyTable } from './dump.js';
import { HostListeners } from './listeners.js';
import { HealthCheckServers } from './healthcheck.js';
import { ServiceTranslator } from './translator.js';
import type { Bind } from './table.js';
import { ChangeTracker, type SyncBatch } from './tracker.js';

/** The reason of the Warning event recorded when a host port cannot be opened. */
export const BIND_FAILED_REASON = 'FailedToBindPort';

/** The reason of the Warning event recorded when a NodePort or load balancer socket refuses connections at its cap. */
export const CONNECTION_LIMIT_REASON = 'ConnectionLimitReached';

/** The Service whose endpoint is the API server. */
const KUBERNETES_SERVICE = 'default/kubernetes';

/** Options of the service proxy. */
export interface ServiceProxyOptions {
  /** The cluster view the proxy compiles from. */
  view: ClusterView;
  network: Network;
  /** The emulated nodes; the first is the control plane (it receives 127.0.0.1 NodePort traffic and bridges the API server). */
  nodes: { name: string; ip: string }[];
  /** The real API server port on 127.0.0.1 (the `kubernetes` Service's endpoint port). */
  apiPort: number;
  recordEvent?(obj: KObject, type: 'Normal' | 'Warning', reason: string, message: string): void;
  log?(line: string): void;
  /** The process's host connection budget (caps per socket, a pool that keeps the API server's reserve); absent: no caps. */
  connections?: ConnectionBudget;
  /** Coalescing delay of syncs (default 1 ms). */
  minSyncMs?: number;
}

/** A running service proxy. */
export interface ServiceProxy {
  stop(): void;
  /** Resolves when every change seen so far is applied and host sockets are bound (or refused). */
  synced(): Promise<void>;
  /** The compiled state as stable text. */
  dumpTable(): string;
  /** The translator installed in the network's flow pipeline. */
  readonly translator: ServiceTranslator;
  /** Host sockets currently bound (`TCP 127.0.0.1:30080`, …). */
  bound(): string[];
}

function touchesHost(batch: SyncBatch, translator: ServiceTranslator): boolean {
  if (batch.nodes) return true;
  for (const [svc, ports] of batch.services) {
    for (const sp of [...(translator.table.services.get(svc) ?? []), ...(ports ?? [])]) if (sp.nodePort || sp.loadBalancerIPs.length) return true;
  }
  return false;
}

/** Starts the service proxy and installs its translator in the network's flow pipeline. */
export function startServiceProxy(opts: ServiceProxyOptions): ServiceProxy {
  const log = opts.log ?? ((l: string) => console.error(l));
  const translator = new ServiceTranslator(opts.nodes);
  const cp = opts.nodes[0];
  const onBindError = (b: Bind, err: NodeJS.ErrnoException): void => {
    const what = b.kind === 'nodePort' ? `nodePort ${b.port}` : `load balancer ${b.ip}:${b.port}`;
    const msg = `can't open port ${b.ip}:${b.port}/${b.protocol.toLowerCase()} (${what} for Service ${b.sp.key}), skipping it: ${err.code ?? 'error'}: ${err.message}`;
    log(`service proxy: ${msg}`);
    const svc = tracker.service(b.sp.service);
    if (svc && opts.recordEvent) opts.recordEvent(svc, 'Warning', BIND_FAILED_REASON, msg);
  };
  const onConnectionLimit = (b: Bind, hit: LimitHit): void => {
    const what = b.kind === 'nodePort' ? `nodePort ${b.port}` : `load balancer ${b.ip}:${b.port}`;
    const msg = describeLimitHit(`${b.ip}:${b.port}/${b.protocol.toLowerCase()} (${what} for Service ${b.sp.key})`, hit);
    log(`service proxy: ${msg}`);
    const svc = tracker.service(b.sp.service);
    if (svc && opts.recordEvent) opts.recordEvent(svc, 'Warning', CONNECTION_LIMIT_REASON, msg);
  };
  const listeners = new HostListeners({ translator, network: opts.network, onBindError, connections: opts.connections, onConnectionLimit });
  const health = new HealthCheckServers(log);
  const tracker = new ChangeTracker({
    view: opts.view, nodes: opts.nodes, minSyncMs: opts.minSyncMs, log,
    apply: (batch) => {
      const api = batch.services.get(KUBERNETES_SERVICE);
      if (api && cp) batch.services.set(KUBERNETES_SERVICE, withApiServerEndpoint(api, cp, opts.apiPort));
      const host = touchesHost(batch, translator);
      translator.setTable(translator.table.with(batch.services, batch.nodes));
      if (host) {
        listeners.reconcile(translator.table);
        health.reconcile(translator.table);
      }
    },
  });
  const uninstall = opts.network.addTranslator(translator);
  const api = cp ? bridgeApiServer(opts.network, cp.ip, opts.apiPort, log, opts.connections) : undefined;
  tracker.start();
  return {
    translator,
    stop: () => {
      tracker.stop();
      listeners.close();
      health.close();
      api?.close();
      uninstall();
    },
    synced: async () => {
      await tracker.synced();
      await listeners.idle();
    },
    dumpTable: () => dumpProxyTable(translator.table),
    bound: () => listeners.bound(),
  };
}

export { ServiceTranslator } from './translator.js';
export { ProxyTable } from './table.js';
export { compileService } from './compile.js';
export { dumpProxyTable } from './dump.js';
