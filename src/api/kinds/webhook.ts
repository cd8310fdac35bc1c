/**
 * ValidatingWebhookConfiguration and MutatingWebhookConfiguration (admissionregistration.k8s.io/v1):
 * defaulting as pkg/apis/admissionregistration/v1/defaults.go, validation, and kube-apiserver's
 * printer (NAME WEBHOOKS AGE).
 */
import type { ResourceDef } from '../resource.js';
import { age, ageColumn, col, nameColumn } from '../printers/util.js';
import {
  MutatingWebhookConfigurationSchema, ValidatingWebhookConfigurationSchema,
  type MutatingWebhookConfiguration, type ValidatingWebhookConfiguration, type Webhook, type WebhookConfiguration,
} from './webhook-schema.js';
import { updateOptions, validateWebhooks } from './webhook-validation.js';

/** SetDefaults_{Validating,Mutating}Webhook, SetDefaults_Rule and SetDefaults_ServiceReference. */
export function defaultWebhook(h: Webhook, mutating: boolean): void {
  h.failurePolicy ??= 'Fail';
  h.matchPolicy ??= 'Equivalent';
  h.namespaceSelector ??= {};
  h.objectSelector ??= {};
  h.timeoutSeconds ??= 10;
  if (mutating) h.reinvocationPolicy ??= 'Never';
  for (const r of h.rules ?? []) r.scope ??= '*';
  const svc = h.clientConfig?.service;
  if (svc) svc.port ??= 443;
}

function configDef<T extends WebhookConfiguration>(kind: string, plural: string, mutating: boolean, schema: ResourceDef['schema']): ResourceDef<T> {
  return {
    group: 'admissionregistration.k8s.io', version: 'v1', kind, plural, singular: plural.slice(0, -1),
    namespaced: false, shortNames: [], categories: ['api-extensions'],
    schema, statusSubresource: false, generation: true,
    default: (c) => { for (const h of c.webhooks ?? []) defaultWebhook(h, mutating); },
    validate: (c, ctx) => (ctx.operation === 'update' ? [] : validateWebhooks(c.webhooks ?? [], { mutating, requireNoSideEffects: true, requireUniqueNames: true })),
    validateUpdate: (c, old) => validateWebhooks(c.webhooks ?? [], updateOptions(old.webhooks ?? [], mutating)),
    columns: [
      nameColumn,
      col('Webhooks', 'integer', 'Webhooks indicates the number of webhooks registered in this configuration'),
      ageColumn,
    ],
    row: (c, now) => [c.metadata.name ?? '', (c.webhooks ?? []).length, age(c.metadata.creationTimestamp, now)],
  };
}

export const validatingWebhookConfigurationDef = configDef<ValidatingWebhookConfiguration>(
  'ValidatingWebhookConfiguration', 'validatingwebhookconfigurations', false, ValidatingWebhookConfigurationSchema);

export const mutatingWebhookConfigurationDef = configDef<MutatingWebhookConfiguration>(
  'MutatingWebhookConfiguration', 'mutatingwebhookconfigurations', true, MutatingWebhookConfigurationSchema);
