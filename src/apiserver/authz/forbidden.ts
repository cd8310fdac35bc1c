/** kube-apiserver's 403 text for a refused request (responsewriters.forbiddenMessage). */
import { errors, type StatusError } from '../../api/errors.js';
import type { Attributes } from './rules.js';

/** `pods "x" is forbidden: User "u" cannot get resource "pods" in API group "" in the namespace "ns"`. */
export function forbidden(a: Attributes): StatusError {
  const who = `User ${JSON.stringify(a.user.username)}`;
  if (!a.resourceRequest) return errors.forbidden(`forbidden: ${who} cannot ${a.verb} path ${JSON.stringify(a.path ?? '')}`);
  const res = a.subresource ? `${a.resource}/${a.subresource}` : a.resource ?? '';
  const scope = a.namespace ? `in the namespace ${JSON.stringify(a.namespace)}` : 'at the cluster scope';
  const what = `${a.resource}${a.apiGroup ? `.${a.apiGroup}` : ''}${a.name ? ` ${JSON.stringify(a.name)}` : ''}`;
  return errors.forbidden(`${what} is forbidden: ${who} cannot ${a.verb} resource ${JSON.stringify(res)} in API group ${JSON.stringify(a.apiGroup ?? '')} ${scope}`);
}
