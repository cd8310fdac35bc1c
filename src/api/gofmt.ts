/**
 * Bad values rendered the way Go's `%#v` prints them inside Kubernetes field errors, e.g.
 * `map[string]string{"app":"web"}` or `v1.LabelSelector{MatchLabels:…, MatchExpressions:…}`.
 */
import type { LabelSelector } from './meta.js';

/**
 * A pre-rendered Go value: field error formatting prints `goRepr` verbatim instead of JSON
 * (the same shape as `GoRepr` in kinds/netval.ts).
 */
export class GoValue {
  constructor(readonly goRepr: string) {}
  toJSON(): string { return this.goRepr; }
  toString(): string { return this.goRepr; }
}

/** Go's `%q` for a string (close enough: JSON escaping). */
export function goQuote(s: string): string {
  return JSON.stringify(s);
}

/** `map[string]string{"a":"b", "c":"d"}` (keys sorted), `map[string]string(nil)` when absent. */
export function goStringMap(m: Record<string, string> | undefined | null): string {
  if (!m) return 'map[string]string(nil)';
  return `map[string]string{${Object.keys(m).sort().map((k) => `${goQuote(k)}:${goQuote(m[k] as string)}`).join(', ')}}`;
}

/** `[]string{"a", "b"}`, `[]string(nil)` when absent; `type` names the element type. */
export function goStringSlice(v: string[] | undefined | null, type = 'string'): string {
  if (!v) return `[]${type}(nil)`;
  return `[]${type}{${v.map(goQuote).join(', ')}}`;
}

/** A LabelSelector value as `%#v` prints the dereferenced `*metav1.LabelSelector`. */
export function goLabelSelector(sel: LabelSelector | undefined | null): GoValue {
  if (!sel) return new GoValue('"null"');
  const exprs = sel.matchExpressions
    ? `[]v1.LabelSelectorRequirement{${sel.matchExpressions.map((e) =>
      `v1.LabelSelectorRequirement{Key:${goQuote(e.key ?? '')}, Operator:${goQuote(e.operator ?? '')}, Values:${goStringSlice(e.values)}}`).join(', ')}}`
    : '[]v1.LabelSelectorRequirement(nil)';
  return new GoValue(`v1.LabelSelector{MatchLabels:${goStringMap(sel.matchLabels)}, MatchExpressions:${exprs}}`);
}

/** An IntOrString as `%#v` prints it: `intstr.IntOrString{Type:1, IntVal:0, StrVal:"25%"}`. */
export function goIntOrString(v: number | string | undefined | null): GoValue {
  if (typeof v === 'string') return new GoValue(`intstr.IntOrString{Type:1, IntVal:0, StrVal:${goQuote(v)}}`);
  return new GoValue(`intstr.IntOrString{Type:0, IntVal:${v ?? 0}, StrVal:""}`);
}
