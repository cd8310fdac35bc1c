/**
 * Keeps mounted ConfigMap, Secret, projected and downward API volumes current, as the kubelet does
 * on each pod sync (every `syncFrequency`, 1m by default, so an edited ConfigMap reaches a running
 * container within about a minute). subPath mounts never update (as upstream).
 */
import type { KObject } from '../../api/meta.js';
import type { Client } from '../../client/client.js';
import type { FileSystem } from '../../images/types.js';
import { volumeFiles } from './files.js';

/** One container's refreshable mounts. */
interface Mounted {
  pod: KObject;
  fs: FileSystem;
  /** Per mount: the volume and the relative paths last written into it (to remove those no longer produced). */
  mounts: { mountPath: string; volume: Record<string, unknown>; known: Set<string> }[];
}

/** Paths of a projected volume's service account tokens: minted at start, not rewritten by a sync. */
function tokenPaths(volume: Record<string, unknown>): Set<string> {
  const sources = (volume['projected'] as { sources?: { serviceAccountToken?: { path?: string } }[] } | undefined)?.sources ?? [];
  return new Set(sources.flatMap((s) => (s.serviceAccountToken ? [s.serviceAccountToken.path ?? 'token'] : [])));
}

const REFRESHED = ['configMap', 'secret', 'projected', 'downwardAPI'];

/** The kubelet's default syncFrequency. */
export const DEFAULT_SYNC_FREQUENCY_MS = 60_000;

/** Refreshes the files of mounted volumes on a timer. */
export class VolumeSync {
  private readonly mounted = new Set<Mounted>();
  private timer?: NodeJS.Timeout;

  constructor(private readonly client: Client, private readonly periodMs = DEFAULT_SYNC_FREQUENCY_MS) {}

  /** Tracks a container's mounts (those whose volume can change and that are not subPath mounts). */
  track(pod: KObject, fs: FileSystem, mounts: { name: string; mountPath: string; subPath?: string }[], volumes: Record<string, unknown>[]): void {
    const list = mounts.filter((m) => !m.subPath).flatMap((m) => {
      const volume = volumes.find((v) => v['name'] === m.name);
      if (!volume || !REFRESHED.some((k) => volume[k])) return [];
      const files = volumeFiles(this.client, pod, volume);
      return [{ mountPath: m.mountPath.replace(/\/$/, ''), volume, known: new Set(typeof files === 'string' ? [] : Object.keys(files)) }];
    });
    if (list.length === 0) return;
    this.mounted.add({ pod, fs, mounts: list });
    if (!this.timer) {
      this.timer = setInterval(() => this.sync(), this.periodMs);
      this.timer.unref();
    }
  }

  /** One sync: rewrites changed files, removes those the volume no longer has (as upstream's AtomicWriter); forgets containers whose pod is gone. */
  sync(): void {
    for (const m of this.mounted) {
      const cur = this.client.peek({ resource: 'pods' }, m.pod.metadata.namespace ?? '', m.pod.metadata.name ?? '');
      if (!cur || cur.metadata.uid !== m.pod.metadata.uid) { this.mounted.delete(m); continue; }
      for (const mount of m.mounts) {
        const { mountPath, volume, known } = mount;
        const files = volumeFiles(this.client, cur, volume);
        if (typeof files === 'string') continue;
        const tokens = tokenPaths(volume);
        for (const rel of known) if (!Object.hasOwn(files, rel) && !tokens.has(rel)) m.fs.remove(`${mountPath}/${rel}`);
        mount.known = new Set(Object.keys(files));
        for (const [rel, data] of Object.entries(files)) {
          const path = `${mountPath}/${rel}`;
          if (!m.fs.read(path)?.equals(data)) m.fs.write(path, data);
        }
      }
    }
    if (this.mounted.size === 0 && this.timer) { clearInterval(this.timer); this.timer = undefined; }
  }

  /** Stops the timer. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.mounted.clear();
  }
}
