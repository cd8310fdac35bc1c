/**
 * admissionregistration.k8s.io/v1 ValidatingAdmissionPolicy and ValidatingAdmissionPolicyBinding
 * schemas (k8s.io/api/admissionregistration/v1 types), reusing the webhook rule and condition pieces.
 */
import { List, Int64, Obj, Opt, Str, type KOptions, type Static } from '../schema.js';
import { Condition, kindProps, LabelSelector, type KObject } from '../meta.js';
import { MatchConditionSchema, RuleWithOperationsSchema } from './webhook-schema.js';

const A = 'io.k8s.api.admissionregistration.v1.';
const atomic: KOptions = { 'x-kubernetes-list-type': 'atomic' };
const byName: KOptions = { 'x-kubernetes-patch-strategy': 'merge', 'x-kubernetes-patch-merge-key': 'name', 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name'] };
const gvk = (kind: string): KOptions => ({ 'x-kubernetes-group-version-kind': [{ group: 'admissionregistration.k8s.io', version: 'v1', kind }] });

export const NamedRuleWithOperationsSchema = Obj(A + 'NamedRuleWithOperations', 'Operations and resources (optionally by name) a policy applies to.', {
  ...RuleWithOperationsSchema.properties,
  resourceNames: Opt(List(Str('A resource name.'), 'Names the rule applies to; empty means all.', atomic)),
});

export const MatchResourcesSchema = Obj(A + 'MatchResources', 'Which requests a policy or binding applies to.', {
  namespaceSelector: Opt(LabelSelector),
  objectSelector: Opt(LabelSelector),
  resourceRules: Opt(List(NamedRuleWithOperationsSchema, 'Operations and resources the policy matches.', atomic)),
  excludeResourceRules: Opt(List(NamedRuleWithOperationsSchema, 'Operations and resources the policy never matches.', atomic)),
  matchPolicy: Opt(Str('Exact or Equivalent (the default): how rules match requests made through other versions.')),
});

export const ValidationSchema = Obj(A + 'Validation', 'A CEL expression that must be true for a request to be admitted.', {
  expression: Str('CEL expression over object, oldObject, request, params, namespaceObject and variables.'),
  message: Opt(Str('Message returned when the validation fails.')),
  reason: Opt(Str('Unauthorized, Forbidden, Invalid (the default) or RequestEntityTooLarge.')),
  messageExpression: Opt(Str('CEL expression producing the message when the validation fails.')),
});

export const AuditAnnotationSchema = Obj(A + 'AuditAnnotation', 'An audit annotation computed by a CEL expression.', {
  key: Str('Key of the audit annotation.'),
  valueExpression: Str('CEL expression producing the annotation value (a string or null).'),
});

export const VariableSchema = Obj(A + 'Variable', 'A named CEL expression available to the other expressions as variables.NAME.', {
  name: Str('Name of the variable.'),
  expression: Str('CEL expression computing the variable.'),
});

export const ParamKindSchema = Obj(A + 'ParamKind', 'The kind of resource holding parameters.', {
  apiVersion: Opt(Str('API group version of the parameter resource.')),
  kind: Opt(Str('Kind of the parameter resource.')),
});

export const ValidatingAdmissionPolicySpecSchema = Obj(A + 'ValidatingAdmissionPolicySpec', 'What a ValidatingAdmissionPolicy checks.', {
  paramKind: Opt(ParamKindSchema),
  matchConstraints: Opt(MatchResourcesSchema),
  validations: Opt(List(ValidationSchema, 'CEL validations; all must pass.', atomic)),
  failurePolicy: Opt(Str('Ignore or Fail (the default): what happens when evaluating the policy fails.')),
  auditAnnotations: Opt(List(AuditAnnotationSchema, 'Audit annotations to record.', atomic)),
  matchConditions: Opt(List(MatchConditionSchema, 'CEL conditions that must all be true for the policy to be evaluated.', byName)),
  variables: Opt(List(VariableSchema, 'Variables available to the other expressions.', atomic)),
});

export const ValidatingAdmissionPolicyStatusSchema = Obj(A + 'ValidatingAdmissionPolicyStatus', 'The observed state of a ValidatingAdmissionPolicy.', {
  observedGeneration: Opt(Int64('The generation the controller observed.')),
  typeChecking: Opt(Obj(A + 'TypeChecking', 'Results of type checking the expressions.', {
    expressionWarnings: Opt(List(Obj(A + 'ExpressionWarning', 'A type-checking warning.', { fieldRef: Str('Path to the expression.'), warning: Str('The warning.') }), 'Type-checking warnings.', atomic)),
  })),
  conditions: Opt(List(Condition, 'Observations of the policy state.', byName)),
});

export const ValidatingAdmissionPolicySchema = Obj(A + 'ValidatingAdmissionPolicy', 'CEL validations that admit or refuse requests without changing them.', kindProps({
  spec: Opt(ValidatingAdmissionPolicySpecSchema),
  status: Opt(ValidatingAdmissionPolicyStatusSchema),
}), gvk('ValidatingAdmissionPolicy'));

export const ParamRefSchema = Obj(A + 'ParamRef', 'How a binding finds the parameter resources of its policy.', {
  name: Opt(Str('Name of the parameter resource.')),
  namespace: Opt(Str('Namespace of the parameter resource.')),
  selector: Opt(LabelSelector),
  parameterNotFoundAction: Opt(Str('Allow or Deny: what happens when no parameter resource is found.')),
});

export const ValidatingAdmissionPolicyBindingSchema = Obj(A + 'ValidatingAdmissionPolicyBinding', 'Binds a ValidatingAdmissionPolicy to resources and parameters.', kindProps({
  spec: Opt(Obj(A + 'ValidatingAdmissionPolicyBindingSpec', 'The policy, parameters, resources and actions of a binding.', {
    policyName: Opt(Str('Name of the ValidatingAdmissionPolicy bound.')),
    paramRef: Opt(ParamRefSchema),
    matchResources: Opt(MatchResourcesSchema),
    validationActions: Opt(List(Str('Deny, Warn or Audit.'), 'How failed validations are enforced.', { 'x-kubernetes-list-type': 'set' })),
  })),
}), gvk('ValidatingAdmissionPolicyBinding'));

export type NamedRuleWithOperations = Static<typeof NamedRuleWithOperationsSchema>;
export type MatchResources = Static<typeof MatchResourcesSchema>;
export type Validation = Static<typeof ValidationSchema>;
export type ValidatingAdmissionPolicy = Static<typeof ValidatingAdmissionPolicySchema> & KObject;
export type ValidatingAdmissionPolicyBinding = Static<typeof ValidatingAdmissionPolicyBindingSchema> & KObject;
