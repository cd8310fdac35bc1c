/**
 * ValidatingAdmissionPolicy and ValidatingAdmissionPolicyBinding (admissionregistration.k8s.io/v1):
 * defaulting as pkg/apis/admissionregistration/v1/defaults.go, validation with upstream messages
 * (expressions must compile) and kube-apiserver's printers.
 */
import { parse } from '@bufbuild/cel';
import type { ResourceDef } from '../resource.js';
import { field, type FieldError } from '../errors.js';
import { validateLabelSelector } from '../labels.js';
import { age, ageColumn, col, nameColumn } from '../printers/util.js';
import type { MatchResources, ValidatingAdmissionPolicy, ValidatingAdmissionPolicyBinding } from './validatingadmissionpolicy-schema.js';
import { ValidatingAdmissionPolicyBindingSchema, ValidatingAdmissionPolicySchema } from './validatingadmissionpolicy-schema.js';

const REASONS = ['Forbidden', 'Invalid', 'RequestEntityTooLarge', 'Unauthorized'];
const ACTIONS = ['Audit', 'Deny', 'Warn'];

/** SetDefaults_MatchResources: Equivalent matching, empty selectors and `*` scopes. */
function defaultMatch(m: MatchResources | undefined): void {
  if (!m) return;
  m.matchPolicy ??= 'Equivalent';
  m.namespaceSelector ??= {};
  m.objectSelector ??= {};
  for (const r of [...m.resourceRules ?? [], ...m.excludeResourceRules ?? []]) r.scope ??= '*';
}

/** `compilation failed: …` when a CEL expression does not parse (as the CEL compiler reports it). */
export function compileError(path: string, expr: string | undefined): FieldError[] {
  if (!expr?.trim()) return [field.required(path)];
  try { parse(expr); return []; } catch (e) { return [field.invalid(path, expr, `compilation failed: ERROR: ${(e as Error).message}`)]; }
}

function validateMatch(m: MatchResources | undefined, path: string, required: boolean): FieldError[] {
  if (!m) return required ? [field.required(path)] : [];
  const errs = [...validateLabelSelector(m.namespaceSelector, `${path}.namespaceSelector`), ...validateLabelSelector(m.objectSelector, `${path}.objectSelector`)];
  if (m.matchPolicy !== undefined && !['Equivalent', 'Exact'].includes(m.matchPolicy)) errs.push(field.notSupported(`${path}.matchPolicy`, m.matchPolicy, ['Equivalent', 'Exact']));
  if (required && !(m.resourceRules ?? []).length) errs.push(field.required(`${path}.resourceRules`));
  for (const key of ['resourceRules', 'excludeResourceRules'] as const) {
    (m[key] ?? []).forEach((r, i) => {
      const p = `${path}.${key}[${i}]`;
      if (!(r.operations ?? []).length) errs.push(field.required(`${p}.operations`));
      if (!(r.apiGroups ?? []).length) errs.push(field.required(`${p}.apiGroups`));
      if (!(r.apiVersions ?? []).length) errs.push(field.required(`${p}.apiVersions`));
      if (!(r.resources ?? []).length) errs.push(field.required(`${p}.resources`));
    });
  }
  return errs;
}

/** validateValidatingAdmissionPolicy: validations, matchConditions, variables and their expressions. */
export function validatePolicy(p: ValidatingAdmissionPolicy): FieldError[] {
  const s = p.spec ?? {};
  const errs = validateMatch(s.matchConstraints, 'spec.matchConstraints', true);
  if (s.failurePolicy !== undefined && !['Fail', 'Ignore'].includes(s.failurePolicy)) errs.push(field.notSupported('spec.failurePolicy', s.failurePolicy, ['Fail', 'Ignore']));
  if (s.paramKind) {
    if (!s.paramKind.kind) errs.push(field.required('spec.paramKind.kind'));
    if (!s.paramKind.apiVersion) errs.push(field.required('spec.paramKind.apiVersion'));
  }
  if (!(s.validations ?? []).length && !(s.auditAnnotations ?? []).length) {
    errs.push(field.required('spec.validations', 'validations or auditAnnotations must contain at least one item'));
  }
  (s.validations ?? []).forEach((v, i) => {
    const path = `spec.validations[${i}]`;
    errs.push(...compileError(`${path}.expression`, v.expression));
    if (v.messageExpression !== undefined) errs.push(...compileError(`${path}.messageExpression`, v.messageExpression));
    if (v.message !== undefined && v.message.includes('\n')) errs.push(field.invalid(`${path}.message`, v.message, 'message must not contain line breaks'));
    if (v.reason !== undefined && !REASONS.includes(v.reason)) errs.push(field.notSupported(`${path}.reason`, v.reason, REASONS));
  });
  const names = new Set<string>();
  (s.matchConditions ?? []).forEach((c, i) => {
    if (!c.name) errs.push(field.required(`spec.matchConditions[${i}].name`));
    else if (names.has(c.name)) errs.push(field.duplicate(`spec.matchConditions[${i}].name`, c.name));
    names.add(c.name);
    errs.push(...compileError(`spec.matchConditions[${i}].expression`, c.expression));
  });
  (s.variables ?? []).forEach((v, i) => {
    if (!v.name) errs.push(field.required(`spec.variables[${i}].name`));
    errs.push(...compileError(`spec.variables[${i}].expression`, v.expression));
  });
  (s.auditAnnotations ?? []).forEach((a, i) => {
    if (!a.key) errs.push(field.required(`spec.auditAnnotations[${i}].key`));
    errs.push(...compileError(`spec.auditAnnotations[${i}].valueExpression`, a.valueExpression));
  });
  return errs;
}

