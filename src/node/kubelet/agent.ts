/**
 * The node agent (the kubelet's part) for all emulated nodes: watches pods bound to its nodes,
 * runs a PodWorker per pod, writes pod status and events, and serves exec/attach/logs/port-forward.
 */
import type { KObject } from '../../api/meta.js';
import type { Client } from '../../client/client.js';
import { logReconcileError } from '../../client/workqueue.js';
import type { Network, NetStack } from '../../net/types.js';
import { IPAllocator } from '../../net/ip.js';
import type { ClusterServices, ImageDef, FileSystem } from '../../images/types.js';
import { standInImage, type ImageRegistry } from '../../images/registry.js';
import { MemoryFileSystem } from '../../images/fs.js';
import { PodWorker, type WorkerHost } from './pod-worker.js';
import type { ContainerSpec } from './container.js';
import { abandonedStatus, podStatus, readinessStale } from './status.js';
import { containerEnv } from './env.js';
import { hostsFile, podHostname, resolvConf, unmountableVolume, volumeFiles, type DnsSettings, type ServiceAccountTokenSource } from './files.js';
import { VolumeSync } from './volume-sync.js';
import { keptIP } from './reboot.js';
import { claimMounts } from './volumes.js';
import type { VolumeStore } from '../../controllers/volume/store.js';

/** One emulated node. */
export interface NodeInfo { name: string; ip: string; podCIDR: string }

/** Options of the node agent. */
export interface NodeAgentOptions {
  client: Client;
  network: Network;
  nodes: NodeInfo[];
  dns: DnsSettings;
  unknownImages: 'stand-in' | 'fail';
  /** The cluster's images (containers resolve their image here). */
  images: ImageRegistry;
  /** The cluster's services, handed to every process in its pods (the coredns image serves `dns`). */
  cluster: ClusterServices;
  recordEvent(obj: KObject, type: 'Normal' | 'Warning', reason: string, message: string): void;
  /** Mints a projected service-account token for a pod (TokenRequest bound to the pod); throws when it cannot. */
  serviceAccountToken?: ServiceAccountTokenSource;
  /** The cluster's PersistentVolume data, mounted for persistentVolumeClaim volumes. */
  volumes?: VolumeStore;
  /** How often mounted ConfigMaps and Secrets are refreshed in running containers (kubelet --sync-frequency; default 1m). */
  syncFrequencyMs?: number;
}

interface NodeState { info: NodeInfo; ips: IPAllocator; stack: NetStack }

/** Runs the pods of every emulated node. */
export class NodeAgent {
  readonly workers = new Map<string, PodWorker>();
  private readonly nodes = new Map<string, NodeState>();
  private readonly pending = new Set<PodWorker>();
  private readonly syncing = new Map<PodWorker, Promise<void>>();
  private flushTimer?: NodeJS.Immediate;
  private stopWatch?: () => void;
  private stopped = false;
  /** Pod IPs kept from before a restart, by pod uid, reserved until the pod's new sandbox takes them. */
  private readonly kept = new Map<string, string>();
  private readonly volumeSync: VolumeSync;

  constructor(readonly opts: NodeAgentOptions) {
    this.volumeSync = new VolumeSync(opts.client, opts.syncFrequencyMs);
    for (const n of opts.nodes) {
      const gw = n.podCIDR.replace(/\.0\/24$/, '.1');
      this.nodes.set(n.name, { info: n, ips: new IPAllocator(n.podCIDR, [gw]), stack: opts.network.addStack([n.ip], { kind: 'node', name: n.name, nodeName: n.name }) });
    }
  }

  /** Starts watching pods (first reserving the IPs of pods that run again after a restart). */
  start(): void {
    this.reserveKeptIPs();
    const h = this.opts.client.watch({ resource: 'pods' }, undefined, {}, (e) => {
      if (e.type === 'DELETED') this.onDeleted(e.object);
      else this.onPod(e.object);
    });
    this.stopWatch = () => h.stop();
  }

  /**
   * Stops the watch and every pod without API writes, as a node shutting down: each pod gets its
   * grace period (deletionGracePeriodSeconds, else terminationGracePeriodSeconds, else 30 s) up to
   * `graceCapMs`, all at once; 0 kills them at once.
   */
  async stop(graceCapMs = 0): Promise<void> {
    this.stopped = true;
    this.stopWatch?.();
    this.volumeSync.stop();
    const workers = [...this.workers.values()];
    this.workers.clear();
    await Promise.all(workers.map((w) => w.shutdown(Math.min(graceCapMs, graceSeconds(w.pod) * 1000))));
  }

