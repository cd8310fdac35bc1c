/** The NetworkPolicy filter of the flow pipeline: judges each new flow's final source and destination. */
import type { Filter, Hop, Routed, Verdict } from '../../net/flow.js';
import type { PolicyEngine } from './engine.js';
import { describeVerdict } from './explain.js';
import type { PolicyHopDetail } from './model.js';

/** The filter's name in traces. */
export const POLICY_FILTER = 'network-policy';

/** A filter hop whose sentence is written only when someone reads it (the data path never does). */
class PolicyHop implements Hop<PolicyHopDetail> {
  readonly stage = 'filter' as const;
  readonly by = POLICY_FILTER;
  constructor(readonly action: 'allow' | 'drop', readonly detail: PolicyHopDetail) {}
  get summary(): string {
    return describeVerdict(this.detail);
  }
}

/** Whether a hop is the policy filter's (its detail is a PolicyHopDetail). */
export function isPolicyHop(h: Hop): h is Hop<PolicyHopDetail> {
  return h.by === POLICY_FILTER;
}

/** Judges routed flows with an engine (the engine may change underneath: verdicts are always current). */
export class NetworkPolicyFilter implements Filter {
  readonly name = POLICY_FILTER;

  constructor(private readonly engine: PolicyEngine) {}

  check(flow: Routed): Verdict {
    const d = this.engine.judge(flow.from, flow.to, flow.dst.port, flow.flow.protocol);
    return { allow: d.allow, hop: new PolicyHop(d.allow ? 'allow' : 'drop', d) };
  }
}
