/**
 * The contract between the API server's streaming subresources and whoever runs containers (the
 * node agent): exec, attach, port-forward and logs, plus helpers for kubelet-like error texts.
 */
import type { Duplex, Readable, Writable } from 'node:stream';

/** The standard streams of one exec/attach session. */
export interface StreamIO {
  /** Client input (null without `-i`); ends when the client closes stdin. */
  stdin: Readable | null;
  /** Output to the client (null when not requested). */
  stdout: Writable | null;
  /** Error output (null with a TTY: the terminal merges it into stdout). */
  stderr: Writable | null;
  /** Whether the client asked for a terminal. */
  tty: boolean;
  /** With a TTY: registers the terminal-size listener (called with the latest size at once if known). */
  resize?: (cb: (cols: number, rows: number) => void) => void;
}

/** Options of a log request (the PodLogOptions query). */
export interface LogOptions {
  container?: string;
  follow: boolean;
  previous: boolean;
  tailLines?: number;
  sinceSeconds?: number;
  sinceTime?: string;
  timestamps: boolean;
  limitBytes?: number;
}

/**
 * What the node side implements. Rejecting with a StatusError before the first `await` (i.e. at once)
 * turns into an HTTP error response before any upgrade, as the kubelet refuses a request; later
 * rejections are reported on the session's error channel.
 */
export interface PodStreamBackend {
  /** Runs a command in a container; resolves with its exit code. */
  exec(ns: string, pod: string, container: string | undefined, command: string[], io: StreamIO): Promise<number>;
  /** Attaches to a container's main process; resolves with its exit code (or 0 when detached). */
  attach(ns: string, pod: string, container: string | undefined, io: StreamIO): Promise<number>;
  /** Opens a connection to a pod port; reject with Error(message) and kubectl prints the message. */
  portForward(ns: string, pod: string, port: number): Promise<Duplex>;
  /** Writes a container's log to `out` (follow keeps going until `signal` aborts); need not end `out`. */
  logs(ns: string, pod: string, opts: LogOptions, out: Writable, signal: AbortSignal): Promise<void>;
}

/** The error a backend throws (not a StatusError) for a failure to start the process: kubectl prints it after `error: `. */
export class ExecStartError extends Error {}

/**
 * The message containerd/runc give for exec of a missing binary, as kubectl shows it after
 * `error: Internal error occurred: error executing command in container: `.
 */
export function execNotFoundMessage(execId: string, binary: string): string {
  const why = binary.includes('/') ? `stat ${binary}: no such file or directory` : 'executable file not found in $PATH';
  return `failed to exec in container: failed to start exec "${execId}": OCI runtime exec failed: exec failed: ` +
    `unable to start container process: exec: "${binary}": ${why}: unknown`;
}
