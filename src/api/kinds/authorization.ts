/**
 * Create-only review kinds, computed per request and never stored: authorization.k8s.io/v1
 * SelfSubjectAccessReview, SubjectAccessReview, LocalSubjectAccessReview, SelfSubjectRulesReview,
 * and authentication.k8s.io/v1 SelfSubjectReview. The API server answers them (apiserver/authz/reviews.ts).
 */
import { Obj, Opt, Str, Bool, List, MapOf, Free, Type, type Static } from '../schema.js';
import { kindProps, type KObject } from '../meta.js';
import type { ResourceDef } from '../resource.js';
import { field, type FieldError } from '../errors.js';
import { nameColumn } from '../printers/util.js';

const A = 'io.k8s.api.authorization.v1.';
const N = 'io.k8s.api.authentication.v1.';
const atomic = { 'x-kubernetes-list-type': 'atomic' } as const;
const strs = (d: string) => List(Str(''), d, atomic);
const gvk = (group: string, kind: string) => ({ 'x-kubernetes-group-version-kind': [{ group, version: 'v1', kind }] });

const ResourceAttributes = Obj(A + 'ResourceAttributes', 'A resource request to authorize.', {
  namespace: Opt(Str('Namespace of the request; "" means all namespaces for namespaced resources.')),
  verb: Opt(Str('The verb: get, list, create, …, or *.')),
  group: Opt(Str('API group of the resource; * means all.')),
  version: Opt(Str('API version of the resource; * means all.')),
  resource: Opt(Str('The resource; * means all.')),
  subresource: Opt(Str('The subresource; "" means none.')),
  name: Opt(Str('Name of the object; "" means all.')),
  fieldSelector: Opt(Free('Field selector of a list or watch.', A + 'FieldSelectorAttributes')),
  labelSelector: Opt(Free('Label selector of a list or watch.', A + 'LabelSelectorAttributes')),
});
const NonResourceAttributes = Obj(A + 'NonResourceAttributes', 'A non-resource request to authorize.', {
  path: Opt(Str('The URL path.')), verb: Opt(Str('The HTTP verb in lower case (get, post, …).')),
});
const AccessStatus = Obj(A + 'SubjectAccessReviewStatus', 'The decision.', {
  allowed: Bool('Whether the action is allowed.'),
  denied: Opt(Bool('Whether the action is explicitly denied.')),
  reason: Opt(Str('Why the decision was made.')),
  evaluationError: Opt(Str('An error met while deciding; the decision may still stand.')),
});
const userFields = {
  user: Opt(Str('The user to test.')), groups: Opt(strs('Groups of the user to test.')),
  extra: Opt(MapOf(Type.Array(Type.String()), 'Extra attributes of the user to test.')), uid: Opt(Str('UID of the user to test.')),
};
const attrs = { resourceAttributes: Opt(ResourceAttributes), nonResourceAttributes: Opt(NonResourceAttributes) };
const SelfSpec = Obj(A + 'SelfSubjectAccessReviewSpec', 'What to check for the requesting user.', attrs);
const SubjectSpec = Obj(A + 'SubjectAccessReviewSpec', 'What to check, for whom.', { ...attrs, ...userFields });

const RulesStatus = Obj(A + 'SubjectRulesReviewStatus', 'The rules a user has in a namespace.', {
  resourceRules: List(Obj(A + 'ResourceRule', 'Allowed actions on resources.', {
    verbs: strs('Verbs.'), apiGroups: Opt(strs('API groups.')), resources: Opt(strs('Resources.')), resourceNames: Opt(strs('Object names.')),
  }), 'Rules on resources.', atomic),
  nonResourceRules: List(Obj(A + 'NonResourceRule', 'Allowed actions on non-resource URLs.', {
    verbs: strs('Verbs.'), nonResourceURLs: Opt(strs('URL paths.')),
  }), 'Rules on non-resource URLs.', atomic),
  incomplete: Bool('Whether the list may miss rules (an authorizer cannot enumerate them).'),
  evaluationError: Opt(Str('An error met while listing.')),
});

const UserInfoSchema = Obj(N + 'UserInfo', 'An authenticated identity.', {
  username: Opt(Str('The user name.')), uid: Opt(Str('A unique id of the user.')), groups: Opt(strs('Groups of the user.')),
  extra: Opt(MapOf(Type.Array(Type.String()), 'Extra attributes.')),
});

export const SelfSubjectAccessReviewSchema = Obj(A + 'SelfSubjectAccessReview', 'Asks whether the requesting user may perform an action.',
  kindProps({ spec: SelfSpec, status: Opt(AccessStatus) }), gvk('authorization.k8s.io', 'SelfSubjectAccessReview'));
