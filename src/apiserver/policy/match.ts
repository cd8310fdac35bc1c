/**
 * Which requests a policy and its binding apply to (k8s.io/apiserver's generic policy matcher):
 * resourceRules (with resourceNames) minus excludeResourceRules, then the namespace and object
 * selectors, all with the webhook matchers of src/apiserver/webhooks/match.ts.
 */
import type { MatchResources, NamedRuleWithOperations } from '../../api/kinds/validatingadmissionpolicy-schema.js';
import type { Webhook } from '../../api/kinds/webhook-schema.js';
import type { AdmissionAttributes } from '../storage/attributes.js';
import { exempt, namespaceMatches, objectMatches, ruleMatches, type NamespaceLabels } from '../webhooks/match.js';

/** Requests for admissionregistration.k8s.io configuration are never subject to policies (as upstream). */
export function policyExempt(a: AdmissionAttributes): boolean {
  return exempt(a) || (a.def.group === 'admissionregistration.k8s.io' && a.def.plural.startsWith('validatingadmissionpolic'));
}

function namedRuleMatches(r: NamedRuleWithOperations, a: AdmissionAttributes): boolean {
  if (!ruleMatches(r, a)) return false;
  const names = r.resourceNames ?? [];
  return names.length === 0 || names.includes(a.name);
}

/**
 * Whether `m` selects the request. A binding without matchResources, or with no resourceRules,
 * takes everything its policy matches (`required` false); a policy must list resourceRules.
 */
export function resourcesMatch(m: MatchResources | undefined, a: AdmissionAttributes, labelsOf: NamespaceLabels, required: boolean): boolean {
  if (!m) return !required;
  const rules = m.resourceRules ?? [];
  if (rules.length ? !rules.some((r) => namedRuleMatches(r, a)) : required) return false;
  if ((m.excludeResourceRules ?? []).some((r) => namedRuleMatches(r, a))) return false;
  const selectors = { namespaceSelector: m.namespaceSelector, objectSelector: m.objectSelector } as Webhook;
  return namespaceMatches(selectors, a, labelsOf) && objectMatches(selectors, a);
}
