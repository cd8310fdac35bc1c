/**
 * Answers the create-only review kinds from the RBAC authorizer: SelfSubjectAccessReview,
 * SubjectAccessReview and LocalSubjectAccessReview (the decision), SelfSubjectRulesReview (the
 * rules in a namespace) and SelfSubjectReview (the caller's identity). Nothing is stored.
 */
import { errors } from '../../api/errors.js';
import type { KObject } from '../../api/meta.js';
import type { ResourceDef } from '../../api/resource.js';
import { apiVersionOf } from '../../api/resource.js';
import { validateAccessReview, type AccessReview } from '../../api/kinds/authorization.js';
import type { RbacAuthorizer } from './rbac.js';
import type { Attributes } from './rules.js';
import type { UserInfo } from './user.js';

/** Computes the answer to one review posted by `user` (in `namespace` for the local review). */
export function answerReview(authz: RbacAuthorizer, def: ResourceDef, body: KObject, namespace: string, user: UserInfo): KObject {
  const out: KObject = { kind: def.kind, apiVersion: apiVersionOf(def), metadata: { ...body.metadata, creationTimestamp: null as unknown as string } };
  switch (def.kind) {
    case 'SelfSubjectReview':
      return { ...out, status: { userInfo: { username: user.username, ...(user.uid ? { uid: user.uid } : {}), groups: user.groups, ...(user.extra ? { extra: user.extra } : {}) } } };
    case 'SelfSubjectRulesReview': {
      const ns = ((body['spec'] ?? {}) as { namespace?: string }).namespace ?? '';
      const rules = authz.rulesFor(user, ns);
      return {
        ...out, spec: body['spec'] ?? {}, status: {
          resourceRules: rules.filter((r) => !r.nonResourceURLs?.length).map((r) => ({ verbs: r.verbs, apiGroups: r.apiGroups ?? [], resources: r.resources ?? [], ...(r.resourceNames?.length ? { resourceNames: r.resourceNames } : {}) })),
          nonResourceRules: rules.filter((r) => r.nonResourceURLs?.length).map((r) => ({ verbs: r.verbs, nonResourceURLs: r.nonResourceURLs })),
          incomplete: false,
        },
      };
    }
  }
  const r = body as AccessReview;
  const self = def.kind === 'SelfSubjectAccessReview';
  const errs = validateAccessReview(r, !self);
  if (errs.length) throw errors.invalid(def.kind, body.metadata.name ?? '', errs, def.group);
  const spec = r.spec;
  if (def.kind === 'LocalSubjectAccessReview') {
    if (!spec.resourceAttributes) throw errors.badRequest('disallowed on this kind of request');
    if (spec.resourceAttributes.namespace === undefined || spec.resourceAttributes.namespace === '') spec.resourceAttributes.namespace = namespace;
    if (spec.resourceAttributes.namespace !== namespace) {
      throw errors.badRequest(`spec.resourceAttributes.namespace must match metadata.namespace: ${spec.resourceAttributes.namespace}`);
    }
  }
  const who: UserInfo = self ? user : { username: spec.user ?? '', groups: spec.groups ?? [], ...(spec.uid ? { uid: spec.uid } : {}), ...(spec.extra ? { extra: spec.extra } : {}) };
  const ra = spec.resourceAttributes; const nra = spec.nonResourceAttributes;
  const a: Attributes = ra
    ? { user: who, verb: ra.verb ?? '', resourceRequest: true, namespace: ra.namespace ?? '', apiGroup: ra.group ?? '', resource: ra.resource ?? '', subresource: ra.subresource || undefined, name: ra.name ?? '' }
    : { user: who, verb: nra?.verb ?? '', resourceRequest: false, path: nra?.path ?? '' };
  const d = authz.authorize(a);
  return { ...out, spec, status: { allowed: d.allowed, ...(d.reason ? { reason: d.reason } : {}) } };
}
