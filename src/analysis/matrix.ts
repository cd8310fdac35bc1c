/**
 * The connectivity truth table: for each port/protocol key, every source pod × destination pod
 * verdict, computed from the compiled policies as the filter judges a direct pod-to-pod flow.
 */
import type { Pod } from '../api/kinds/pod.js';
import type { Protocol } from '../net/types.js';
import type { Model } from './model.js';

/** A port and protocol, printed `TCP/80`. */
export interface PortKey { readonly protocol: Protocol; readonly port: number }

/** One computed table per key: `cells[src][dst]` true when allowed. */
export interface TruthTable {
  /** Pod names as printed (`ns/name`), in row and column order. */
  readonly pods: readonly string[];
  readonly keys: readonly PortKey[];
  /** Per key (`TCP/80`): rows of booleans, one per source, indexed like `pods`. */
  readonly cells: ReadonlyMap<string, readonly (readonly boolean[])[]>;
}

/** `TCP/80`. */
export function keyName(k: PortKey): string {
  return `${k.protocol}/${k.port}`;
}

const SYSTEM = new Set(['kube-system', 'kube-public', 'kube-node-lease', 'ingress-nginx']);

/** The pods of the table: those of the given namespaces, else of every namespace but the system ones. */
export function tablePods(model: Model, namespaces: readonly string[]): Pod[] {
  const all = [...model.pods.values()].filter((p) => !p.spec?.hostNetwork);
  const inNs = namespaces.length ? all.filter((p) => namespaces.includes(p.metadata.namespace ?? 'default')) : all.filter((p) => !SYSTEM.has(p.metadata.namespace ?? 'default'));
  return inNs.sort((a, b) => name(a).localeCompare(name(b)));
}

function name(p: Pod): string {
  return `${p.metadata.namespace ?? 'default'}/${p.metadata.name ?? ''}`;
}

/** The keys to tabulate: the given ports × protocols, else every container port the pods declare (of the given protocols). */
export function tableKeys(pods: readonly Pod[], ports: readonly number[], protocols: readonly Protocol[]): PortKey[] {
  if (ports.length) return (protocols.length ? protocols : ['TCP' as Protocol]).flatMap((protocol) => ports.map((port) => ({ protocol, port })));
  const seen = new Map<string, PortKey>();
  for (const p of pods) {
    for (const c of p.spec?.containers ?? []) {
      for (const cp of c.ports ?? []) {
        const k = { protocol: (cp.protocol ?? 'TCP') as Protocol, port: cp.containerPort };
        if (!protocols.length || protocols.includes(k.protocol)) seen.set(keyName(k), k);
      }
    }
  }
  const keys = [...seen.values()].sort((a, b) => a.port - b.port || a.protocol.localeCompare(b.protocol));
  return keys.length ? keys : [{ protocol: protocols[0] ?? 'TCP', port: 80 }];
}

/** Computes the table (a verdict per source, destination and key). */
export function truthTable(model: Model, pods: readonly Pod[], keys: readonly PortKey[]): TruthTable {
  const peers = pods.map((p) => model.peerOf(p));
  const cells = new Map<string, boolean[][]>();
  for (const k of keys) {
    cells.set(keyName(k), peers.map((from) => peers.map((to) => model.engine.judge(from, to, k.port, k.protocol).allow)));
  }
  return { pods: pods.map(name), keys, cells };
}
