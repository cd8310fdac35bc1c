/**
 * Validation of webhook configurations with kube-apiserver's messages and field paths
 * (pkg/apis/admissionregistration/validation and k8s.io/apiserver/pkg/util/webhook).
 */
import { compileRule } from '../../apiextensions/cel.js';
import { conditionCostCheck } from '../../apiextensions/cel-estimate.js';
import { field, type FieldError } from '../errors.js';
import { validateLabelSelector } from '../labels.js';
import { isDNS1035Label, isDNS1123Subdomain, isQualifiedName, isValidPortNum } from '../validation/names.js';
import type { MatchCondition, RuleWithOperations, Webhook, WebhookClientConfig } from './webhook-schema.js';

const OPERATIONS = ['*', 'CONNECT', 'CREATE', 'DELETE', 'UPDATE'];
const SCOPES = ['*', 'Cluster', 'Namespaced'];
const REVIEW_VERSIONS = ['v1', 'v1beta1'];
const NO_SIDE_EFFECTS = ['None', 'NoneOnDryRun'];
const ALL_SIDE_EFFECTS = ['None', 'NoneOnDryRun', 'Some', 'Unknown'];

/** utilvalidation.IsFullyQualifiedName: a DNS subdomain with at least three segments. */
export function isFullyQualifiedName(path: string, name: string): FieldError[] {
  if (!name) return [field.required(path)];
  const n = name.endsWith('.') ? name.slice(0, -1) : name;
  const errs = isDNS1123Subdomain(n);
  if (errs.length) return [field.invalid(path, n, errs.join(','))];
  if (n.split('.').length < 3) return [field.invalid(path, n, 'should be a domain with at least three segments separated by dots')];
  return [];
}

