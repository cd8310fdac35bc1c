/** The authenticated identity of a request (k8s.io/apiserver user.Info) and the well-known names around it. */

/** Who a request acts as. */
export interface UserInfo {
  username: string;
  uid?: string;
  groups: string[];
  extra?: Record<string, string[]>;
}

/** The group every authenticated identity belongs to. */
export const AUTHENTICATED = 'system:authenticated';
/** The group of anonymous requests. */
export const UNAUTHENTICATED = 'system:unauthenticated';
/** The group whose members may do anything (kube-apiserver's privileged group). */
export const MASTERS = 'system:masters';
/** The user of requests without credentials. */
export const ANONYMOUS: UserInfo = { username: 'system:anonymous', groups: [UNAUTHENTICATED] };

const SA_PREFIX = 'system:serviceaccount:';

/** `system:serviceaccount:<ns>:<name>` (serviceaccount.MakeUsername). */
export function serviceAccountUsername(namespace: string, name: string): string {
  return `${SA_PREFIX}${namespace}:${name}`;
}

/** The namespace and name of a service-account username, or undefined for other users. */
export function splitServiceAccountUsername(username: string): { namespace: string; name: string } | undefined {
  if (!username.startsWith(SA_PREFIX)) return undefined;
  const parts = username.slice(SA_PREFIX.length).split(':');
  if (parts.length !== 2 || !parts[0] || !parts[1]) return undefined;
  return { namespace: parts[0], name: parts[1] };
}

/** The groups of a service account's identity: system:serviceaccounts, system:serviceaccounts:<ns>, system:authenticated. */
export function serviceAccountGroups(namespace: string): string[] {
  return ['system:serviceaccounts', `system:serviceaccounts:${namespace}`, AUTHENTICATED];
}
