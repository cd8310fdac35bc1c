/**
 * The life of one pod on a node: sandbox (IP, network stack, files), init containers in order,
 * containers with restart policy and back-off, probes, status, graceful termination.
 */
import type { KObject } from '../../api/meta.js';
import type { ClusterServices, FileSystem, ImageDef, PodInfo } from '../../images/types.js';
import type { NetStack } from '../../net/types.js';
import { ContainerRunner, now, type ContainerSpec } from './container.js';
import { Prober, type ProbeSpec } from './probes.js';
import { ContainerConfigError } from './env.js';
import { Writable } from 'node:stream';
import { applyResume, priorRun, SANDBOX_CHANGED, type PriorRun } from './reboot.js';

/** What the worker needs from the node agent. */
export interface WorkerHost {
  nodeName: string;
  nodeIP: string;
  nodeStack: NetStack;
  /** The services of the cluster this node belongs to (every container process gets it). */
  cluster: ClusterServices;
  /** Allocates the sandbox: IP, stack and the pod-wide filesystem. */
  createSandbox(pod: KObject): { ip: string; stack: NetStack; fs: (container: ContainerSpec, image: ImageDef) => FileSystem };
  releaseSandbox(pod: KObject, ip: string, stack: NetStack): void;
  /** Why a volume cannot be set up yet (`MountVolume.SetUp failed for volume "v" : secret "s" not found`), or undefined when all can. */
  unmountable?(pod: KObject): string | undefined;
  /** The image for a container, or an error message (ErrImagePull). */
  image(container: ContainerSpec, pod: KObject): { image: ImageDef } | { error: string };
  env(pod: KObject, container: ContainerSpec, image: ImageDef, ip: string): Record<string, string>;
  event(pod: KObject, type: 'Normal' | 'Warning', reason: string, message: string): void;
  /** Called when the status may have changed. */
  changed(worker: PodWorker): void;
  /** Removes the pod object once terminated (grace period 0), after writing the worker's final status when given. */
  finalize(pod: KObject, worker?: PodWorker): void;
}

interface Spec {
  containers: (ContainerSpec & { readinessProbe?: ProbeSpec; livenessProbe?: ProbeSpec; startupProbe?: ProbeSpec; imagePullPolicy?: string })[];
  initContainers?: (ContainerSpec & { restartPolicy?: string })[];
  restartPolicy?: string;
  terminationGracePeriodSeconds?: number;
}

const BACKOFF_BASE_MS = 10_000;
const BACKOFF_MAX_MS = 300_000;
const VOLUME_RETRY_MS = 500;
const VOLUME_RETRY_MAX_MS = 122_000;

/** One pod's worker. */
export class PodWorker {
  ip = '';
  stack?: NetStack;
  startTime = '';
  readonly init: ContainerRunner[] = [];
  readonly main: ContainerRunner[] = [];
  initialized = false;
  phase: 'Pending' | 'Running' | 'Succeeded' | 'Failed' = 'Pending';
  terminating = false;
  /** Each running container's probers: they stop when that container stops, never a sibling's. */
  private readonly probers = new Map<ContainerRunner, Prober[]>();
  private timers = new Set<NodeJS.Timeout>();
  private fsFor?: (c: ContainerSpec, i: ImageDef) => FileSystem;
  private stopped = false;
  /** What the pod's stored status says about a run before knet restarted (as a node reboot). */
  private readonly prior: PriorRun | undefined;

  constructor(public pod: KObject, private readonly host: WorkerHost) {
    this.prior = priorRun(pod, now());
  }

  private get spec(): Spec { return this.pod.spec as Spec; }

