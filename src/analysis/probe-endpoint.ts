/**
 * The probe endpoint of knet's API server (`POST /knet/v1/probe`, authenticated like the API): a
 * probe `{from: "ns/pod", to: {ip, port}, protocol, timeoutMs}` or a batch `{probes: [...]}` is
 * sent from the source pod's own network stack; the answer is `{outcome, detail}` or
 * `{results: [...]}` in order. A batch runs PROBE_CONCURRENCY probes at a time.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isIP } from 'node:net';
import { errors } from '../api/errors.js';
import { readBody } from '../apiserver/http/request.js';
import { sendJSON } from '../apiserver/http/response.js';
import type { Network } from '../net/types.js';
import { mapLimit, PROBE_CONCURRENCY, PROBE_MAX_BATCH, PROBE_MAX_TIMEOUT_MS, probeFrom, type ProbeResult, type ProbeSpec } from './probe.js';

/** Where the endpoint finds a pod's address (the cluster view's pods). */
export type PodAddress = (namespace: string, name: string) => string | undefined;

const PROTOCOLS = new Set(['TCP', 'UDP', 'SCTP']);

/** Checks one probe's shape; throws a 400 Status naming the field. */
function checkSpec(v: unknown, at: string): ProbeSpec {
  const o = (v ?? {}) as Record<string, unknown>;
  const to = (o['to'] ?? {}) as Record<string, unknown>;
  const bad = (field: string, why: string): never => { throw errors.badRequest(`${at}${field}: ${why}`); };
  if (typeof v !== 'object' || v === null || Array.isArray(v)) bad('', 'a probe must be an object {from, to: {ip, port}, protocol, timeoutMs}');
  if (typeof o['from'] !== 'string' || !/^[^/]+\/[^/]+$/.test(o['from'])) bad('from', 'must be "namespace/pod"');
  if (typeof to['ip'] !== 'string' || !isIP(to['ip'])) bad('to.ip', 'must be an IP address');
  if (!Number.isInteger(to['port']) || (to['port'] as number) < 1 || (to['port'] as number) > 65535) bad('to.port', 'must be between 1 and 65535, inclusive');
  const protocol = String(o['protocol'] ?? 'TCP').toUpperCase();
  if (!PROTOCOLS.has(protocol)) bad('protocol', `Unsupported value: ${JSON.stringify(o['protocol'])}: supported values: "TCP", "UDP", "SCTP"`);
  const t = o['timeoutMs'];
  if (t !== undefined && (!Number.isInteger(t) || (t as number) < 1 || (t as number) > PROBE_MAX_TIMEOUT_MS)) bad('timeoutMs', `must be between 1 and ${PROBE_MAX_TIMEOUT_MS}`);
  return { from: o['from'] as string, to: { ip: to['ip'] as string, port: to['port'] as number }, protocol: protocol as ProbeSpec['protocol'], timeoutMs: t as number | undefined };
}

/** Sends one checked probe from its pod's stack. */
function run(network: Network, podAddress: PodAddress, spec: ProbeSpec): Promise<ProbeResult> {
  const [ns = '', name = ''] = spec.from.split('/');
  const ip = podAddress(ns, name);
  const stack = ip ? network.stackFor(ip) : undefined;
  if (!stack || stack.identity.kind !== 'pod' || stack.identity.namespace !== ns || stack.identity.name !== name) {
    return Promise.resolve({ outcome: 'error', detail: `pod ${spec.from} is not running with an address` });
  }
  return probeFrom(stack, spec);
}

/** The request handler of PROBE_PATH for a cluster's network. */
export function probeEndpoint(network: Network, podAddress: PodAddress): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return async (req, res) => {
    if (req.method !== 'POST') throw errors.methodNotAllowed(`the probe endpoint takes POST, not ${req.method ?? ''}`);
    let body: unknown;
    try { body = JSON.parse((await readBody(req)).toString('utf8')); } catch (e) {
      if (e instanceof SyntaxError) throw errors.badRequest(`the probe request is not JSON: ${e.message}`);
      throw e;
    }
    const batch = (body as { probes?: unknown } | null)?.probes;
    if (batch === undefined) return sendJSON(res, 200, await run(network, podAddress, checkSpec(body, '')));
    if (!Array.isArray(batch)) throw errors.badRequest('probes: must be a list of probes');
    if (batch.length > PROBE_MAX_BATCH) throw errors.badRequest(`probes: at most ${PROBE_MAX_BATCH} probes per request (got ${batch.length})`);
    const specs = batch.map((p, i) => checkSpec(p, `probes[${i}].`));
    sendJSON(res, 200, { results: await mapLimit(specs, PROBE_CONCURRENCY, (s) => run(network, podAddress, s)) });
  };
}
