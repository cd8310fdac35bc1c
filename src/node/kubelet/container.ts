/**
 * One container of a pod as the kubelet runs it: resolves argv by Kubernetes' command/args rules,
 * runs the image's program with the pod's network and files, tees output to its log and to attached
 * sessions, keeps state/lastState/restartCount, and restarts it per the pod's restart policy.
 */
import { PassThrough, Writable, type Readable } from 'node:stream';
import { randomBytes } from 'node:crypto';
import type { ClusterServices, FileSystem, ImageDef, PodInfo, Program, ProcessContext, Tty } from '../../images/types.js';
import { argvFor } from '../../images/registry.js';
import type { NetStack } from '../../net/types.js';
import { ContainerLog } from './logs.js';
import { expand } from './env.js';
import { EarlyOutput, connectStdin } from './attach.js';

/** The container spec fields the runner reads. */
export interface ContainerSpec {
  name: string; image: string; command?: string[]; args?: string[]; workingDir?: string;
  stdin?: boolean; stdinOnce?: boolean; tty?: boolean;
  ports?: { containerPort: number; protocol?: string; name?: string }[];
}

/** A container state as in ContainerStatus.state. */
export type ContainerStateView =
  | { waiting: { reason: string; message?: string } }
  | { running: { startedAt: string } }
  | { terminated: { exitCode: number; reason: string; message?: string; startedAt?: string; finishedAt?: string; containerID?: string; signal?: number } };

/** Everything a runner needs from its pod. */
export interface ContainerEnvironment {
  pod: PodInfo;
  net: NetStack;
  fs: FileSystem;
  env: Record<string, string>;
  image: ImageDef;
  /** The services of the pod's cluster, handed to every process. */
  cluster: ClusterServices;
}

/** Now as the API's timestamps print it (seconds, UTC). */
export function now(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Looks up argv[0] in an image's programs (by basename). */
export function findProgram(image: ImageDef, name: string | undefined): Program | undefined {
  if (!name) return undefined;
  return image.programs[name] ?? image.programs[name.split('/').pop() ?? name];
}

/** A fan-out writable: the container's log plus any attached sessions. */
class Tee extends Writable {
  readonly sinks = new Set<Writable>();
  constructor(private readonly log: ContainerLog, readonly early?: EarlyOutput) { super(); }
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: () => void): void {
    this.log.append(chunk.toString());
    this.early?.record(chunk);
    for (const s of this.sinks) if (!s.writableEnded && !s.destroyed) s.write(chunk);
    cb();
  }
}

/** A running or finished container. */
export class ContainerRunner {
  state: ContainerStateView = { waiting: { reason: 'ContainerCreating' } };
  lastState: ContainerStateView | Record<string, never> = {};
  restartCount = 0;
  ready = false;
  started = false;
  log = new ContainerLog();
  previousLog?: ContainerLog;
  containerID = '';
  private abort?: AbortController;
  private stdin?: PassThrough;
  private out?: Tee;
  private ttyListeners: ((c: number, r: number) => void)[] = [];
  private done?: Promise<number>;
  /** The environment the running instance started with (exec sees the same variables). */
  private current?: ContainerEnvironment;

  constructor(readonly spec: ContainerSpec, private readonly envOf: () => ContainerEnvironment) {}

  /** Starts one instance; resolves with its exit code when it ends. */
  start(): Promise<number> {
    const e = this.envOf();
    this.current = e;
    if (this.state && 'terminated' in this.state) this.lastState = this.state;
    if (this.restartCount > 0 || 'terminated' in this.lastState) { this.previousLog = this.log; this.log = new ContainerLog(); }
    const argv = argvFor(e.image, this.spec.command, this.spec.args).map((a) => expand(a, e.env));
    const program = findProgram(e.image, argv[0]);
    this.containerID = `containerd://${randomBytes(32).toString('hex')}`;
    const startedAt = now();
    if (!program) {
      const msg = `failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: exec: "${argv[0] ?? ''}": executable file not found in $PATH: unknown`;
      this.state = { terminated: { exitCode: 128, reason: 'StartError', message: msg, startedAt: '1970-01-01T00:00:00Z', finishedAt: now(), containerID: this.containerID } };
      return Promise.resolve(128);
    }
    this.abort = new AbortController();
    this.out = new Tee(this.log, this.spec.stdin ? new EarlyOutput() : undefined);
    this.stdin = this.spec.stdin ? new PassThrough() : undefined;
    this.state = { running: { startedAt } };
    this.started = true;
    const tty: Tty | undefined = this.spec.tty ? { cols: 80, rows: 24, onResize: (h) => { this.ttyListeners.push(h); } } : undefined;
    const ctx: ProcessContext = {
      argv, env: e.env, cwd: this.spec.workingDir ?? e.image.workingDir ?? '/',
      stdin: this.stdin ?? null, stdout: this.out, stderr: this.out, tty, signal: this.abort.signal,
      pod: e.pod, net: e.net, fs: e.fs, cluster: e.cluster,
      spawn: (av, io) => this.spawn(e, av, io),
      ...(this.spec.ports ? { ports: this.spec.ports } : {}),
    } as ProcessContext;
    this.done = program(ctx).catch((err: unknown) => {
      this.out?.write(`${err instanceof Error ? err.message : String(err)}\n`);
      return 1;
    }).then((code) => {
      const aborted = this.abort?.signal.aborted ?? false;
      this.state = { terminated: { exitCode: code, reason: code === 0 ? 'Completed' : 'Error', startedAt, finishedAt: now(), containerID: this.containerID, ...(aborted && code === 143 ? {} : {}) } };
      this.ready = false;
      this.log.close();
      for (const s of this.out?.sinks ?? []) s.end();
      return code;
    });
    return this.done;
  }

