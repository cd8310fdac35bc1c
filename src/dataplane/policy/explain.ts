/** Sentences for people about policy verdicts (the filter hop's summary, `knet explain`, the drop log). */
import { formatRuleRef, type PolicyHopDetail, type SideVerdict } from './model.js';

/** One side in one sentence: `ingress of y/b: allowed by y/allow-web ingress[0] from[1]`. */
export function describeSide(s: SideVerdict, d: Pick<PolicyHopDetail, 'port' | 'protocol'>): string {
  const what = `${s.direction === 'Ingress' ? 'ingress of' : 'egress of'} ${s.pod}`;
  if (s.always === 'self') return `${what}: allowed: a pod can always reach itself`;
  if (s.always === 'node') return `${what}: allowed: traffic from the pod's own node is always allowed`;
  if (!s.isolated) return `${what}: allowed: no policy selects it for ${s.direction} (allowed by default)`;
  if (s.allow) return `${what}: allowed by ${s.allowedBy.map(formatRuleRef).join(', ')}`;
  const why = s.reason === 'no-rules' ? `no ${s.direction === 'Ingress' ? 'ingress' : 'egress'} rules (the pod is isolated)`
    : s.reason === 'port' ? `no rule allows port ${d.port}/${d.protocol}`
      : `no rule allows this ${s.direction === 'Ingress' ? 'source' : 'destination'}`;
  return `${what}: dropped: selected by ${s.selectedBy.join(', ')} (${s.direction}), ${why}`;
}

/** The whole verdict: each judged side, egress first. */
export function describeVerdict(d: PolicyHopDetail): string {
  const sides = [d.egress, d.ingress].filter((s): s is SideVerdict => s !== undefined);
  if (!sides.length) return 'allowed: neither end is a pod (NetworkPolicy does not apply)';
  return sides.map((s) => describeSide(s, d)).join('; ');
}
