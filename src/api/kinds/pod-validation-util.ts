/** Small validation helpers shared by the pod, node and event kinds (ValidateDNS1123Label, ValidateLabels, …). */
import { field, type FieldError } from '../errors.js';
import { isDNS1123Label, isDNS1123Subdomain, isQualifiedName, isValidLabelValue } from '../validation/names.js';

/** ValidateDNS1123Label: one Invalid error per problem. */
export function dnsLabel(value: string, path: string): FieldError[] {
  return isDNS1123Label(value).map((m) => field.invalid(path, value, m));
}

/** ValidateDNS1123Subdomain-style name check: one Invalid error per problem. */
export function dnsSubdomain(value: string, path: string): FieldError[] {
  return isDNS1123Subdomain(value).map((m) => field.invalid(path, value, m));
}

/** unversionedvalidation.ValidateLabels: keys are qualified names, values label values. */
export function validateLabels(labels: Record<string, string> | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const [k, v] of Object.entries(labels ?? {})) {
    for (const m of isQualifiedName(k)) errs.push(field.invalid(path, k, m));
    for (const m of isValidLabelValue(v)) errs.push(field.invalid(path, v, m));
  }
  return errs;
}

/** ValidateNonnegativeField. */
export function nonNegative(value: number | undefined, path: string): FieldError[] {
  return value !== undefined && value < 0 ? [field.invalid(path, value, 'must be greater than or equal to 0')] : [];
}

/** Whether a string is an IPv4 or IPv6 address. */
export function isIP(s: string): boolean {
  if (/^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/.test(s)) return true;
  if (!s.includes(':') || !/^[0-9a-fA-F:.]+$/.test(s)) return false;
  const dbl = s.split('::');
  if (dbl.length > 2) return false;
  const groups = s.split(':').filter((g) => g !== '');
  return groups.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g) || isIP(g)) && (dbl.length === 2 ? groups.length < 8 : groups.length === 8);
}