export const SubjectAccessReviewSchema = Obj(A + 'SubjectAccessReview', 'Asks whether a user may perform an action.',
  kindProps({ spec: SubjectSpec, status: Opt(AccessStatus) }), gvk('authorization.k8s.io', 'SubjectAccessReview'));
export const LocalSubjectAccessReviewSchema = Obj(A + 'LocalSubjectAccessReview', 'Asks whether a user may perform an action in this namespace.',
  kindProps({ spec: SubjectSpec, status: Opt(AccessStatus) }), gvk('authorization.k8s.io', 'LocalSubjectAccessReview'));
export const SelfSubjectRulesReviewSchema = Obj(A + 'SelfSubjectRulesReview', 'Lists what the requesting user may do in a namespace.',
  kindProps({ spec: Obj(A + 'SelfSubjectRulesReviewSpec', 'The namespace to list rules for.', { namespace: Opt(Str('The namespace.')) }), status: Opt(RulesStatus) }),
  gvk('authorization.k8s.io', 'SelfSubjectRulesReview'));
export const SelfSubjectReviewSchema = Obj(N + 'SelfSubjectReview', 'Tells the requesting user who the API server takes them for.',
  kindProps({ status: Opt(Obj(N + 'SelfSubjectReviewStatus', 'The identity.', { userInfo: Opt(UserInfoSchema) })) }),
  gvk('authentication.k8s.io', 'SelfSubjectReview'));

export const TokenReviewSchema = Obj(N + 'TokenReview', 'Asks who a token authenticates as.', kindProps({
  spec: Obj(N + 'TokenReviewSpec', 'The token to check.', {
    token: Opt(Str('The opaque bearer token.')), audiences: Opt(strs('Audiences the token must be meant for; empty means the API server\'s.')),
  }),
  status: Opt(Obj(N + 'TokenReviewStatus', 'The result.', {
    authenticated: Opt(Bool('Whether the token is valid.')), user: Opt(UserInfoSchema),
    audiences: Opt(strs('Audiences the token was found valid for.')), error: Opt(Str('Why the token is not valid.')),
  })),
}), gvk('authentication.k8s.io', 'TokenReview'));

/** An access review object (self, local or for a subject). */
export type AccessReview = Static<typeof SubjectAccessReviewSchema> & KObject;

/** ValidateSubjectAccessReviewSpec / ValidateSelfSubjectAccessReviewSpec. */
export function validateAccessReview(r: AccessReview, needsUser: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const s = r.spec ?? {};
  if (s.resourceAttributes && s.nonResourceAttributes) {
    errs.push(field.invalid('spec.nonResourceAttributes', s.nonResourceAttributes, 'cannot be specified in combination with resourceAttributes'));
  }
  if (!s.resourceAttributes && !s.nonResourceAttributes) {
    errs.push(field.invalid('spec.resourceAttributes', s.nonResourceAttributes ?? null, 'exactly one of nonResourceAttributes or resourceAttributes must be specified'));
  }
  if (needsUser && !s.user && !s.groups?.length) errs.push(field.invalid('spec.user', s.user ?? '', 'at least one of user or group must be specified'));
  return errs;
}

const review = (group: string, kind: string, plural: string, schema: ResourceDef['schema'], namespaced = false): ResourceDef => ({
  group, version: 'v1', kind, plural, singular: plural.replace(/s$/, ''), namespaced, shortNames: [], categories: [], schema,
  statusSubresource: false, generation: false, verbs: ['create'], columns: [nameColumn], row: (o) => [o.metadata.name ?? ''],
});

/** The review kinds, in discovery order. */
export const reviewKinds: ResourceDef[] = [
  review('authentication.k8s.io', 'SelfSubjectReview', 'selfsubjectreviews', SelfSubjectReviewSchema),
  review('authentication.k8s.io', 'TokenReview', 'tokenreviews', TokenReviewSchema),
  review('authorization.k8s.io', 'LocalSubjectAccessReview', 'localsubjectaccessreviews', LocalSubjectAccessReviewSchema, true),
  review('authorization.k8s.io', 'SelfSubjectAccessReview', 'selfsubjectaccessreviews', SelfSubjectAccessReviewSchema),
  review('authorization.k8s.io', 'SelfSubjectRulesReview', 'selfsubjectrulesreviews', SelfSubjectRulesReviewSchema),
  review('authorization.k8s.io', 'SubjectAccessReview', 'subjectaccessreviews', SubjectAccessReviewSchema),
];
