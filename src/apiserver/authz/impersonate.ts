/**
 * Impersonation (`Impersonate-User`, `Impersonate-Group`, `Impersonate-Uid`, `Impersonate-Extra-*`
 * headers), as kube-apiserver's WithImpersonation filter: each requested attribute needs the
 * `impersonate` verb on users, groups, serviceaccounts, uids or userextras; the result is the new
 * request user (a service account gets its groups; everyone but anonymous gets system:authenticated).
 */
import type { IncomingHttpHeaders } from 'node:http';
import { errors } from '../../api/errors.js';
import type { RbacAuthorizer } from './rbac.js';
import { forbidden } from './forbidden.js';
import type { Attributes } from './rules.js';
import { AUTHENTICATED, serviceAccountGroups, splitServiceAccountUsername, type UserInfo } from './user.js';

const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** The user a request acts as after impersonation (the authenticated user when it asks for none). */
export function impersonate(headers: IncomingHttpHeaders, user: UserInfo, authz: RbacAuthorizer): UserInfo {
  const username = list(headers['impersonate-user'])[0];
  const groups = list(headers['impersonate-group']);
  const uid = list(headers['impersonate-uid'])[0];
  const extra: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (k.startsWith('impersonate-extra-')) extra[decodeURIComponent(k.slice('impersonate-extra-'.length))] = list(v);
  }
  if (username === undefined) {
    if (groups.length || uid !== undefined || Object.keys(extra).length) {
      throw errors.internal('requested impersonation of groups, uid or extra without impersonating a user');
    }
    return user;
  }
  const check = (a: Omit<Attributes, 'user' | 'verb' | 'resourceRequest'>): void => {
    const attrs: Attributes = { ...a, user, verb: 'impersonate', resourceRequest: true };
    if (!authz.authorize(attrs).allowed) throw forbidden(attrs);
  };
  const sa = splitServiceAccountUsername(username);
  if (sa) check({ apiGroup: '', resource: 'serviceaccounts', namespace: sa.namespace, name: sa.name });
  else check({ apiGroup: '', resource: 'users', name: username });
  for (const g of groups) check({ apiGroup: '', resource: 'groups', name: g });
  if (uid !== undefined) check({ apiGroup: 'authentication.k8s.io', resource: 'uids', name: uid });
  for (const [k, vs] of Object.entries(extra)) for (const v of vs) check({ apiGroup: 'authentication.k8s.io', resource: 'userextras', subresource: k, name: v });
  const out: UserInfo = { username, groups: groups.length ? [...groups] : sa ? serviceAccountGroups(sa.namespace) : [] };
  if (uid !== undefined) out.uid = uid;
  if (Object.keys(extra).length) out.extra = extra;
  if (username !== 'system:anonymous' && !out.groups.includes(AUTHENTICATED)) out.groups.push(AUTHENTICATED);
  return out;
}