  /**
   * Before any pod gets a new address: the pods that ran on these nodes before knet restarted and
   * run again keep their IPs (as users note them), so those are taken from the allocators first.
   */
  private reserveKeptIPs(): void {
    for (const pod of this.opts.client.list({ resource: 'pods' })) {
      const node = this.nodes.get((pod.spec as { nodeName?: string } | undefined)?.nodeName ?? '');
      const phase = (pod.status as { phase?: string } | undefined)?.phase;
      const ip = keptIP(pod);
      if (!node || !ip || !pod.metadata.uid || pod.metadata.deletionTimestamp || phase === 'Succeeded' || phase === 'Failed') continue;
      try {
        node.ips.allocate(ip);
        this.kept.set(pod.metadata.uid, ip);
      } catch { /* outside this node's range or taken: the pod gets a new address */ }
    }
  }

  /** The pod's kept IP (once), or a new one from its node's range. */
  private podIP(node: NodeState, pod: KObject): string {
    const uid = pod.metadata.uid ?? '';
    const ip = this.kept.get(uid);
    this.kept.delete(uid);
    return ip ?? node.ips.allocate();
  }

  /** The worker of a pod. */
  worker(ns: string, name: string): PodWorker | undefined {
    return this.workers.get(`${ns}/${name}`);
  }

  /** The node record of a node name. */
  node(name: string): NodeState | undefined {
    return this.nodes.get(name);
  }

  private onPod(pod: KObject): void {
    const nodeName = (pod.spec as { nodeName?: string } | undefined)?.nodeName;
    const key = `${pod.metadata.namespace}/${pod.metadata.name}`;
    const node = nodeName ? this.nodes.get(nodeName) : undefined;
    if (!node) return;
    let w = this.workers.get(key);
    if (w && w.pod.metadata.uid !== pod.metadata.uid) { void w.shutdown(); this.workers.delete(key); w = undefined; }
    if (!w) {
      const phase = (pod.status as { phase?: string } | undefined)?.phase;
      if (phase === 'Succeeded' || phase === 'Failed') return;
      if (pod.metadata.deletionTimestamp) { void this.endUnstarted(pod).then(() => this.finalize(pod)); return; }
      w = new PodWorker(pod, this.host(node));
      this.workers.set(key, w);
      void w.start().catch((e: unknown) => logReconcileError(`pod ${key}`, e));
      return;
    }
    w.pod = pod;
    // A status patch to a readiness gate's condition: write Ready again (kubelet HandlePodReconcile).
    if (w.startTime && readinessStale(pod, w)) this.schedule(w);
    if (pod.metadata.deletionTimestamp) void w.terminate(pod.metadata.deletionGracePeriodSeconds ?? 30);
  }

  private onDeleted(pod: KObject): void {
    const key = `${pod.metadata.namespace}/${pod.metadata.name}`;
    const w = this.workers.get(key);
    if (w && w.pod.metadata.uid === pod.metadata.uid) { void w.shutdown(); this.workers.delete(key); }
  }

  /**
   * Removes a terminated pod (grace period 0). With its worker, the final status (terminal phase,
   * containers terminated) is written first, as upstream's status manager does before the delete.
   */
  private finalize(pod: KObject, w?: PodWorker): void {
    if (!w) { this.remove(pod); return; }
    this.pending.delete(w);
    const prev = this.syncing.get(w) ?? Promise.resolve();
    void prev.then(() => this.writeStatus(w)).catch(() => undefined).then(() => this.remove(pod));
  }

  /** A deleted pod this node never ran (or ran before a restart) is reported Failed before removal, as a terminated one is. */
  private async endUnstarted(pod: KObject): Promise<void> {
    const c = this.opts.client;
    const cur = c.peek({ resource: 'pods' }, pod.metadata.namespace ?? '', pod.metadata.name ?? '');
    if (!cur || cur.metadata.uid !== pod.metadata.uid) return;
    await c.update({ resource: 'pods' }, { ...cur, status: abandonedStatus(cur) }, 'status').catch(() => undefined);
  }

  private remove(pod: KObject): void {
    void this.opts.client.delete({ resource: 'pods' }, pod.metadata.namespace ?? '', pod.metadata.name ?? '', { gracePeriodSeconds: 0, preconditions: { uid: pod.metadata.uid } })
      .catch(() => undefined);
  }

