/** persistentVolumeClaim volumes: the kubelet mounts the bound PersistentVolume's in-memory data into the container. */
import type { KObject } from '../../api/meta.js';
import type { Client } from '../../client/client.js';
import type { VolumeStore } from '../../controllers/volume/store.js';
import { MountedFileSystem, type Mount } from '../../images/fs-mount.js';
import type { FileSystem } from '../../images/types.js';

interface VolumeMount { name: string; mountPath: string; subPath?: string; readOnly?: boolean }

/** The PersistentVolume uid behind a pod's claim, or undefined when the claim is missing or not bound. */
export function boundVolumeUid(client: Client, namespace: string, claimName: string): string | undefined {
  const pvc = client.peek({ resource: 'persistentvolumeclaims' }, namespace, claimName) as { spec?: { volumeName?: string } } | undefined;
  const pvName = pvc?.spec?.volumeName;
  return pvName ? client.peek({ resource: 'persistentvolumes' }, '', pvName)?.metadata.uid : undefined;
}

/** `root` with each mount of a bound claim routed to its volume's filesystem (root unchanged when there is none). */
export function claimMounts(client: Client, store: VolumeStore | undefined, pod: KObject, mounts: VolumeMount[], root: FileSystem & { mkdir?(p: string): void }): FileSystem {
  if (!store) return root;
  const vols = (pod.spec as { volumes?: { name: string; persistentVolumeClaim?: { claimName: string; readOnly?: boolean } }[] }).volumes ?? [];
  const out: Mount[] = [];
  for (const m of mounts) {
    const claim = vols.find((v) => v.name === m.name)?.persistentVolumeClaim;
    if (!claim) continue;
    const uid = boundVolumeUid(client, pod.metadata.namespace ?? 'default', claim.claimName);
    if (!uid) continue;
    const whole = store.mount(uid);
    const fs = m.subPath ? subdir(whole, m.subPath.replace(/^\/+|\/+$/g, '')) : whole;
    out.push({ path: m.mountPath, fs, readOnly: m.readOnly || claim.readOnly });
  }
  return out.length ? new MountedFileSystem(root, out) : root;
}

/** A view of `dir` inside `fs` as its own root (a subPath mount). */
function subdir(fs: FileSystem & { mkdir?(p: string): void }, dir: string): FileSystem {
  const at = (p: string) => `/${dir}${p === '/' ? '' : p}`;
  fs.mkdir?.(at('/'));
  return {
    read: (p) => fs.read(at(p)),
    write: (p, d) => fs.write(at(p), d),
    list: (p) => fs.list(at(p)),
    exists: (p) => fs.exists(at(p)),
    remove: (p) => fs.remove(at(p)),
    mkdir: (p: string) => fs.mkdir?.(at(p)),
  } as FileSystem;
}
