/** RBAC rule matching as plugin/pkg/auth/authorizer/rbac does it (RuleAllows and its helpers). */
import type { PolicyRule, Subject } from '../../api/kinds/rbac-schema.js';
import { serviceAccountUsername, type UserInfo } from './user.js';

/** What a request asks to do (authorizer.Attributes). */
export interface Attributes {
  user: UserInfo;
  verb: string;
  /** True for requests on API resources; false for non-resource paths such as /healthz. */
  resourceRequest: boolean;
  namespace?: string;
  apiGroup?: string;
  resource?: string;
  subresource?: string;
  name?: string;
  /** The path of a non-resource request. */
  path?: string;
}

const has = (list: string[] | undefined, v: string): boolean => (list ?? []).some((x) => x === '*' || x === v);

/** ResourceMatches: `*`, the exact resource or resource/subresource, or `*∕subresource`. */
export function resourceMatches(rule: PolicyRule, resource: string, subresource: string | undefined): boolean {
  const combined = subresource ? `${resource}/${subresource}` : resource;
  for (const r of rule.resources ?? []) {
    if (r === '*' || r === combined) return true;
    if (subresource && r === `*/${subresource}`) return true;
  }
  return false;
}

/** NonResourceURLMatches: `*`, the exact path, or a prefix ending in `*`. */
export function nonResourceURLMatches(rule: PolicyRule, path: string): boolean {
  return (rule.nonResourceURLs ?? []).some((u) => u === '*' || u === path || (u.endsWith('*') && path.startsWith(u.replace(/\*+$/, ''))));
}

/** RuleAllows: whether one rule covers the request. */
export function ruleAllows(a: Attributes, rule: PolicyRule): boolean {
  if (!has(rule.verbs, a.verb)) return false;
  if (!a.resourceRequest) return nonResourceURLMatches(rule, a.path ?? '');
  if (!has(rule.apiGroups, a.apiGroup ?? '')) return false;
  if (!resourceMatches(rule, a.resource ?? '', a.subresource)) return false;
  return !rule.resourceNames?.length || rule.resourceNames.includes(a.name ?? '');
}

/** appliesToUser: a User by name, a Group by membership, a ServiceAccount by its username (namespace defaulting to the binding's). */
export function subjectApplies(user: UserInfo, s: Subject, bindingNamespace: string): boolean {
  switch (s.kind) {
    case 'User': return user.username === s.name;
    case 'Group': return user.groups.includes(s.name);
    case 'ServiceAccount': {
      const ns = s.namespace || bindingNamespace;
      return !!ns && user.username === serviceAccountUsername(ns, s.name);
    }
    default: return false;
  }
}
