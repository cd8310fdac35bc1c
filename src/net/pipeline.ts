/**
 * The flow pipeline: translators in the order added, routing to the stack owning the final
 * address, then filters in the order added. Planning is pure; committing hands each translator
 * its own hops.
 */
import type { Filter, Flow, FlowPlan, Hop, Peer, Routed, Translator } from './flow.js';
import type { Addr } from './types.js';

/** The trace of a flow nobody had anything to say about (shared, never added to). */
const NO_HOPS: Hop[] = Object.freeze([]) as unknown as Hop[];

/** A trace with one more hop (a new array in place of the shared empty one). */
function withHop(trace: Hop[], h: Hop): Hop[] {
  if (trace === NO_HOPS) return [h];
  trace.push(h);
  return trace;
}

/** Finds who owns an address now for a flow (undefined: nobody in the network). */
export type Locate = (ip: string, flow: Flow) => Peer | undefined;

/** Two ordered phases over one network. */
export class FlowPipeline {
  private translators: readonly Translator[] = [];
  private filters: readonly Filter[] = [];

  constructor(private readonly locate: Locate) {}

  /** Adds a translator after the present ones; returns its removal. */
  addTranslator(t: Translator): () => void {
    this.translators = [...this.translators, t];
    return () => { this.translators = this.translators.filter((x) => x !== t); };
  }

  /** Adds a filter after the present ones; returns its removal. */
  addFilter(f: Filter): () => void {
    this.filters = [...this.filters, f];
    return () => { this.filters = this.filters.filter((x) => x !== f); };
  }

  /** Plans a flow: no state changes, no randomness beyond the flow's own seed. */
  plan(flow: Flow): FlowPlan {
    let trace: Hop[] = NO_HOPS;
    let dst: Addr = flow.dst;
    let src: Addr = flow.src;
    let translated = false;
    for (const t of this.translators) {
      const r = t.translate(flow, dst);
      if (!r) continue;
      trace = withHop(trace, r.hop);
      translated = true;
      if (r.action !== 'translate') return { flow, verdict: r.action, dst, src, from: flow.from, to: undefined, translated, trace };
      dst = r.dst;
      if (r.src) src = r.src;
    }
    const from = src === flow.src ? flow.from : this.locate(src.ip, flow) ?? { kind: 'outside', ip: src.ip };
    const to = this.locate(dst.ip, flow);
    if (!to) {
      trace = withHop(trace, { stage: 'route', by: 'network', action: 'drop', summary: `no pod, node or host has address ${dst.ip}: the packets go nowhere` });
      return { flow, verdict: 'drop', dst, src, from, to: undefined, translated, trace };
    }
    if (this.filters.length) {
      const routed: Routed = { flow, src, dst, from, to };
      for (const f of this.filters) {
        const v = f.check(routed);
        if (v.hop) trace = withHop(trace, v.hop);
        if (!v.allow) return { flow, verdict: 'drop', dst, src, from, to, translated, trace };
      }
    }
    return { flow, verdict: 'deliver', dst, src, from, to, translated, trace };
  }

  /** Records a plan's decisions: each translator gets its own hops. */
  commit(plan: FlowPlan): void {
    for (const hop of plan.trace) {
      if (hop.stage !== 'translate') continue;
      for (const t of this.translators) if (t.name === hop.by) t.commit?.(hop, plan.flow);
    }
  }

  /** Whether every translation of an established flow still stands. */
  holds(plan: FlowPlan): boolean {
    for (const hop of plan.trace) {
      if (hop.stage !== 'translate') continue;
      const t = this.translators.find((x) => x.name === hop.by);
      if (!t || (t.holds && !t.holds(hop, plan.flow))) return false;
    }
    return true;
  }
}
