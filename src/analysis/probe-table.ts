/**
 * `knet connectivity --probe`: every cell of a computed truth table probed through the running
 * cluster's pod network (pod to pod IP, the key's port and protocol), and the comparison of the two
 * as Cyclonus prints it (`.` same, `X` different).
 */
import { apiRequest } from './apiclient.js';
import type { ClusterAccess } from './kubeconfig.js';
import { keyName, type TruthTable } from './matrix.js';
import type { Model } from './model.js';
import { PROBE_CONCURRENCY, PROBE_PATH, passed, type ProbeResult, type ProbeSpec } from './probe.js';

/** Sends probes and answers in order. */
export type Prober = (specs: ProbeSpec[]) => Promise<ProbeResult[]>;

/** Probe results per key: `[src][dst]`, indexed like the table's pods. */
export type ProbeResults = Map<string, ProbeResult[][]>;

/** How the probes compare with the computed table. */
export interface ProbeComparison {
  /** `cells[src][dst]` true where the probe agrees (printed `.`), false where it differs (`X`). */
  readonly same: TruthTable;
  /** One line per differing cell. */
  readonly diffs: string[];
  readonly correct: number;
  readonly total: number;
  /** Cells the network let through to a port where nothing listens (agreeing with an allowed cell). */
  readonly refused: number;
}

const BATCH = 512;

/** A prober that POSTs batches to a knet API server's probe endpoint. */
export function remoteProber(access: ClusterAccess, timeoutMs: number): Prober {
  return async (specs) => {
    const out: ProbeResult[] = [];
    for (let i = 0; i < specs.length; i += BATCH) {
      const probes = specs.slice(i, i + BATCH);
      const wait = Math.ceil(probes.length / PROBE_CONCURRENCY) * timeoutMs + 30_000;
      const answer = await apiRequest(access, 'POST', PROBE_PATH, { probes }, {}, wait) as { results?: ProbeResult[] };
      out.push(...(answer.results ?? []));
    }
    return out;
  };
}

/** Probes every cell of the table (each key, source, destination) from the source pod to the destination pod's IP. */
export async function probeTable(t: TruthTable, model: Model, prober: Prober, timeoutMs: number): Promise<ProbeResults> {
  const ips = t.pods.map((p) => model.pods.get(p)?.status?.podIP ?? '');
  const specs: ProbeSpec[] = t.keys.flatMap((k) => t.pods.flatMap((from) => ips.map((ip) => ({ from, to: { ip, port: k.port }, protocol: k.protocol, timeoutMs }))));
  const results = await prober(specs);
  if (results.length !== specs.length) throw new Error(`the probe endpoint answered ${results.length} of ${specs.length} probes`);
  const n = t.pods.length;
  return new Map(t.keys.map((k, ki) => [keyName(k), t.pods.map((_, s) => results.slice((ki * n + s) * n, (ki * n + s + 1) * n))]));
}

const word = (allowed: boolean): string => (allowed ? '. (allowed)' : 'X (blocked)');

/** Compares probe results with the computed table, cell by cell. */
export function compareProbes(t: TruthTable, results: ProbeResults): ProbeComparison {
  const diffs: string[] = [];
  let correct = 0, total = 0, refused = 0;
  const cells = new Map<string, boolean[][]>();
  for (const k of t.keys) {
    const name = keyName(k);
    const computed = t.cells.get(name)!;
    const probed = results.get(name)!;
    cells.set(name, t.pods.map((src, i) => t.pods.map((dst, j) => {
      const r = probed[i]![j]!, want = computed[i]![j]!;
      total++;
      const same = r.outcome !== 'error' && passed(r) === want;
      if (same) { correct++; if (r.outcome === 'refused') refused++; return true; }
      diffs.push(`${name} ${src} -> ${dst}: computed ${word(want)}, probe ${r.outcome}${r.detail ? ` (${r.detail})` : ''}`);
      return false;
    })));
  }
  return { same: { pods: t.pods, keys: t.keys, cells }, diffs, correct, total, refused };
}
