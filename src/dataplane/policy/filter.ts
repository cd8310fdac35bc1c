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
  private judged?: PolicyHopDetail;
  constructor(readonly action: 'drop', private readonly engine: PolicyEngine, private readonly flow: Routed) {}
  /** The full account, computed on first read (from the engine's state at that moment: read it right after planning). */
  get detail(): PolicyHopDetail {
    return (this.judged ??= this.engine.judge(this.flow.from, this.flow.to, this.flow.dst.port, this.flow.flow.protocol));
  }
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

  /** Allowed flows get no hop (nothing is allocated on the data path); a drop's hop explains it when read. */
  check(flow: Routed): Verdict {
    if (this.engine.allows(flow.from, flow.to, flow.dst.port, flow.flow.protocol)) return { allow: true };
    return { allow: false, hop: new PolicyHop('drop', this.engine, flow) };
  }
}
