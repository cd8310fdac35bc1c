/** The node agent's side of exec, attach, logs and port-forward (what the API server streams to kubectl). */
import { Writable, type Duplex } from 'node:stream';
import { errors, StatusError } from '../../api/errors.js';
import type { NodeAgent } from './agent.js';
import type { ContainerRunner } from './container.js';
import { ExecStartError, execNotFoundMessage, type LogOptions, type PodStreamBackend, type StreamIO } from '../../apiserver/streams/backend.js';
import { randomBytes } from 'node:crypto';
import type { PodWorker } from './pod-worker.js';

type SessionIO = StreamIO;

function badRequest(message: string): StatusError {
  return errors.badRequest(message);
}

function lookup(agent: NodeAgent, ns: string, pod: string, container: string | undefined): { w: PodWorker; r: ContainerRunner } {
  const w = agent.worker(ns, pod);
  if (!w) throw badRequest(`pod ${pod} does not have a host assigned`);
  const all = [...w.main, ...w.init];
  const name = container ?? ((w.pod.metadata.annotations ?? {})['kubectl.kubernetes.io/default-container']) ?? w.main[0]?.spec.name;
  const r = all.find((x) => x.spec.name === name);
  if (!r) throw badRequest(`container ${name ?? ''} is not valid for pod ${pod}`);
  return { w, r };
}

/** exec: runs a program of the container's image; resolves with its exit code. */
export async function execInPod(agent: NodeAgent, ns: string, pod: string, container: string | undefined, command: string[], io: SessionIO): Promise<number> {
  const { r } = lookup(agent, ns, pod, container);
  if (!r.running) throw badRequest(`unable to upgrade connection: container not found ("${r.spec.name}")`);
  const out = io.stdout ?? devNull();
  const err = io.stderr ?? out;
  if (!r.hasProgram(command[0])) throw new ExecStartError(execNotFoundMessage(randomBytes(32).toString('hex'), command[0] ?? ''));
  let resizeHandlers: ((c: number, r: number) => void)[] = [];
  const tty = io.tty ? { cols: 80, rows: 24, onResize: (h: (c: number, r: number) => void) => { resizeHandlers.push(h); } } : undefined;
  io.resize?.((c, rows) => { for (const h of resizeHandlers) h(c, rows); });
  const termOut = io.tty ? onlcr(out) : out;
  const code = await r.exec(command, { stdin: io.stdin, stdout: termOut, stderr: io.tty ? termOut : err, tty });
  if (termOut !== out) termOut.end();
  resizeHandlers = [];
  return code;
}

/** attach: connects to the container's stdio; resolves when the session ends. */
export async function attachToPod(agent: NodeAgent, ns: string, pod: string, container: string | undefined, io: SessionIO): Promise<number> {
  const { r } = lookup(agent, ns, pod, container);
  if (!r.running) throw badRequest(`container ${r.spec.name} in pod ${pod} is not running`);
  if (io.stdin && !r.spec.stdin) throw badRequest(`stdin is not enabled for container ${r.spec.name}`);
  await r.attach(io.stdin, io.stdout ?? devNull(), io.resize);
  return 0;
}

/** logs: writes the container's log (current or previous instance). */
export async function podLogs(agent: NodeAgent, ns: string, pod: string, opts: LogOptions, out: Writable, signal: AbortSignal): Promise<void> {
  const { r } = lookup(agent, ns, pod, opts.container);
  if (opts.previous) {
    if (!r.previousLog) throw badRequest(`previous terminated container "${r.spec.name}" in pod "${pod}" not found`);
    return r.previousLog.read({ ...opts, follow: false }, out, signal);
  }
  if ('waiting' in r.state && !r.started && r.restartCount === 0) {
    throw badRequest(`container "${r.spec.name}" in pod "${pod}" is waiting to start: ${r.state.waiting.reason}`);
  }
  r.logShown();
  return r.log.read(opts, out, signal);
}

/** port-forward: a connection from inside the pod's network namespace to localhost:port. */
export async function portForward(agent: NodeAgent, ns: string, pod: string, port: number): Promise<Duplex> {
  const w = agent.worker(ns, pod);
  if (!w?.stack) throw new Error(`error forwarding port ${port} to pod ${pod}: pod is not running`);
  try {
    return await w.stack.connect({ ip: '127.0.0.1', port }, { timeoutMs: 5000 });
  } catch (e) {
    throw new Error(`error forwarding port ${port} to pod ${w.pod.metadata.uid}, uid : failed to execute portforward in network namespace "/var/run/netns/cni-${w.pod.metadata.uid}": failed to connect to localhost:${port} inside namespace "${w.pod.metadata.uid}", IPv4: dial tcp4 127.0.0.1:${port}: connect: connection refused IPv6 dial tcp6 [::1]:${port}: connect: connection refused`, { cause: e });
  }
}

/** A terminal's output processing (ONLCR): a newline not already preceded by a carriage return becomes CR LF. */
export function onlcr(out: Writable): Writable {
  let lastCR = false;
  return new Writable({
    write(chunk: Buffer, _enc, cb) {
      const bytes: number[] = [];
      for (const b of chunk) {
        if (b === 0x0a && !lastCR) bytes.push(0x0d);
        bytes.push(b);
        lastCR = b === 0x0d;
      }
      out.write(Buffer.from(bytes), cb);
    },
  });
}

function devNull(): Writable {
  return new Writable({ write: (_c, _e, cb) => cb() });
}

/** The agent as the API server's stream backend. */
export function streamBackend(agent: NodeAgent): PodStreamBackend {
  return {
    exec: (ns, pod, c, cmd, io) => execInPod(agent, ns, pod, c, cmd, io),
    attach: (ns, pod, c, io) => attachToPod(agent, ns, pod, c, io),
    portForward: (ns, pod, port) => portForward(agent, ns, pod, port),
    logs: (ns, pod, opts, out, signal) => podLogs(agent, ns, pod, opts, out, signal),
  };
}

export { StatusError };