  /** Runs another program of the image with the container's environment (exec, probes, shells). */
  spawn(e: ContainerEnvironment, argv: string[], io: { stdin: Readable | null; stdout: Writable; stderr: Writable; env?: Record<string, string>; cwd?: string; tty?: Tty; signal?: AbortSignal }): Promise<number> {
    const program = findProgram(e.image, argv[0]);
    if (!program) return Promise.resolve(127);
    const ac = new AbortController();
    const parent = io.signal ?? this.abort?.signal;
    const relay = () => ac.abort();
    parent?.addEventListener('abort', relay, { once: true });
    const ctx: ProcessContext = {
      argv, env: io.env ?? e.env, cwd: io.cwd ?? this.spec.workingDir ?? e.image.workingDir ?? '/',
      stdin: io.stdin, stdout: io.stdout, stderr: io.stderr, tty: io.tty, signal: ac.signal,
      pod: e.pod, net: e.net, fs: e.fs, cluster: e.cluster, spawn: (av, sub) => this.spawn(e, av, sub),
    };
    return program(ctx).catch((err: unknown) => { io.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`); return 1; })
      .finally(() => parent?.removeEventListener('abort', relay));
  }

  /** Runs a program in this container (kubectl exec, exec probes) with its current environment and files. */
  exec(argv: string[], io: { stdin: Readable | null; stdout: Writable; stderr: Writable; tty?: Tty; signal?: AbortSignal }): Promise<number> {
    return this.spawn(this.current ?? this.envOf(), argv, io);
  }

  /** Whether argv[0] exists in the image. */
  hasProgram(name: string | undefined): boolean {
    return !!findProgram(this.envOf().image, name);
  }

  /** Signals the process (SIGTERM, or SIGKILL to end it at once); resolves when it has stopped. */
  async stop(signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> {
    if (!this.abort || !('running' in this.state)) return;
    this.abort.abort(signal);
    this.stdin?.end();
    await this.done;
  }

  /**
   * The pod was terminated: a container still running past the grace period is reported killed
   * (137), one that never ran as upstream's kubelet reports it (ContainerStatusUnknown), so every
   * container's state is terminated in the pod's final status.
   */
  markTerminated(): void {
    if ('running' in this.state) {
      this.abort?.abort('SIGKILL');
      this.state = { terminated: { exitCode: 137, reason: 'Error', startedAt: this.state.running.startedAt, finishedAt: now(), containerID: this.containerID } };
      this.ready = false;
    } else if ('waiting' in this.state) {
      this.state = { terminated: { exitCode: 137, reason: 'ContainerStatusUnknown', message: 'The container could not be located when the pod was terminated' } };
    }
  }

  /** Whether the container process runs now. */
  get running(): boolean {
    return 'running' in this.state;
  }

  /** A log read shows this instance's output so far (a first attach then replays only what follows). */
  logShown(): void {
    this.out?.early?.shown();
  }

  /** Attaches a session: output is copied to out (after any early output); input (if any) goes to the container's stdin. */
  attach(input: Readable | null, out: Writable, onResize?: (cb: (cols: number, rows: number) => void) => void): Promise<void> {
    const early = this.out?.early?.take();
    if (early?.length) out.write(early);
    this.out?.sinks.add(out);
    if (onResize) onResize((c, r) => { for (const l of this.ttyListeners) l(c, r); });
    return new Promise((resolve) => {
      let detach = () => undefined as void;
      const finish = () => { detach(); this.out?.sinks.delete(out); resolve(); };
      out.once('finish', finish);
      out.once('close', finish);
      if (input) detach = connectStdin(input, { stdin: this.stdin, stdinOnce: !!this.spec.stdinOnce, tty: !!this.spec.tty }, finish);
      if (!('running' in this.state)) finish();
      this.done?.then(finish, finish);
    });
  }
}
