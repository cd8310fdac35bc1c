/**
 * Where `knet explain` and `knet connectivity` take their objects from, exactly one of: manifest
 * files (`-f`), a cluster of a kubeconfig (`--kubeconfig`/`--context`, read-only), or by default
 * the running knet of a data dir (through the kubeconfig and context its run file names).
 */
import { readClusterSnapshot } from '../analysis/remote.js';
import { loadFileSnapshot } from '../analysis/files.js';
import { resolveClusterAccess, type ClusterAccess } from '../analysis/kubeconfig.js';
import { SnapshotError, type Snapshot } from '../analysis/snapshot.js';
import { defaultDataDir, readRunInfo } from '../runtime/state.js';
import { knetCommand } from '../runtime/self.js';

/** The source flags both commands take. */
export interface SourceFlags {
  file?: string;
  kubeconfig?: string;
  context?: string;
  dataDir?: string;
}

/** A loaded source: the objects, and for clusters how to reach them. */
export interface Source {
  readonly kind: 'files' | 'cluster' | 'knet';
  readonly snapshot: Snapshot;
  /** The API server (clusters and knet). */
  readonly access?: ClusterAccess;
  /** The kubeconfig context's namespace, if it sets one. */
  readonly namespace?: string;
}

/** Refuses flags naming more than one source. */
export function checkOneSource(flags: SourceFlags): void {
  const given = [flags.file !== undefined && '-f', (flags.kubeconfig !== undefined || flags.context !== undefined) && '--kubeconfig/--context', flags.dataDir !== undefined && '--data-dir']
    .filter((g): g is string => !!g);
  if (given.length > 1) throw new SnapshotError(`take the objects from one source: ${given.join(' or ')}, not both`);
}

/** Loads the objects of the chosen source; `namespaces` limits what is read from a cluster (none: all). */
export async function loadSource(flags: SourceFlags, namespaces: string[] = []): Promise<Source> {
  checkOneSource(flags);
  const only = namespaces.length ? namespaces : undefined;
  if (flags.file !== undefined) return { kind: 'files', snapshot: loadFileSnapshot(flags.file).snapshot };
  if (flags.kubeconfig !== undefined || flags.context !== undefined) {
    const access = resolveClusterAccess({ kubeconfig: flags.kubeconfig, context: flags.context });
    return { kind: 'cluster', snapshot: await readClusterSnapshot(access, only), access, namespace: access.namespace };
  }
  const dataDir = flags.dataDir ?? defaultDataDir();
  const info = readRunInfo(dataDir);
  if (!info) throw new SnapshotError(`knet is not running (data dir ${dataDir}): start it with ${knetCommand()} up, or read manifests with -f DIR_OR_FILE or a cluster with --kubeconfig FILE`);
  const access = resolveClusterAccess({ kubeconfig: info.kubeconfig, context: info.context });
  return { kind: 'knet', snapshot: await readClusterSnapshot(access, only), access, namespace: access.namespace };
}

/** Runs a command body: SnapshotErrors (bad input) print `error: <message>` and give exit code 2. */
export async function runAnalysis(body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (e) {
    if (!(e instanceof SnapshotError)) throw e;
    console.error(`error: ${e.message}`);
    return 2;
  }
}