function validateResources(resources: string[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (resources.length === 0) errs.push(field.required(path));
  const resWild = new Set<string>(), subWild = new Set<string>();
  let single = false, plain = false;
  resources.forEach((rs, i) => {
    if (!rs) { errs.push(field.required(`${path}[${i}]`)); return; }
    if (rs === '*') single = true;
    const slash = rs.indexOf('/');
    if (slash < 0) { plain = rs !== '*'; return; }
    const res = rs.slice(0, slash), sub = rs.slice(slash + 1);
    if (resWild.has(res)) errs.push(field.invalid(`${path}[${i}]`, rs, `if '${res}/*' is present, must not specify ${rs}`));
    if (subWild.has(sub)) errs.push(field.invalid(`${path}[${i}]`, rs, `if '*/${sub}' is present, must not specify ${rs}`));
    if (sub === '*') resWild.add(res);
    if (res === '*') subWild.add(sub);
  });
  if (resources.length > 1 && resources.includes('*/*')) errs.push(field.invalid(path, resources, "if '*/*' is present, must not specify other resources"));
  if (single && plain) errs.push(field.invalid(path, resources, "if '*' is present, must not specify other resources without subresources"));
  return errs;
}

function validateRule(r: RuleWithOperations, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const ops = r.operations ?? [], groups = r.apiGroups ?? [], versions = r.apiVersions ?? [];
  if (ops.length === 0) errs.push(field.required(`${path}.operations`));
  if (ops.length > 1 && ops.includes('*')) errs.push(field.invalid(`${path}.operations`, ops, "if '*' is present, must not specify other operations"));
  ops.forEach((o, i) => { if (!OPERATIONS.includes(o)) errs.push(field.notSupported(`${path}.operations[${i}]`, o, OPERATIONS)); });
  if (groups.length === 0) errs.push(field.required(`${path}.apiGroups`));
  if (groups.length > 1 && groups.includes('*')) errs.push(field.invalid(`${path}.apiGroups`, groups, "if '*' is present, must not specify other API groups"));
  if (versions.length === 0) errs.push(field.required(`${path}.apiVersions`));
  if (versions.length > 1 && versions.includes('*')) errs.push(field.invalid(`${path}.apiVersions`, versions, "if '*' is present, must not specify other API versions"));
  versions.forEach((v, i) => { if (!v) errs.push(field.required(`${path}.apiVersions[${i}]`)); });
  errs.push(...validateResources(r.resources ?? [], `${path}.resources`));
  if (r.scope !== undefined && !SCOPES.includes(r.scope)) errs.push(field.notSupported(`${path}.scope`, r.scope, SCOPES));
  return errs;
}

/** ValidateWebhookURL with https forced. */
function validateURL(path: string, raw: string): FieldError[] {
  const form = '; desired format: https://host[/path]';
  let u: URL;
  try { u = new URL(raw); } catch (e) { return [field.required(path, `url must be a valid URL: ${(e as Error).message}${form}`)]; }
  const errs: FieldError[] = [];
  if (u.protocol !== 'https:') errs.push(field.invalid(path, u.protocol.replace(/:$/, ''), "'https' is the only allowed URL scheme" + form));
  if (!u.host) errs.push(field.invalid(path, u.host, 'host must be specified' + form));
  if (u.username || u.password) errs.push(field.invalid(path, u.password ? `${u.username}:${u.password}` : u.username, 'user information is not permitted in the URL'));
  if (u.hash.length > 1) errs.push(field.invalid(path, u.hash.slice(1), 'fragments are not permitted in the URL'));
  if (u.search.length > 1) errs.push(field.invalid(path, u.search.slice(1), 'query parameters are not permitted in the URL'));
  return errs;
}

/** ValidateWebhookService: name, namespace, port and a path of DNS-subdomain segments. */
function validateService(path: string, cc: WebhookClientConfig): FieldError[] {
  const s = cc.service!;
  const errs: FieldError[] = [];
  if (!s.name) errs.push(field.required(`${path}.name`));
  if (!s.namespace) errs.push(field.required(`${path}.namespace`));
  const port = s.port ?? 443;
  const pe = isValidPortNum(port);
  if (pe.length) errs.push(field.invalid(`${path}.port`, port, 'port is not valid: ' + pe.join(', ')));
  const p = s.path;
  if (p === undefined || p === '' || p === '/') return errs;
  if (p === '//') return [...errs, field.invalid(`${path}.path`, p, 'segment[0] may not be empty')];
  if (!p.startsWith('/')) errs.push(field.invalid(`${path}.path`, p, "must start with a '/'"));
  let rest = p.slice(1);
  if (rest.endsWith('/')) rest = rest.slice(0, -1);
  rest.split('/').forEach((step, i) => {
    if (!step) { errs.push(field.invalid(`${path}.path`, p, `segment[${i}] may not be empty`)); return; }
    for (const m of isDNS1123Subdomain(step)) errs.push(field.invalid(`${path}.path`, p, `segment[${i}]: ${m}`));
  });
  return errs;
}

function validateMatchConditions(conds: MatchCondition[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (conds.length > 64) errs.push({ type: 'FieldValueTooMany', field: path, detail: `must have at most 64 items` });
  const names = new Set<string>();
  conds.forEach((c, i) => {
    const p = `${path}[${i}]`;
    if (!c.name) errs.push(field.required(`${p}.name`));
    else for (const m of isQualifiedName(c.name)) errs.push(field.invalid(`${p}.name`, c.name, m));
    if (c.name && names.has(c.name)) errs.push(field.duplicate(`${p}.name`, c.name));
    names.add(c.name);
    const expr = (c.expression ?? '').trim();
    if (!expr) { errs.push(field.required(`${p}.expression`)); return; }
    const r = compileRule(expr, conditionCostCheck);
    if ('error' in r) errs.push(r.error.startsWith('estimated') ? field.forbidden(`${p}.expression`, r.error) : field.invalid(`${p}.expression`, c.expression, r.error));
  });
  return errs;
}

/** Options that relax checks on update for what the stored object already had (as upstream). */
export interface WebhookValidationOptions { mutating: boolean; requireNoSideEffects: boolean; requireUniqueNames: boolean }

function validateWebhook(h: Webhook, path: string, o: WebhookValidationOptions): FieldError[] {
  const errs = isFullyQualifiedName(`${path}.name`, h.name ?? '');
  (h.rules ?? []).forEach((r, i) => errs.push(...validateRule(r, `${path}.rules[${i}]`)));
  if (h.failurePolicy !== undefined && !['Fail', 'Ignore'].includes(h.failurePolicy)) errs.push(field.notSupported(`${path}.failurePolicy`, h.failurePolicy, ['Fail', 'Ignore']));
  if (h.matchPolicy !== undefined && !['Equivalent', 'Exact'].includes(h.matchPolicy)) errs.push(field.notSupported(`${path}.matchPolicy`, h.matchPolicy, ['Equivalent', 'Exact']));
  const allowed = o.requireNoSideEffects ? NO_SIDE_EFFECTS : ALL_SIDE_EFFECTS;
  if (h.sideEffects === undefined) errs.push(field.required(`${path}.sideEffects`, `must specify one of ${allowed.join(', ')}`));
  else if (!allowed.includes(h.sideEffects)) errs.push(field.notSupported(`${path}.sideEffects`, h.sideEffects, allowed));
  if (h.timeoutSeconds !== undefined && (h.timeoutSeconds > 30 || h.timeoutSeconds < 1)) errs.push(field.invalid(`${path}.timeoutSeconds`, h.timeoutSeconds, 'the timeout value must be between 1 and 30 seconds'));
  errs.push(...validateLabelSelector(h.namespaceSelector, `${path}.namespaceSelector`), ...validateLabelSelector(h.objectSelector, `${path}.objectSelector`));
  if (o.mutating && h.reinvocationPolicy !== undefined && !['IfNeeded', 'Never'].includes(h.reinvocationPolicy)) {
    errs.push(field.notSupported(`${path}.reinvocationPolicy`, h.reinvocationPolicy, ['IfNeeded', 'Never']));
  }
  const cc = h.clientConfig ?? {};
  if ((cc.url === undefined) === (cc.service === undefined)) errs.push(field.required(`${path}.clientConfig`, 'exactly one of url or service is required'));
  else if (cc.url !== undefined) errs.push(...validateURL(`${path}.clientConfig.url`, cc.url));
  else errs.push(...validateService(`${path}.clientConfig.service`, cc));
  errs.push(...validateMatchConditions(h.matchConditions ?? [], `${path}.matchConditions`));
  return errs;
}

function validateReviewVersions(versions: string[], path: string): FieldError[] {
  if (versions.length < 1) return [field.required(path, `must specify one of ${REVIEW_VERSIONS.join(', ')}`)];
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  versions.forEach((v, i) => {
    if (seen.has(v)) { errs.push(field.invalid(`${path}[${i}]`, v, 'duplicate version')); return; }
    seen.add(v);
    for (const m of isDNS1035Label(v)) errs.push(field.invalid(`${path}[${i}]`, v, m));
  });
  if (!versions.some((v) => REVIEW_VERSIONS.includes(v))) errs.push(field.invalid(path, versions, `must include at least one of ${REVIEW_VERSIONS.join(', ')}`));
  return errs;
}

/** validate{Validating,Mutating}WebhookConfiguration: every webhook, its review versions and unique names. */
export function validateWebhooks(webhooks: Webhook[], o: WebhookValidationOptions): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  webhooks.forEach((h, i) => {
    const path = `webhooks[${i}]`;
    errs.push(...validateWebhook(h, path, o), ...validateReviewVersions(h.admissionReviewVersions ?? [], `${path}.admissionReviewVersions`));
    if (o.requireUniqueNames && h.name) {
      if (names.has(h.name)) errs.push(field.duplicate(`${path}.name`, h.name));
      names.add(h.name);
    }
  });
  return errs;
}

/** The relaxed options of an update: what the stored configuration already broke stays allowed. */
export function updateOptions(old: Webhook[], mutating: boolean): WebhookValidationOptions {
  const names = old.map((h) => h.name);
  return {
    mutating,
    requireNoSideEffects: old.every((h) => NO_SIDE_EFFECTS.includes(h.sideEffects ?? '')),
    requireUniqueNames: new Set(names).size === names.length,
  };
}