  /** Starts the sandbox and the containers (after a restart, see reboot.ts: or only reports how the pod ended). */
  async start(): Promise<void> {
    if (this.prior?.ended) return this.ended(this.prior);
    if (this.main.length === 0) {
      for (const c of this.spec.initContainers ?? []) this.init.push(this.runner(c));
      for (const c of this.spec.containers) this.main.push(this.runner(c));
      for (const r of this.main) applyResume(r, this.prior?.containers.get(r.spec.name));
    }
    if (!(await this.volumesMounted())) return;
    let sb: ReturnType<WorkerHost['createSandbox']>;
    try {
      sb = this.host.createSandbox(this.pod);
    } catch (e) {
      // As the kubelet does when the CNI cannot set up the sandbox: a warning event, then a retry.
      this.host.event(this.pod, 'Warning', 'FailedCreatePodSandBox', `Failed to create pod sandbox: plugin type="knet" failed (add): ${e instanceof Error ? e.message : String(e)}`);
      await this.sleep(BACKOFF_BASE_MS);
      if (!this.stopped) return this.start();
      return;
    }
    this.ip = sb.ip;
    this.stack = sb.stack;
    this.fsFor = sb.fs;
    this.startTime = this.prior?.startTime ?? now();
    if (this.prior) this.host.event(this.pod, 'Normal', SANDBOX_CHANGED.reason, SANDBOX_CHANGED.message);
    this.host.changed(this);
    for (const r of this.init) {
      if (this.stopped) return;
      const ok = await this.runInit(r);
      if (!ok) return;
    }
    this.initialized = true;
    this.host.changed(this);
    for (const r of this.main) {
      if (this.prior?.containers.get(r.spec.name)?.final) continue; // succeeded before the restart (OnFailure): not run again
      void this.loop(r, (this.spec.containers.find((c) => c.name === r.spec.name))!);
    }
  }

  /**
   * Waits, as the kubelet's volume manager does, until every volume can be set up (a Secret or
   * ConfigMap that does not exist yet): a FailedMount warning per attempt, retried with exponential
   * back-off from 500 ms (capped at 2m2s, as upstream's operation executor). False once stopped.
   */
  private async volumesMounted(): Promise<boolean> {
    for (let delay = VOLUME_RETRY_MS; ; delay = Math.min(delay * 2, VOLUME_RETRY_MAX_MS)) {
      if (this.stopped) return false;
      const why = this.host.unmountable?.(this.pod);
      if (why === undefined) return true;
      this.host.event(this.pod, 'Warning', 'FailedMount', why);
      this.host.changed(this);
      await this.sleep(delay);
    }
  }

  /** A pod that does not run again after the restart: its containers keep their last states, no sandbox is made. */
  private ended(prior: PriorRun): void {
    this.ip = prior.ip;
    this.startTime = prior.startTime ?? now();
    for (const c of this.spec.initContainers ?? []) this.init.push(this.runner(c));
    for (const c of this.spec.containers) this.main.push(this.runner(c));
    for (const r of this.init) applyResume(r, prior.init.get(r.spec.name));
    for (const r of this.main) applyResume(r, prior.containers.get(r.spec.name));
    this.initialized = prior.initialized;
    this.phase = prior.ended ?? 'Failed';
    this.stopped = true;
    this.host.changed(this);
  }

  private runner(c: ContainerSpec): ContainerRunner {
    let cached: { image: ImageDef; fs: FileSystem } | undefined;
    return new ContainerRunner(c, () => {
      const img = this.host.image(c, this.pod);
      if ('error' in img) throw new Error(img.error);
      if (!cached || cached.image !== img.image) cached = { image: img.image, fs: this.fsFor!(c, img.image) };
      return { pod: this.info(c), net: this.stack!, fs: cached.fs, env: this.host.env(this.pod, c, img.image, this.ip), image: img.image, cluster: this.host.cluster };
    });
  }

  /** Pod facts for programs. */
  info(c: ContainerSpec): PodInfo {
    const spec = this.pod.spec as { hostname?: string };
    return {
      namespace: this.pod.metadata.namespace ?? 'default', name: this.pod.metadata.name ?? '', uid: this.pod.metadata.uid ?? '',
      ip: this.ip, nodeName: this.host.nodeName, nodeIP: this.host.nodeIP, hostname: (spec.hostname || this.pod.metadata.name || '').slice(0, 63),
      containerName: c.name, image: c.image, labels: this.pod.metadata.labels ?? {},
    };
  }

