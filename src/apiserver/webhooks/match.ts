/**
 * Which webhooks a request goes to, as k8s.io/apiserver's webhook matchers decide: rules
 * (operation, group, version, resource/subresource, scope), the namespaceSelector (on the
 * namespace's labels; cluster-scoped objects other than namespaces always match) and the
 * objectSelector (on the new or the old object's labels).
 */
import { errors } from '../../api/errors.js';
import { selectorMatches } from '../../api/labels.js';
import type { KObject } from '../../api/meta.js';
import type { RuleWithOperations, Webhook } from '../../api/kinds/webhook-schema.js';
import type { AdmissionAttributes } from '../storage/attributes.js';

/** Resources whose requests never go to webhooks, so a broken webhook can always be removed. */
const EXEMPT = new Set(['validatingwebhookconfigurations', 'mutatingwebhookconfigurations']);

/** Whether requests for this resource are never sent to webhooks. */
export function exempt(a: Pick<AdmissionAttributes, 'def'>): boolean {
  return a.def.group === 'admissionregistration.k8s.io' && EXEMPT.has(a.def.plural);
}

function isNamespaceRequest(a: AdmissionAttributes): boolean {
  return a.def.group === '' && a.def.plural === 'namespaces';
}

/** `pods/status` → ['pods', 'status']; `*` → ['*', '']. */
function splitResource(r: string): [string, string] {
  const i = r.indexOf('/');
  return i < 0 ? [r, ''] : [r.slice(0, i), r.slice(i + 1)];
}

function scopeMatches(scope: string | undefined, a: AdmissionAttributes): boolean {
  if (scope === undefined || scope === '*') return true;
  if (scope === 'Namespaced') return !isNamespaceRequest(a) && a.namespace !== '';
  if (scope === 'Cluster') return isNamespaceRequest(a) || a.namespace === '';
  return false;
}

/** rules.Matcher.Matches for one rule. */
export function ruleMatches(r: RuleWithOperations, a: AdmissionAttributes): boolean {
  const ops = r.operations ?? [];
  if (!ops.includes('*') && !ops.includes(a.operation)) return false;
  const groups = r.apiGroups ?? [], versions = r.apiVersions ?? [];
  if (!groups.includes('*') && !groups.includes(a.def.group)) return false;
  if (!versions.includes('*') && !versions.includes(a.def.version)) return false;
  if (!scopeMatches(r.scope, a)) return false;
  return (r.resources ?? []).some((spec) => {
    const [res, sub] = splitResource(spec);
    return (res === '*' || res === a.def.plural) && (sub === '*' || sub === a.subresource);
  });
}

function empty(sel: Webhook['namespaceSelector']): boolean {
  return !sel || (Object.keys(sel.matchLabels ?? {}).length === 0 && (sel.matchExpressions ?? []).length === 0);
}

/** Looks a namespace's labels up (undefined: it does not exist). */
export type NamespaceLabels = (name: string) => Record<string, string> | undefined;

/**
 * MatchNamespaceSelector: true/false, or a 404 StatusError when the request's namespace does not
 * exist (as upstream). A namespace's own requests are judged by its own labels.
 */
export function namespaceMatches(h: Webhook, a: AdmissionAttributes, labelsOf: NamespaceLabels): boolean {
  if (a.namespace === '' && !isNamespaceRequest(a)) return true;
  if (empty(h.namespaceSelector)) return true;
  let labels: Record<string, string> | undefined;
  if (isNamespaceRequest(a)) labels = (a.object ?? a.oldObject)?.metadata.labels ?? {};
  else {
    labels = labelsOf(a.namespace);
    if (!labels) throw errors.notFound('namespaces', a.namespace);
  }
  return selectorMatches(h.namespaceSelector, labels);
}

function objectLabelsMatch(h: Webhook, o: KObject | undefined): boolean {
  // Objects without metadata (CONNECT options) never match, as meta.Accessor fails upstream.
  return o?.metadata !== undefined && selectorMatches(h.objectSelector, o.metadata.labels ?? {});
}

/** MatchObjectSelector: the new or the old object's labels. */
export function objectMatches(h: Webhook, a: AdmissionAttributes): boolean {
  if (empty(h.objectSelector)) return true;
  return objectLabelsMatch(h, a.object) || objectLabelsMatch(h, a.oldObject);
}

/** Whether the webhook should see the request (rules, then the namespace and object selectors). */
export function webhookApplies(h: Webhook, a: AdmissionAttributes, labelsOf: NamespaceLabels): boolean {
  if (!(h.rules ?? []).some((r) => ruleMatches(r, a))) return false;
  return namespaceMatches(h, a, labelsOf) && objectMatches(h, a);
}
