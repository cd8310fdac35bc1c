/**
 * The contract between the node agent and built-in images. An image is a set of programs (its
 * PATH) plus ENTRYPOINT/CMD; a container runs `command ?? entrypoint` + `args ?? cmd` (Kubernetes'
 * rules) by looking the first word up in the image's programs. `kubectl exec` runs a program the
 * same way. Programs get a process context: argv, env, stdio, a stop signal, the pod's network
 * stack and files, and a handle to the services of the cluster the pod runs in.
 */
import type { Readable, Writable } from 'node:stream';
import type { NetStack } from '../net/types.js';
import type { DnsHandler, DnsService } from '../dataplane/dns/index.js';
import type { IngressService } from '../dataplane/ingress/service.js';

/** A small in-memory filesystem, one per container (pod-wide files like /etc/hosts are shared). */
export interface FileSystem {
  read(path: string): Buffer | undefined;
  write(path: string, data: Buffer | string): void;
  /** Names directly under a directory, or undefined when it is not a directory. */
  list(dir: string): string[] | undefined;
  exists(path: string): boolean;
  remove(path: string): boolean;
}

/** The pod facts a program can see. */
export interface PodInfo {
  namespace: string;
  name: string;
  uid: string;
  ip: string;
  nodeName: string;
  nodeIP: string;
  hostname: string;
  containerName: string;
  image: string;
  labels: Record<string, string>;
}

/** Terminal facts for tty sessions. */
export interface Tty {
  cols: number;
  rows: number;
  onResize(handler: (cols: number, rows: number) => void): void;
}

/**
 * The services of one cluster that built-in images serve or read (the coredns image serves `dns`).
 * One handle per Cluster, shared by all its pods; a member is present while its service runs. Each
 * service the images need next (e.g. the Ingress controller's API watch and route table) is one more
 * optional member, so an image only ever reaches the cluster its pod belongs to.
 */
export interface ClusterServices {
  /** Cluster DNS: the query handler and, as a DnsService, the Corefile the coredns image compiles and applies. */
  dns?: DnsHandler | DnsService;
  /** The Ingress controller's shared routes and status writer, which the ingress-nginx image attaches to. */
  ingress?: IngressService;
}

/** Everything a running program gets. */
export interface ProcessContext {
  argv: string[];
  env: Record<string, string>;
  cwd: string;
  stdin: Readable | null;
  stdout: Writable;
  stderr: Writable;
  /** Present when the process runs with a terminal (stdout and stderr are then the same stream). */
  tty?: Tty;
  /** Aborted when the process must stop (SIGTERM on pod deletion, exec session closed). */
  signal: AbortSignal;
  pod: PodInfo;
  net: NetStack;
  fs: FileSystem;
  /** The services of the pod's cluster (read-only for programs; the Cluster fills it in as they start). */
  cluster: Readonly<ClusterServices>;
  /** Runs another program of the same image (shells use it); resolves with its exit code, 127 when not found. `signal` (optional) stops the child (a shell's Ctrl-C). */
  spawn(argv: string[], io: { stdin: Readable | null; stdout: Writable; stderr: Writable; env?: Record<string, string>; cwd?: string; signal?: AbortSignal }): Promise<number>;
  /** The container's declared ports (the stand-in for unknown images serves them). */
  ports?: { containerPort: number; protocol: string; name?: string }[];
  /** Logs a line to the node agent's log (not the container's). */
  debug?(line: string): void;
}

/** A program: resolves with the exit code (128+signal for signals, e.g. 143 for SIGTERM). */
export type Program = (ctx: ProcessContext) => Promise<number>;

/** A built-in image. */
export interface ImageDef {
  /** Repository names this image answers to, without registry or tag (e.g. `nginx`, `library/nginx`, `hashicorp/http-echo`). */
  repositories: string[];
  entrypoint: string[];
  cmd: string[];
  workingDir?: string;
  env?: Record<string, string>;
  /** Files present in the image (e.g. /usr/share/nginx/html/index.html). */
  files?: Record<string, string>;
  /** The image's programs by name; argv[0] is matched by basename (`/bin/sh` → `sh`). */
  programs: Record<string, Program>;
  /** Set on the stand-in for an image knet does not have: it runs its entrypoint whatever the pod's command says. */
  standIn?: boolean;
}
