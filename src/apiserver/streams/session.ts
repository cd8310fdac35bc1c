/** One exec/attach session, independent of transport: IO streams, running the backend, final Status. */
import { PassThrough } from 'node:stream';
import { StatusError, type Status } from '../../api/errors.js';
import type { PodStreamBackend, StreamIO } from './backend.js';

/** What an exec or attach request asks for (query parameters plus path). */
export interface SessionRequest {
  kind: 'exec' | 'attach';
  ns: string;
  pod: string;
  container?: string;
  command: string[];
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

/** The Status written on the error channel (kubelet omits kind/apiVersion). */
export type ChannelStatus = Omit<Status, 'kind' | 'apiVersion' | 'code'> & { code?: number };

/** The Status for an exit code: Success for 0, NonZeroExitCode otherwise. */
export function exitStatus(code: number): ChannelStatus {
  if (code === 0) return { metadata: {}, status: 'Success' };
  return {
    metadata: {}, status: 'Failure', message: `command terminated with non-zero exit code: exit status ${code}`,
    reason: 'NonZeroExitCode', details: { causes: [{ reason: 'ExitCode', message: String(code) }] },
  };
}

/** The Status for a backend failure: StatusErrors as they are, anything else as the kubelet's InternalError. */
export function failureStatus(kind: 'exec' | 'attach', e: unknown): ChannelStatus {
  if (e instanceof StatusError) {
    const { kind: _k, apiVersion: _a, ...rest } = e.status;
    return rest;
  }
  const msg = `${kind === 'exec' ? 'error executing command in container' : 'error attaching to container'}: ${e instanceof Error ? e.message : String(e)}`;
  return { metadata: {}, status: 'Failure', message: `Internal error occurred: ${msg}`, reason: 'InternalError', details: { causes: [{ message: msg }] }, code: 500 };
}

/** A started session: the IO the transport connects, and the final Status once the process ends. */
export interface Session {
  stdin: PassThrough | null;
  stdout: PassThrough | null;
  stderr: PassThrough | null;
  /** Delivers a terminal size from the client. */
  resize(cols: number, rows: number): void;
  /** Resolves with the Status after the output streams have ended. */
  done: Promise<ChannelStatus>;
  /** Resolves with a StatusError if the backend refused at once (before the upgrade), else undefined. */
  early: Promise<StatusError | undefined>;
}

/** Starts the backend for a request; the transport wires the returned streams. */
export function startSession(backend: PodStreamBackend, r: SessionRequest): Session {
  const stdin = r.stdin ? new PassThrough() : null;
  const stdout = r.stdout ? new PassThrough() : null;
  const stderr = r.stderr && !r.tty ? new PassThrough() : null;
  let size: [number, number] | undefined;
  let listener: ((c: number, r: number) => void) | undefined;
  const io: StreamIO = {
    stdin, stdout, stderr, tty: r.tty,
    ...(r.tty ? { resize: (cb: (c: number, rows: number) => void) => { listener = cb; if (size) cb(size[0], size[1]); } } : {}),
  };
  let result: Promise<number>;
  try {
    result = r.kind === 'exec' ? backend.exec(r.ns, r.pod, r.container, r.command, io) : backend.attach(r.ns, r.pod, r.container, io);
  } catch (e) {
    result = Promise.reject(e);
  }
  let settled: { ok: true; code: number } | { ok: false; err: unknown } | undefined;
  const outcome = result.then((code) => { settled = { ok: true, code }; }, (err: unknown) => { settled = { ok: false, err }; });
  const early = new Promise<StatusError | undefined>((resolve) => {
    setImmediate(() => resolve(settled && !settled.ok && settled.err instanceof StatusError && settled.err.code < 500 ? settled.err : undefined));
  });
  const ended = (s: PassThrough | null) => new Promise<void>((res) => {
    if (!s) { res(); return; }
    s.once('end', res);
    s.once('close', res);
    if (!s.writableEnded) s.end();
  });
  const done = outcome.then(async () => {
    await Promise.all([ended(stdout), ended(stderr)]);
    stdin?.destroy();
    const s = settled!;
    return s.ok ? exitStatus(s.code) : failureStatus(r.kind, s.err);
  });
  return { stdin, stdout, stderr, done, early, resize: (c, rows) => { size = [c, rows]; listener?.(c, rows); } };
}