  private host(node: NodeState): WorkerHost {
    const agent = { opts: this.opts, containerFS: (p: KObject, c: ContainerSpec, i: ImageDef, s: Record<string, string>) => this.containerFS(p, c, i, s),
      image: (c: ContainerSpec, p: KObject) => this.image(c, p), schedule: (w: PodWorker) => this.schedule(w), finalize: (p: KObject, w?: PodWorker) => this.finalize(p, w),
      podIP: (p: KObject) => this.podIP(node, p) };
    return {
      nodeName: node.info.name, nodeIP: node.info.ip, nodeStack: node.stack, cluster: this.opts.cluster,
      createSandbox(pod) {
        const ip = agent.podIP(pod);
        const stack = agent.opts.network.addStack([ip], { kind: 'pod', namespace: pod.metadata.namespace, name: pod.metadata.name, nodeName: node.info.name });
        const shared: Record<string, string> = {
          '/etc/hosts': hostsFile(pod, ip, agent.opts.dns),
          '/etc/resolv.conf': resolvConf(pod, agent.opts.dns),
          '/etc/hostname': podHostname(pod) + '\n',
        };
        return { ip, stack, fs: (c, image) => agent.containerFS(pod, c, image, shared) };
      },
      unmountable: (pod) => unmountableVolume(agent.opts.client, pod, agent.opts.serviceAccountToken),
      releaseSandbox(_pod, ip, stack) {
        agent.opts.network.removeStack(stack);
        node.ips.release(ip);
      },
      image: (c, pod) => agent.image(c, pod),
      env: (pod, c, image, ip) => containerEnv(agent.opts.client, { ...pod, status: { ...(pod.status as object), podIP: ip, podIPs: [{ ip }] } }, c as never,
        { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', HOSTNAME: podHostname(pod), ...(image.env ?? {}) }, node.info.ip),
      event: (pod, type, reason, message) => agent.opts.recordEvent(pod, type, reason, message),
      changed: (w) => agent.schedule(w),
      finalize: (pod, w) => agent.finalize(pod, w),
    };
  }

  private containerFS(pod: KObject, c: ContainerSpec, image: ImageDef, shared: Record<string, string>): FileSystem {
    const files: Record<string, string | Buffer> = { ...(image.files ?? {}), ...shared };
    const mounts = (c as { volumeMounts?: { name: string; mountPath: string; subPath?: string }[] }).volumeMounts ?? [];
    const vols = ((pod.spec as { volumes?: Record<string, unknown>[] }).volumes ?? []);
    for (const m of mounts) {
      const v = vols.find((x) => x['name'] === m.name);
      if (!v) continue;
      const vf = volumeFiles(this.opts.client, pod, v, this.opts.serviceAccountToken);
      if (typeof vf === 'string') continue;
      for (const [rel, data] of Object.entries(vf)) {
        if (m.subPath) { if (rel === m.subPath) files[m.mountPath] = data; continue; }
        files[`${m.mountPath.replace(/\/$/, '')}/${rel}`] = data;
      }
    }
    const fs = new MemoryFileSystem(files);
    this.volumeSync.track(pod, fs, mounts, vols);
    return claimMounts(this.opts.client, this.opts.volumes, pod, mounts, fs);
  }

  private image(c: ContainerSpec, _pod: KObject): { image: ImageDef } | { error: string } {
    const img = this.opts.images.resolve(c.image);
    if (img) return { image: img };
    if (this.opts.unknownImages === 'fail') {
      return { error: `rpc error: code = NotFound desc = failed to pull and unpack image "${c.image}": knet runs only its built-in images (nginx, httpd, agnhost, http-echo, whoami, pause, busybox, alpine, curl, netshoot, ubuntu, debian) and --unknown-images=fail is set` };
    }
    return { image: standInImage(c.image) };
  }

  /** Queues a status write for a worker (coalesced). */
  private schedule(w: PodWorker): void {
    this.pending.add(w);
    if (!this.flushTimer) this.flushTimer = setImmediate(() => { this.flushTimer = undefined; this.flush(); });
  }

  private flush(): void {
    for (const w of this.pending) {
      this.pending.delete(w);
      const prev = this.syncing.get(w) ?? Promise.resolve();
      const next = prev.then(() => this.writeStatus(w)).catch((e: unknown) => {
        if ((e as { code?: number }).code !== 404 && !this.stopped) logReconcileError('pod status', e);
      });
      this.syncing.set(w, next);
      void next.then(() => { if (this.syncing.get(w) === next) this.syncing.delete(w); });
    }
  }

  private async writeStatus(w: PodWorker): Promise<void> {
    if (this.stopped) return;
    const c = this.opts.client;
    for (let i = 0; i < 5; i++) {
      const cur = c.peek({ resource: 'pods' }, w.pod.metadata.namespace ?? '', w.pod.metadata.name ?? ''); // shared: not mutated
      if (!cur || cur.metadata.uid !== w.pod.metadata.uid) return;
      const nodeIP = this.nodes.get((cur.spec as { nodeName: string }).nodeName)?.info.ip ?? '';
      try { await c.update({ resource: 'pods' }, { ...cur, status: podStatus(cur, w, nodeIP) }, 'status'); return; } catch (e) {
        if ((e as { code?: number }).code !== 409) throw e;
      }
    }
  }
}

/** The grace period a pod gets when stopped, in seconds (kubelet: the deletion's, else the spec's, else 30). */
function graceSeconds(pod: KObject): number {
  return pod.metadata.deletionGracePeriodSeconds ?? (pod.spec as { terminationGracePeriodSeconds?: number } | undefined)?.terminationGracePeriodSeconds ?? 30;
}
