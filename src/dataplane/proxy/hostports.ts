/**
 * Container `hostPort`s (what the CNI portmap plugin does for kubelet): every running pod's port
 * with a hostPort gets a real listener on its node's address (127.1.N.x) and, for the first pod to
 * claim it, on 127.0.0.1; each accepted connection (or UDP session) is re-opened from the node's
 * stack to `podIP:containerPort` for the outside client. A refused bind (port in use, or below 1024
 * without privilege) is told once — a log line with the way out and a Warning event on the pod —
 * and retried in the background; the cluster keeps running.
 */
import type { Pod } from '../../api/kinds/pod.js';
import type { KObject } from '../../api/meta.js';
import type { ClusterView } from '../../client/view.js';
import { describeLimitHit, type ConnectionBudget } from '../../net/budget.js';
import type { Network } from '../../net/types.js';
import { isLoopback } from '../../net/ip.js';
import { listenHost, type Entry } from './bridge.js';
import { BIND_RETRY_MS } from './listeners.js';

/** The reason of the Warning event on a pod whose hostPort cannot be opened (as the service proxy's). */
export const HOST_PORT_FAILED_REASON = 'FailedToBindPort';
/** The reason of the Warning event on a pod whose hostPort refuses connections at its cap (as the service proxy's). */
export const HOST_PORT_LIMIT_REASON = 'ConnectionLimitReached';

/** One wanted host socket. */
export interface HostPortBind {
  protocol: 'TCP' | 'UDP';
  ip: string;
  port: number;
  /** `namespace/name` of the pod. */
  pod: string;
  podIP: string;
  containerPort: number;
  /** The node whose stack carries the traffic. */
  nodeIP: string;
}

/** Options of the hostPort listeners. */
export interface HostPortOptions {
  view: ClusterView;
  network: Network;
  nodes: readonly { name: string; ip: string }[];
  log(line: string): void;
  recordEvent?(obj: KObject, type: 'Normal' | 'Warning', reason: string, message: string): void;
  /** Extra advice for a refused port (e.g. the `knet up` flags that move the ingress addon's ports). */
  hint?(b: HostPortBind): string | undefined;
  /** The process's host connection budget: each socket gets a gate (absent: no cap). */
  connections?: ConnectionBudget;
}

/** Running hostPort listeners. */
export interface HostPorts {
  /** Resolves when every bind started so far has finished (bound or refused). */
  synced(): Promise<void>;
  /** Bound sockets, `TCP 127.0.0.1:80`, sorted. */
  bound(): string[];
  /** Refused sockets and why, by key. */
  refused(): ReadonlyMap<string, string>;
  stop(): void;
}

const keyOf = (b: { protocol: string; ip: string; port: number }): string => `${b.protocol} ${b.ip}:${b.port}`;
const same = (a: HostPortBind, b: HostPortBind): boolean => a.pod === b.pod && a.podIP === b.podIP && a.containerPort === b.containerPort && a.nodeIP === b.nodeIP;

