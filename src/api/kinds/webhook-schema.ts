/**
 * admissionregistration.k8s.io/v1 ValidatingWebhookConfiguration and MutatingWebhookConfiguration
 * schemas (k8s.io/api/admissionregistration/v1 types), shared by the kinds and the API server's
 * webhook dispatcher.
 */
import { Int32, List, Obj, Opt, Str, Type, type KOptions, type Static } from '../schema.js';
import { kindProps, LabelSelector, type KObject } from '../meta.js';

const A = 'io.k8s.api.admissionregistration.v1.';
const atomic: KOptions = { 'x-kubernetes-list-type': 'atomic' };
const byName: KOptions = { 'x-kubernetes-patch-strategy': 'merge', 'x-kubernetes-patch-merge-key': 'name', 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name'] };

export const ServiceReferenceSchema = Obj(A + 'ServiceReference', 'The Service a webhook is reached through.', {
  namespace: Str('Namespace of the Service.'),
  name: Str('Name of the Service.'),
  path: Opt(Str('URL path sent in every request to the Service.')),
  port: Opt(Int32('Port of the Service the webhook listens on; defaults to 443.')),
});

export const WebhookClientConfigSchema = Obj(A + 'WebhookClientConfig', 'How the API server makes a TLS connection to a webhook: a URL or a Service, and the CA bundle to verify it.', {
  url: Opt(Str('The webhook location as https://host[:port][/path]; exactly one of url or service.')),
  service: Opt(ServiceReferenceSchema),
  caBundle: Opt(Type.String({ format: 'byte', description: 'PEM-encoded CA bundle that verifies the webhook serving certificate.' })),
});

export const RuleWithOperationsSchema = Obj(A + 'RuleWithOperations', 'Operations and resources a webhook applies to.', {
  operations: Opt(List(Str('CREATE, UPDATE, DELETE, CONNECT or *.'), 'Operations the rule matches.', atomic)),
  apiGroups: Opt(List(Str('An API group; * for all.'), 'API groups the rule matches; "" is the core group.', atomic)),
  apiVersions: Opt(List(Str('An API version; * for all.'), 'API versions the rule matches.', atomic)),
  resources: Opt(List(Str('A resource, resource/subresource, * or */*.'), 'Resources the rule matches.', atomic)),
  scope: Opt(Str('Cluster, Namespaced or * (the default).')),
});

export const MatchConditionSchema = Obj(A + 'MatchCondition', 'A CEL expression that must be true for a request to be sent to the webhook.', {
  name: Str('Identifier of the condition, unique within the webhook.'),
  expression: Str('CEL expression over object, oldObject, request and authorizer; must evaluate to a bool.'),
});

const commonWebhookProps = {
  name: Str('Fully qualified name of the webhook, such as imagepolicy.kubernetes.io.'),
  clientConfig: WebhookClientConfigSchema,
  rules: Opt(List(RuleWithOperationsSchema, 'Operations and resources the webhook cares about.', atomic)),
  failurePolicy: Opt(Str('Ignore or Fail (the default): what happens when calling the webhook fails.')),
  matchPolicy: Opt(Str('Exact or Equivalent (the default): how rules match requests made through other versions.')),
  namespaceSelector: Opt(LabelSelector),
  objectSelector: Opt(LabelSelector),
  sideEffects: Str('None or NoneOnDryRun: whether calling the webhook has side effects.'),
  timeoutSeconds: Opt(Int32('Seconds the API server waits for the webhook, 1 to 30; defaults to 10.')),
  admissionReviewVersions: List(Str('An AdmissionReview version.'), 'AdmissionReview versions the webhook accepts, in preference order.', atomic),
  matchConditions: Opt(List(MatchConditionSchema, 'CEL conditions that must all be true for the webhook to be called.', byName)),
};

export const ValidatingWebhookSchema = Obj(A + 'ValidatingWebhook', 'An admission webhook that accepts or rejects requests.', commonWebhookProps);

export const MutatingWebhookSchema = Obj(A + 'MutatingWebhook', 'An admission webhook that may change objects.', {
  ...commonWebhookProps,
  reinvocationPolicy: Opt(Str('Never (the default) or IfNeeded: whether the webhook is called again after later mutations.')),
});

export const ValidatingWebhookConfigurationSchema = Obj(A + 'ValidatingWebhookConfiguration', 'Admission webhooks that accept or reject objects without changing them.', kindProps({
  webhooks: Opt(List(ValidatingWebhookSchema, 'The webhooks and the resources and operations they apply to.', byName)),
}), { 'x-kubernetes-group-version-kind': [{ group: 'admissionregistration.k8s.io', version: 'v1', kind: 'ValidatingWebhookConfiguration' }] });

export const MutatingWebhookConfigurationSchema = Obj(A + 'MutatingWebhookConfiguration', 'Admission webhooks that accept or reject and may change objects.', kindProps({
  webhooks: Opt(List(MutatingWebhookSchema, 'The webhooks and the resources and operations they apply to.', byName)),
}), { 'x-kubernetes-group-version-kind': [{ group: 'admissionregistration.k8s.io', version: 'v1', kind: 'MutatingWebhookConfiguration' }] });

export type ServiceReference = Static<typeof ServiceReferenceSchema>;
export type WebhookClientConfig = Static<typeof WebhookClientConfigSchema>;
export type RuleWithOperations = Static<typeof RuleWithOperationsSchema>;
export type MatchCondition = Static<typeof MatchConditionSchema>;
export type ValidatingWebhook = Static<typeof ValidatingWebhookSchema>;
export type MutatingWebhook = Static<typeof MutatingWebhookSchema>;
/** Either kind of webhook (the mutating one may carry a reinvocationPolicy). */
export type Webhook = ValidatingWebhook & { reinvocationPolicy?: string };
export type ValidatingWebhookConfiguration = Static<typeof ValidatingWebhookConfigurationSchema> & KObject;
export type MutatingWebhookConfiguration = Static<typeof MutatingWebhookConfigurationSchema> & KObject;
/** Either configuration kind. */
export type WebhookConfiguration = KObject & { webhooks?: Webhook[] };
