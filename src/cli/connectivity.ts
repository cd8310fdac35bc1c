/** `knet connectivity`: the truth table, checked against a saved one (--expect) or real probes (--probe). */
import { readFileSync } from 'node:fs';
import { buildModel } from '../analysis/model.js';
import { keyName, tableKeys, tablePods, truthTable, type TruthTable } from '../analysis/matrix.js';
import { PROBE_TIMEOUT_MS } from '../analysis/probe.js';
import { compareProbes, probeTable, remoteProber } from '../analysis/probe-table.js';
import { SnapshotError } from '../analysis/snapshot.js';
import { checkExpected, formatTable, parseExpected, tally, type Expected } from '../analysis/table-format.js';
import type { Protocol } from '../net/types.js';
import { checkOneSource, loadSource, runAnalysis, type SourceFlags } from './analysis-source.js';

/** Parsed `connectivity` flags. */
export interface ConnectivityFlags extends SourceFlags {
  namespace?: string[];
  ports?: number[];
  protocols?: Protocol[];
  probe?: boolean;
  probeTimeout?: number;
  expect?: string;
}

function readExpected(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new SnapshotError(`cannot read --expect file ${file}: ${(e as Error).message.replace(/^E[A-Z]+: /, '').split(',')[0]!}`);
  }
}

/** Prints every cell differing from the expectation and the tally; true when all agree. */
function expectTable(t: TruthTable, expected: Expected, file: string): boolean {
  const c = checkExpected(t, expected);
  console.log(`\nexpected (${file}) vs computed:`);
  for (const d of c.diffs) console.log(d);
  console.log(tally(c));
  return c.diffs.length === 0;
}

/** Prints the table (and the comparisons asked for); exit code 0, 1 when a comparison differs, 2 on bad input. */
export function connectivity(flags: ConnectivityFlags): Promise<number> {
  const namespaces = flags.namespace ?? [];
  return runAnalysis(async () => {
    checkOneSource(flags);
    if (flags.probe && (flags.file !== undefined || flags.kubeconfig !== undefined || flags.context !== undefined)) {
      throw new SnapshotError('--probe sends connections through a running knet\'s pod network; it works only for knet (drop -f / --kubeconfig / --context)');
    }
    const expectText = flags.expect !== undefined ? readExpected(flags.expect) : undefined;
    const source = await loadSource(flags, namespaces);
    const known = new Set(source.snapshot.namespaces.map((n) => n.metadata.name));
    const missing = namespaces.filter((n) => !known.has(n));
    if (missing.length) throw new SnapshotError(`namespace${missing.length > 1 ? 's' : ''} ${missing.map((n) => `"${n}"`).join(', ')} not found`);
    const model = buildModel(source.snapshot);
    const pods = tablePods(model, namespaces);
    if (!pods.length) console.error(`note: no running pods with an address${namespaces.length ? ` in ${namespaces.join(', ')}` : ''}`);
    const t = truthTable(model, pods, tableKeys(pods, flags.ports ?? [], flags.protocols ?? []));
    const expected = expectText !== undefined ? parseExpected(expectText, flags.expect!, keyName(t.keys[0]!)) : undefined;
    process.stdout.write(formatTable(t));
    let ok = true;
    if (expected) ok = expectTable(t, expected, flags.expect!) && ok;
    if (flags.probe) {
      const timeoutMs = flags.probeTimeout ?? PROBE_TIMEOUT_MS;
      if (source.kind !== 'knet' || !source.access) throw new SnapshotError('--probe works only for a running knet');
      const cmp = compareProbes(t, await probeTable(t, model, remoteProber(source.access, timeoutMs), timeoutMs));
      console.log('\nprobe vs computed (. same, X different):');
      process.stdout.write(formatTable(cmp.same) + '\n');
      for (const d of cmp.diffs) console.log(d);
      console.log(`${tally(cmp)}${cmp.refused ? ` (${cmp.refused} allowed cell${cmp.refused === 1 ? '' : 's'} refused: nothing listens there)` : ''}`);
      ok = cmp.diffs.length === 0 && ok;
    }
    return ok ? 0 : 1;
  });
}