/** validateValidatingAdmissionPolicyBinding: policyName, unique validationActions, paramRef and matchResources. */
export function validateBinding(b: ValidatingAdmissionPolicyBinding): FieldError[] {
  const s = b.spec ?? {};
  const errs: FieldError[] = [];
  if (!s.policyName) errs.push(field.required('spec.policyName'));
  const actions = s.validationActions ?? [];
  if (actions.length === 0) errs.push(field.required('spec.validationActions'));
  const seen = new Set<string>();
  actions.forEach((a, i) => {
    if (seen.has(a)) errs.push(field.duplicate(`spec.validationActions[${i}]`, a));
    seen.add(a);
    if (!ACTIONS.includes(a)) errs.push(field.notSupported(`spec.validationActions[${i}]`, a, ACTIONS));
  });
  if (seen.has('Deny') && seen.has('Warn')) errs.push(field.invalid('spec.validationActions', actions, 'must not contain both Deny and Warn (repeating the same validation failure information in the API response and headers serves no purpose)'));
  const pr = s.paramRef;
  if (pr) {
    if ((pr.name !== undefined && pr.name !== '') === (pr.selector !== undefined)) errs.push(field.forbidden('spec.paramRef.name', 'name and selector are mutually exclusive'));
    if (!pr.parameterNotFoundAction) errs.push(field.required('spec.paramRef.parameterNotFoundAction'));
    else if (!['Allow', 'Deny'].includes(pr.parameterNotFoundAction)) errs.push(field.notSupported('spec.paramRef.parameterNotFoundAction', pr.parameterNotFoundAction, ['Allow', 'Deny']));
  }
  errs.push(...validateMatch(s.matchResources, 'spec.matchResources', false));
  return errs;
}

/** The ValidatingAdmissionPolicy kind (status subresource: typeChecking stays empty). */
export const validatingAdmissionPolicyDef: ResourceDef<ValidatingAdmissionPolicy> = {
  group: 'admissionregistration.k8s.io', version: 'v1', kind: 'ValidatingAdmissionPolicy', plural: 'validatingadmissionpolicies', singular: 'validatingadmissionpolicy',
  namespaced: false, shortNames: [], categories: ['api-extensions'],
  schema: ValidatingAdmissionPolicySchema, statusSubresource: true, generation: true,
  default: (p) => { const s = p.spec; if (s) { s.failurePolicy ??= 'Fail'; defaultMatch(s.matchConstraints); } },
  prepareForCreate: (p) => { p.status = {}; },
  validate: (p) => validatePolicy(p),
  columns: [
    nameColumn,
    col('Validations', 'integer', 'Validations indicates the number of validation expressions'),
    col('ParamKind', 'string', 'ParamKind specifies the kind of resources used to parameterize this policy'),
    ageColumn,
  ],
  row: (p, now) => {
    const pk = p.spec?.paramKind;
    return [p.metadata.name ?? '', (p.spec?.validations ?? []).length, pk ? `${pk.apiVersion ?? ''}/${pk.kind ?? ''}` : '<unset>', age(p.metadata.creationTimestamp, now)];
  },
};

/** The ValidatingAdmissionPolicyBinding kind. */
export const validatingAdmissionPolicyBindingDef: ResourceDef<ValidatingAdmissionPolicyBinding> = {
  group: 'admissionregistration.k8s.io', version: 'v1', kind: 'ValidatingAdmissionPolicyBinding', plural: 'validatingadmissionpolicybindings', singular: 'validatingadmissionpolicybinding',
  namespaced: false, shortNames: [], categories: ['api-extensions'],
  schema: ValidatingAdmissionPolicyBindingSchema, statusSubresource: false, generation: true,
  default: (b) => defaultMatch(b.spec?.matchResources),
  validate: (b) => validateBinding(b),
  columns: [
    nameColumn,
    col('PolicyName', 'string', 'PolicyName indicates the policy definition which the policy binding binded to'),
    col('ParamRef', 'string', 'ParamRef indicates the param resource which sets the configration param'),
    ageColumn,
  ],
  row: (b, now) => {
    const pr = b.spec?.paramRef;
    const ref = !pr ? '<unset>' : pr.namespace ? `${pr.namespace}/${pr.name ?? '*'}` : pr.name ?? '*';
    return [b.metadata.name ?? '', b.spec?.policyName ?? '', ref, age(b.metadata.creationTimestamp, now)];
  },
};