  /** Prepares a runner (image, env); returns false with a waiting state when it cannot start. */
  private prepare(r: ContainerRunner): boolean {
    const img = this.host.image(r.spec, this.pod);
    if ('error' in img) {
      r.state = { waiting: { reason: 'ErrImagePull', message: img.error } };
      this.host.event(this.pod, 'Warning', 'Failed', `Failed to pull image "${r.spec.image}": ${img.error}`);
      this.host.event(this.pod, 'Warning', 'Failed', 'Error: ErrImagePull');
      this.host.changed(this);
      return false;
    }
    if (img.image.standIn) this.host.event(this.pod, 'Normal', 'StandIn', `Image "${r.spec.image}" is not runnable here; knet runs a stand-in that serves the container's declared ports`);
    else this.host.event(this.pod, 'Normal', 'Pulled', `Container image "${r.spec.image}" already present on machine`);
    try {
      this.host.env(this.pod, r.spec, img.image, this.ip);
    } catch (e) {
      if (e instanceof ContainerConfigError) {
        r.state = { waiting: { reason: 'CreateContainerConfigError', message: e.message } };
        this.host.event(this.pod, 'Warning', 'Failed', `Error: ${e.message}`);
        this.host.changed(this);
        return false;
      }
      throw e;
    }
    return true;
  }

  private async runOnce(r: ContainerRunner, c?: Spec['containers'][number]): Promise<number> {
    this.host.event(this.pod, 'Normal', 'Created', `Created container: ${r.spec.name}`);
    const p = r.start();
    if ('running' in r.state) {
      this.host.event(this.pod, 'Normal', 'Started', `Started container ${r.spec.name}`);
      if (c) this.startProbes(r, c);
      else r.ready = false;
    } else {
      const t = r.state as { terminated?: { message?: string } };
      this.host.event(this.pod, 'Warning', 'Failed', `Error: ${t.terminated?.message ?? 'failed to start'}`);
    }
    this.host.changed(this);
    const code = await p;
    this.stopProbes(r);
    this.host.changed(this);
    return code;
  }

  private async runInit(r: ContainerRunner): Promise<boolean> {
    for (;;) {
      if (this.stopped) return false;
      if (!this.prepare(r)) { await this.sleep(BACKOFF_BASE_MS); continue; }
      const code = await this.runOnce(r);
      if (code === 0) return true;
      if ((this.spec.restartPolicy ?? 'Always') === 'Never') { this.phase = 'Failed'; this.host.changed(this); return false; }
      r.restartCount++;
      await this.backoff(r);
    }
  }

  private async loop(r: ContainerRunner, c: Spec['containers'][number]): Promise<void> {
    const policy = this.spec.restartPolicy ?? 'Always';
    for (;;) {
      if (this.stopped) return;
      if (!this.prepare(r)) { await this.sleep(BACKOFF_BASE_MS); continue; }
      const code = await this.runOnce(r, c);
      if (this.stopped || this.terminating) return;
      const restart = policy === 'Always' || (policy === 'OnFailure' && code !== 0);
      if (!restart) { this.updatePhase(); return; }
      r.restartCount++;
      await this.backoff(r);
    }
  }

