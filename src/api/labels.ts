/**
 * Label selectors as Kubernetes evaluates them (k8s.io/apimachinery/pkg/labels and
 * metav1 LabelSelector helpers): parsing `?labelSelector=` strings with the upstream parse
 * errors, matching, rendering, and validation of LabelSelector objects.
 */
import type { LabelSelector } from './meta.js';
import { field, type FieldError } from './errors.js';
import { isQualifiedName, isValidLabelValue } from './validation/names.js';
import { GoValue, goLabelSelector } from './gofmt.js';

/** A selector operator, spelled as in k8s.io/apimachinery/pkg/selection. */
export type Operator = 'in' | 'notin' | '=' | '==' | '!=' | 'exists' | '!' | 'gt' | 'lt';

/** One requirement of a selector; a selector is the AND of its requirements. */
export interface Requirement { key: string; operator: Operator; values: string[] }

type Labels = Record<string, string> | undefined | null;

/** Whether one requirement holds for a label set (Requirement.Matches). */
export function requirementMatches(r: Requirement, labels: Labels): boolean {
  const has = labels != null && Object.prototype.hasOwnProperty.call(labels, r.key);
  const val = has ? labels[r.key] : undefined;
  switch (r.operator) {
    case 'in': case '=': case '==': return has && r.values.includes(val as string);
    case 'notin': case '!=': return !has || !r.values.includes(val as string);
    case 'exists': return has;
    case '!': return !has;
    case 'gt': case 'lt': {
      if (!has || r.values.length !== 1 || !/^[-+]?\d+$/.test(val as string) || !/^[-+]?\d+$/.test(r.values[0] ?? '')) return false;
      const a = BigInt(val as string), b = BigInt(r.values[0] as string);
      return r.operator === 'gt' ? a > b : a < b;
    }
    default: return false;
  }
}

/** Whether every requirement holds (an empty list matches everything). */
export function requirementsMatch(reqs: Requirement[], labels: Labels): boolean {
  return reqs.every((r) => requirementMatches(r, labels));
}

/**
 * metav1.LabelSelectorAsSelector: the requirements of a LabelSelector, sorted by key;
 * `null` for a nil selector, which matches nothing.
 */
export function labelSelectorRequirements(sel: LabelSelector | undefined | null): Requirement[] | null {
  if (!sel) return null;
  const reqs: Requirement[] = [];
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) reqs.push({ key: k, operator: '=', values: [v] });
  for (const e of sel.matchExpressions ?? []) {
    const op = ({ In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!' } as Record<string, Operator>)[e.operator];
    if (op) reqs.push({ key: e.key, operator: op, values: [...(e.values ?? [])] });
  }
  return reqs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** Whether a LabelSelector selects a label set: nil selects nothing, an empty one everything. */
export function selectorMatches(sel: LabelSelector | undefined | null, labels: Labels): boolean {
  const reqs = labelSelectorRequirements(sel);
  return reqs !== null && requirementsMatch(reqs, labels);
}

/** Requirement.String(): `a=b`, `a in (x,y)`, `!a`, `a`. */
export function requirementString(r: Requirement): string {
  const vals = r.values.length === 1 ? r.values[0] as string : [...r.values].sort().join(',');
  switch (r.operator) {
    case 'exists': return r.key;
    case '!': return `!${r.key}`;
    case 'in': return `${r.key} in (${vals})`;
    case 'notin': return `${r.key} notin (${vals})`;
    case 'gt': return `${r.key}>${vals}`;
    case 'lt': return `${r.key}<${vals}`;
    default: return `${r.key}${r.operator}${vals}`;
  }
}

/** Selector.String() of a LabelSelector: requirements sorted by key, comma-joined; `` for nil or empty. */
export function selectorString(sel: LabelSelector | undefined | null): string {
  return (labelSelectorRequirements(sel) ?? []).map(requirementString).join(',');
}

/** metav1.FormatLabelSelector: like selectorString, but `<none>` when empty. */
export function formatSelector(sel: LabelSelector | undefined | null): string {
  return selectorString(sel) || '<none>';
}

export { parseLabelSelectorString } from './labels-parse.js';

/** metav1 validation.ValidateLabelSelector (strict: label values in expressions are checked). */
export function validateLabelSelector(sel: LabelSelector | undefined | null, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!sel) return errs;
  const ml = sel.matchLabels ?? {};
  for (const k of Object.keys(ml).sort()) {
    for (const m of isQualifiedName(k)) errs.push(field.invalid(`${path}.matchLabels`, k, m));
    for (const m of isValidLabelValue(ml[k] as string)) errs.push(field.invalid(`${path}.matchLabels`, ml[k], m));
  }
  (sel.matchExpressions ?? []).forEach((e, i) => {
    const p = `${path}.matchExpressions[${i}]`;
    const values = e.values ?? [];
    switch (e.operator) {
      case 'In': case 'NotIn':
        if (values.length === 0) errs.push(field.required(`${p}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
        break;
      case 'Exists': case 'DoesNotExist':
        if (values.length > 0) errs.push(field.forbidden(`${p}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
        break;
      default:
        errs.push(field.invalid(`${p}.operator`, e.operator, 'not a valid selector operator'));
    }
    for (const m of isQualifiedName(e.key ?? '')) errs.push(field.invalid(`${p}.key`, e.key, m));
    values.forEach((v, j) => { for (const m of isValidLabelValue(v)) errs.push(field.invalid(`${p}.values[${j}]`, v, m)); });
  });
  return errs;
}

/** The bad value Kubernetes prints for a LabelSelector field (`v1.LabelSelector{…}`). */
export function selectorValue(sel: LabelSelector | undefined | null): GoValue {
  return goLabelSelector(sel);
}
