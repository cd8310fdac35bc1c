/**
 * The service proxy's trace hop: which Service a flow reached and how, the endpoints its rules left
 * eligible and why, the one chosen, and any masquerade. The sentence for people is composed only
 * when read, so planning a flow costs no string building.
 */
import type { Hop } from '../../net/flow.js';
import type { Addr, Protocol } from '../../net/types.js';
import type { Endpoint } from './model.js';

/** How a flow reached a Service. */
export type ServiceVia = 'ClusterIP' | 'NodePort' | 'LoadBalancer';

/** The service proxy's account of one translation. */
export interface ServiceHopDetail {
  /** `namespace/name` of the Service. */
  readonly service: string;
  /** The compiled port (`namespace/name:portName`). */
  readonly port: string;
  readonly via: ServiceVia;
  /** The endpoints the Service's rules left eligible, and the rule that did (or why none is). */
  readonly eligible: readonly Endpoint[];
  readonly rule: string;
  /** The endpoint chosen, and how: the client's live affinity or the flow's seed. */
  readonly chosen: Endpoint | undefined;
  readonly choice: 'affinity' | 'seed' | undefined;
  /** ClientIP affinity to record when the plan is committed. */
  readonly affinity: { readonly key: string; readonly seconds: number } | undefined;
  /** The source address the endpoint sees when the flow is masqueraded, and why. */
  readonly masquerade: { readonly ip: string; readonly why: string } | undefined;
}

/** A hop of the service proxy. */
export type ServiceHop = Hop<ServiceHopDetail>;

/** The name the service proxy's hops carry. */
export const SERVICE_PROXY = 'service-proxy';

/** Whether a hop is the service proxy's. */
export function isServiceHop(h: Hop): h is ServiceHop {
  return h.by === SERVICE_PROXY && h.stage === 'translate';
}

/** A service hop whose summary is written when asked for. */
export class ServiceHopRecord implements ServiceHop {
  readonly stage = 'translate';
  readonly by = SERVICE_PROXY;

  constructor(readonly action: 'translate' | 'reject' | 'drop', readonly detail: ServiceHopDetail, private readonly dst: Addr, private readonly protocol: Protocol) {}

  /** One sentence: where the flow went and why. */
  get summary(): string {
    const d = this.detail;
    const to = `${d.via} ${this.dst.ip}:${this.dst.port}/${this.protocol} of Service ${d.service}`;
    if (!d.chosen) return `${to}: ${d.rule}`;
    const n = d.eligible.length;
    const how = d.choice === 'affinity' ? 'by ClientIP affinity' : `${n === 1 ? 'the only one of the' : `1 of ${n}`} ${d.rule}`;
    const m = d.masquerade;
    return `${to} -> ${d.chosen.addr} (${how})${m ? `, source masqueraded to ${m.ip} (${m.why})` : ''}`;
  }

  /** The hop as plain data (what JSON output of a trace shows). */
  toJSON(): Hop<ServiceHopDetail> {
    return { stage: this.stage, by: this.by, action: this.action, summary: this.summary, detail: this.detail };
  }
}