/** The host sockets the running pods ask for; the oldest pod wins a contested address. */
export function wantedHostPorts(pods: readonly Pod[], nodes: readonly { name: string; ip: string }[]): Map<string, HostPortBind> {
  const want = new Map<string, HostPortBind>();
  const running = pods.filter((p) => p.status?.phase === 'Running' && p.status.podIP && p.spec?.nodeName)
    .sort((a, b) => (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? '') || (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
  for (const p of running) {
    const nodeIP = nodes.find((n) => n.name === p.spec?.nodeName)?.ip;
    if (!nodeIP) continue;
    for (const c of p.spec?.containers ?? []) {
      for (const cp of c.ports ?? []) {
        if (!cp.hostPort || (cp.protocol ?? 'TCP') === 'SCTP') continue;
        const protocol = (cp.protocol ?? 'TCP') as 'TCP' | 'UDP';
        const ips = cp.hostIP && cp.hostIP !== '0.0.0.0' ? [cp.hostIP] : [nodeIP, '127.0.0.1'];
        for (const ip of ips) {
          const b: HostPortBind = { protocol, ip, port: cp.hostPort, pod: `${p.metadata.namespace ?? ''}/${p.metadata.name ?? ''}`, podIP: p.status!.podIP!, containerPort: cp.containerPort, nodeIP };
          if (!want.has(keyOf(b))) want.set(keyOf(b), b);
        }
      }
    }
  }
  return want;
}

interface Live { bind: HostPortBind; close(): void }

/** Starts binding the cluster's hostPorts. */
export function startHostPorts(o: HostPortOptions): HostPorts {
  const live = new Map<string, Live>();
  const failed = new Map<string, { bind: HostPortBind; why: string }>();
  const pending = new Set<Promise<void>>();
  let want = new Map<string, HostPortBind>();
  let scheduled = false;
  let stopped = false;

  const refuse = (key: string, b: HostPortBind, err: NodeJS.ErrnoException): void => {
    const prev = failed.get(key);
    failed.set(key, { bind: b, why: err.code ?? err.message });
    if (prev && same(prev.bind, b)) return;
    const why = err.code === 'EACCES' ? 'EACCES: ports below 1024 need privilege (root or CAP_NET_BIND_SERVICE)'
      : err.code === 'EADDRINUSE' ? 'EADDRINUSE: something else listens there' : `${err.code ?? 'error'}: ${err.message}`;
    const advice = o.hint?.(b) ?? "change the pod's hostPort";
    const msg = `can't open hostPort ${b.ip}:${b.port}/${b.protocol.toLowerCase()} for pod ${b.pod} (${why}); it stays unreachable there (retried every ${BIND_RETRY_MS / 1000} s): ${advice}`;
    o.log(`hostPort: ${msg}`);
    const [ns = '', name = ''] = b.pod.split('/');
    const pod = o.view.pods.get(ns, name);
    if (pod) o.recordEvent?.(pod, 'Warning', HOST_PORT_FAILED_REASON, msg);
  };

  const open = (key: string, b: HostPortBind): void => {
    const stack = o.network.stackFor(b.nodeIP);
    if (!isLoopback(b.ip) || !stack) { refuse(key, b, Object.assign(new Error(`${b.ip} is not a loopback address; knet only listens on 127.0.0.0/8`), { code: 'EADDRNOTAVAIL' })); return; }
    const entry: Entry = { stack, dst: { ip: b.podIP, port: b.containerPort } };
    const gate = o.connections?.gate((hit) => {
      const msg = describeLimitHit(`hostPort ${b.ip}:${b.port}/${b.protocol.toLowerCase()} of pod ${b.pod}`, hit);
      o.log(`hostPort: ${msg}`);
      const [ns = '', name = ''] = b.pod.split('/');
      const pod = o.view.pods.get(ns, name);
      if (pod) o.recordEvent?.(pod, 'Warning', HOST_PORT_LIMIT_REASON, msg);
    });
    const { close, started } = listenHost(entry, b.protocol, b.ip, b.port, gate);
    const l: Live = { bind: b, close };
    live.set(key, l);
    const p = started.then(() => {
      failed.delete(key);
      if (stopped || live.get(key) !== l) l.close();
    }, (err: NodeJS.ErrnoException) => {
      if (live.get(key) === l) live.delete(key);
      l.close();
      const w = want.get(key);
      if (!stopped && w && same(w, b)) refuse(key, b, err);
    });
    pending.add(p);
    void p.finally(() => pending.delete(p));
  };

  const reconcile = (): void => {
    scheduled = false;
    if (stopped) return;
    want = wantedHostPorts(o.view.pods.list(), o.nodes);
    for (const [k, l] of live) {
      const w = want.get(k);
      if (!w || !same(w, l.bind)) { l.close(); live.delete(k); }
    }
    for (const [k, f] of failed) if (!want.has(k) || !same(want.get(k)!, f.bind)) failed.delete(k);
    for (const [k, b] of want) if (!live.has(k) && !failed.has(k)) open(k, b);
  };
  const schedule = (): void => {
    if (scheduled || stopped) return;
    scheduled = true;
    setImmediate(reconcile);
  };
  const retry = setInterval(() => {
    for (const [k, f] of failed) { const w = want.get(k); if (!live.has(k) && w && same(w, f.bind)) open(k, w); }
  }, BIND_RETRY_MS);
  retry.unref();
  const unsubscribe = o.view.pods.subscribe({ add: schedule, update: schedule, delete: schedule });

  return {
    synced: async () => {
      while (scheduled) await new Promise((r) => setImmediate(r));
      while (pending.size) await Promise.all([...pending]);
    },
    bound: () => [...live.keys()].filter((k) => !failed.has(k)).sort(),
    refused: () => new Map([...failed].map(([k, f]) => [k, f.why])),
    stop: () => {
      stopped = true;
      unsubscribe();
      clearInterval(retry);
      for (const l of live.values()) l.close();
      live.clear();
    },
  };
}
