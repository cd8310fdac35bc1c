/**
 * Probes: real connections sent through a running knet's pod network from a pod's own stack, as
 * `knet connectivity --probe` asks for them through the API server (`POST /knet/v1/probe`). A TCP
 * or SCTP probe dials; a UDP probe sends a datagram and waits for any reply. Nothing here opens a
 * host socket: every address is the virtual network's.
 */
import type { NetStack, Protocol } from '../net/types.js';
import { NetError } from '../net/types.js';

/** The path of the probe endpoint on knet's API server. */
export const PROBE_PATH = '/knet/v1/probe';
/** The default wait for an answer (a dropped dial or datagram gives up after it). */
export const PROBE_TIMEOUT_MS = 1000;
/** The longest wait a probe may ask for. */
export const PROBE_MAX_TIMEOUT_MS = 30_000;
/** The most probes one request may carry. */
export const PROBE_MAX_BATCH = 10_000;
/** How many probes of one request run at a time. */
export const PROBE_CONCURRENCY = 64;

/** One probe: from a pod (`ns/name`) to an address. */
export interface ProbeSpec {
  from: string;
  to: { ip: string; port: number };
  protocol: Protocol;
  timeoutMs?: number;
}

/**
 * What a probe saw: `connected` (TCP/SCTP connected, or a UDP reply), `refused` (the flow passed
 * every filter but nothing listens there), `timeout` (no answer: dropped), or `error` (the probe
 * could not be sent: unknown pod, bad address).
 */
export type ProbeOutcome = 'connected' | 'refused' | 'timeout' | 'error';

/** The answer to one probe. */
export interface ProbeResult { outcome: ProbeOutcome; detail?: string }

/** Whether a probe outcome means the network let the flow through (a refusal comes from the destination itself). */
export function passed(r: ProbeResult): boolean {
  return r.outcome === 'connected' || r.outcome === 'refused';
}

function failure(e: unknown, timeoutMs: number): ProbeResult {
  if (e instanceof NetError) {
    if (e.code === 'ETIMEDOUT') return { outcome: 'timeout', detail: `no answer within ${timeoutMs} ms` };
    if (e.code === 'ECONNREFUSED') return { outcome: 'refused', detail: 'connection refused' };
    return { outcome: 'error', detail: e.code };
  }
  return { outcome: 'error', detail: e instanceof Error ? e.message : String(e) };
}

function probeUdp(stack: NetStack, to: ProbeSpec['to'], timeoutMs: number): Promise<ProbeResult> {
  const sock = stack.udp(0);
  return new Promise<ProbeResult>((resolve) => {
    const timer = setTimeout(() => resolve({ outcome: 'timeout', detail: `no reply within ${timeoutMs} ms` }), timeoutMs);
    const done = (r: ProbeResult): void => { clearTimeout(timer); resolve(r); };
    sock.onMessage(() => done({ outcome: 'connected' }));
    sock.onError?.((err) => done(failure(err, timeoutMs)));
    // What `agnhost connect --protocol=udp` sends by default; serve-hostname answers any datagram.
    sock.send(Buffer.from('hostname\n'), to);
  }).finally(() => sock.close());
}

/** Sends one probe from a stack; never rejects. */
export async function probeFrom(stack: NetStack, spec: ProbeSpec): Promise<ProbeResult> {
  const timeoutMs = spec.timeoutMs ?? PROBE_TIMEOUT_MS;
  try {
    if (spec.protocol === 'UDP') return await probeUdp(stack, spec.to, timeoutMs);
    const conn = await stack.connect(spec.to, { timeoutMs, protocol: spec.protocol === 'SCTP' ? 'SCTP' : 'TCP' });
    conn.destroy();
    return { outcome: 'connected' };
  } catch (e) {
    return failure(e, timeoutMs);
  }
}

/** Runs `f` over `items` with at most `limit` at a time, keeping the order of results. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, f: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await f(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
