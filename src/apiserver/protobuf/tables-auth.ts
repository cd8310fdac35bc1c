/**
 * Field tables (notation in table.ts) for rbac.authorization.k8s.io/v1, authentication.k8s.io/v1
 * and the rest of authorization.k8s.io/v1, as their generated.proto number them.
 */
import type { Tables } from './table.js';

/** Messages of rbac.authorization.k8s.io/v1. */
export const rbacTables: Tables = {
  Role: 'metadata=1:ObjectMeta rules=2:[]PolicyRule',
  ClusterRole: 'metadata=1:ObjectMeta rules=2:[]PolicyRule aggregationRule=3:AggregationRule',
  RoleBinding: 'metadata=1:ObjectMeta subjects=2:[]Subject roleRef=3:RoleRef',
  ClusterRoleBinding: 'metadata=1:ObjectMeta subjects=2:[]Subject roleRef=3:RoleRef',
  PolicyRule: 'verbs=1:[]string apiGroups=2:[]string resources=3:[]string resourceNames=4:[]string nonResourceURLs=5:[]string',
  AggregationRule: 'clusterRoleSelectors=1:[]LabelSelector',
  Subject: 'kind=1:!string apiGroup=2 name=3:!string namespace=4',
  RoleRef: 'apiGroup=1:!string kind=2:!string name=3:!string',
};

/** Messages of authentication.k8s.io/v1. */
export const authenticationTables: Tables = {
  SelfSubjectReview: 'metadata=1:ObjectMeta',
  TokenReview: 'metadata=1:ObjectMeta spec=2:TokenReviewSpec',
  TokenReviewSpec: 'token=1 audiences=2:[]string',
  TokenRequest: 'metadata=1:ObjectMeta spec=2:TokenRequestSpec',
  TokenRequestSpec: 'audiences=1:[]string boundObjectRef=3:BoundObjectReference expirationSeconds=4:*int64',
  BoundObjectReference: 'kind=1 apiVersion=2 name=3 uid=4',
};

/** The authorization.k8s.io/v1 messages beyond SelfSubjectAccessReview. */
export const authorizationMoreTables: Tables = {
  SubjectAccessReview: 'metadata=1:ObjectMeta spec=2:SubjectAccessReviewSpec status=3:SubjectAccessReviewStatus',
  LocalSubjectAccessReview: 'metadata=1:ObjectMeta spec=2:SubjectAccessReviewSpec status=3:SubjectAccessReviewStatus',
  SubjectAccessReviewSpec: 'resourceAttributes=1:ResourceAttributes nonResourceAttributes=2:NonResourceAttributes user=3' +
    ' groups=4:[]string uid=6',
  SelfSubjectRulesReview: 'metadata=1:ObjectMeta spec=2:SelfSubjectRulesReviewSpec',
  SelfSubjectRulesReviewSpec: 'namespace=1',
};