  private async backoff(r: ContainerRunner): Promise<void> {
    const n = r.restartCount;
    if (n <= 1) return;
    const ms = Math.min(BACKOFF_BASE_MS * 2 ** (n - 2), BACKOFF_MAX_MS);
    const t = r.state as { terminated?: unknown };
    if (t.terminated) r.lastState = r.state;
    r.state = { waiting: { reason: 'CrashLoopBackOff', message: `back-off ${Math.round(ms / 1000)}s restarting failed container=${r.spec.name} pod=${this.pod.metadata.name}_${this.pod.metadata.namespace}(${this.pod.metadata.uid})` } };
    this.host.event(this.pod, 'Warning', 'BackOff', 'Back-off restarting failed container ' + `${r.spec.name} in pod ${this.pod.metadata.name}_${this.pod.metadata.namespace}(${this.pod.metadata.uid})`);
    this.host.changed(this);
    await this.sleep(ms);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => { this.timers.delete(t); resolve(); }, ms);
      this.timers.add(t);
    });
  }

  private startProbes(r: ContainerRunner, c: Spec['containers'][number]): void {
    const target = {
      from: this.host.nodeStack, podIP: this.ip,
      namedPort: (n: string) => c.ports?.find((p) => p.name === n)?.containerPort,
      exec: async (cmd: string[], timeoutMs: number) => {
        let output = '';
        const sink = new Writable({ write: (ch: Buffer, _e, cb) => { output += ch.toString(); cb(); } });
        const ac = new AbortController();
        const timer = setTimeout(() => ac.abort(), timeoutMs);
        const code = await r.exec(cmd, { stdin: null, stdout: sink, stderr: sink, signal: ac.signal });
        clearTimeout(timer);
        return { code, output };
      },
    };
    r.ready = !c.readinessProbe;
    const mine: Prober[] = [];
    if (c.readinessProbe) {
      const p = new Prober(c.readinessProbe, target, (ok, msg) => {
        if (r.ready !== ok) { r.ready = ok; this.host.changed(this); }
        if (!ok) this.host.event(this.pod, 'Warning', 'Unhealthy', `Readiness probe failed: ${msg}`);
      });
      mine.push(p);
    }
    if (c.livenessProbe) {
      const p = new Prober(c.livenessProbe, target, (ok, msg) => {
        if (ok) return;
        this.host.event(this.pod, 'Warning', 'Unhealthy', `Liveness probe failed: ${msg}`);
        this.host.event(this.pod, 'Normal', 'Killing', `Container ${r.spec.name} failed liveness probe, will be restarted`);
        void r.stop();
      });
      mine.push(p);
    }
    this.stopProbes(r);
    this.probers.set(r, mine);
    for (const p of mine) p.start();
  }

  private stopProbes(r: ContainerRunner): void {
    for (const p of this.probers.get(r) ?? []) p.stop();
    this.probers.delete(r);
  }

  private updatePhase(): void {
    const all = this.main.every((r) => 'terminated' in r.state);
    if (!all) return;
    const failed = this.main.some((r) => 'terminated' in r.state && r.state.terminated.exitCode !== 0);
    this.phase = failed ? 'Failed' : 'Succeeded';
    this.host.changed(this);
    this.teardown();
  }

  /** Stops everything (pod deleted): SIGTERM, wait up to the grace period, then tear down. */
  async terminate(graceSeconds: number): Promise<void> {
    if (this.terminating) return;
    this.terminating = true;
    for (const r of [...this.main, ...this.init]) if (r.running) this.host.event(this.pod, 'Normal', 'Killing', `Stopping container ${r.spec.name}`);
    const stops = Promise.all([...this.main, ...this.init].map((r) => r.stop()));
    let grace: NodeJS.Timeout | undefined;
    await Promise.race([stops, new Promise((r) => { grace = setTimeout(r, graceSeconds * 1000); grace.unref(); })]);
    clearTimeout(grace);
    this.stopped = true;
    // KEP-3329 (1.26+): a pod the kubelet terminates ends in a terminal phase, reported before the
    // object is removed, so a pod kept by a finalizer (Job tracking) is seen as finished.
    for (const r of [...this.main, ...this.init]) r.markTerminated();
    if (this.phase !== 'Succeeded' && this.phase !== 'Failed') this.phase = terminalPhase(this.main);
    this.teardown();
    this.host.finalize(this.pod, this);
  }

  private teardown(): void {
    for (const list of this.probers.values()) for (const p of list) p.stop();
    this.probers.clear();
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    if (this.stack) { this.host.releaseSandbox(this.pod, this.ip, this.stack); this.stack = undefined; }
  }

  /**
   * Stops without touching the API (node agent shutdown): with `graceMs`, SIGTERM first and SIGKILL
   * for what still runs once it has passed; resolves when the pod is torn down.
   */
  async shutdown(graceMs = 0): Promise<void> {
    this.stopped = true;
    const running = [...this.main, ...this.init].filter((r) => r.running);
    if (graceMs > 0 && running.length) {
      let grace: NodeJS.Timeout | undefined;
      const stops = Promise.all(running.map((r) => r.stop('SIGTERM')));
      await Promise.race([stops, new Promise((r) => { grace = setTimeout(r, graceMs); })]);
      clearTimeout(grace);
    }
    for (const r of running) void r.stop('SIGKILL');
    this.teardown();
  }
}

/**
 * The phase of a pod whose containers have all stopped because it was terminated (kubelet getPhase
 * with podIsTerminal): Succeeded when every container exited 0, else Failed.
 */
export function terminalPhase(main: readonly ContainerRunner[]): 'Succeeded' | 'Failed' {
  const ok = main.length > 0 && main.every((r) => 'terminated' in r.state && r.state.terminated.exitCode === 0);
  return ok ? 'Succeeded' : 'Failed';
}
