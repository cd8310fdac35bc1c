/**
 * Validation of CustomResourceDefinitions as apiextensions-apiserver does it: names
 * (`<plural>.<group>`), scope, exactly one storage version, structural schemas (a `type` at every
 * level, `metadata` restricted to name/generateName), printer columns, subresources, and CEL
 * rules that must compile.
 */
import { RE2JS } from 're2js';
import { field, type FieldError } from '../errors.js';
import { GoValue, goQuote } from '../gofmt.js';
import { isDNS1035Label, isDNS1123Subdomain } from '../validation/names.js';
import { compileRules } from '../../apiextensions/rules.js';
import type { JSONSchemaProps, ValidationRule } from '../../apiextensions/types.js';
import type { CRD } from './crd.js';

const COLUMN_TYPES = ['boolean', 'date', 'integer', 'number', 'string'];

function validateNames(crd: CRD, errs: FieldError[]): void {
  const n = crd.spec.names ?? ({} as CRD['spec']['names']);
  const p = 'spec.names';
  if (!n.plural) errs.push(field.required(`${p}.plural`, ''));
  else for (const m of isDNS1035Label(n.plural)) errs.push(field.invalid(`${p}.plural`, n.plural, m));
  if (n.singular) for (const m of isDNS1035Label(n.singular)) errs.push(field.invalid(`${p}.singular`, n.singular, m));
  if (!n.kind) errs.push(field.required(`${p}.kind`, ''));
  else for (const m of isDNS1035Label(n.kind.toLowerCase())) errs.push(field.invalid(`${p}.kind`, n.kind, m));
  if (n.listKind && n.kind === n.listKind) errs.push(field.invalid(`${p}.listKind`, n.listKind, 'kind and listKind may not be the same'));
  if (!n.listKind) errs.push(field.required(`${p}.listKind`, ''));
  (n.shortNames ?? []).forEach((s, i) => { for (const m of isDNS1035Label(s)) errs.push(field.invalid(`${p}.shortNames[${i}]`, s, m)); });
  (n.categories ?? []).forEach((s, i) => { for (const m of isDNS1035Label(s)) errs.push(field.invalid(`${p}.categories[${i}]`, s, m)); });
}

/** The structural-schema rules of one node (`path` as upstream prints it: `…properties[spec].type`). */
function structural(s: JSONSchemaProps, path: string, errs: FieldError[], where: 'root' | 'properties' | 'items' | 'additionalProperties', depth = 0): void {
  if (!s || typeof s !== 'object' || depth > 64) return;
  const free = s['x-kubernetes-int-or-string'] === true || s['x-kubernetes-preserve-unknown-fields'] === true;
  if (!s.type && !free) {
    const what = where === 'root' ? 'at the root' : where === 'items' ? 'for specified array items' : where === 'additionalProperties' ? 'for specified additionalProperties' : 'for specified object fields';
    errs.push(field.required(`${path}.type`, `must not be empty ${what}`));
  }
  if (where === 'root' && s.type && s.type !== 'object') errs.push(field.invalid(`${path}.type`, s.type, 'must be object at the root'));
  if (s['x-kubernetes-int-or-string'] && s.type) errs.push(field.invalid(`${path}.type`, s.type, 'must be empty if x-kubernetes-int-or-string is true'));
  if (s.properties && s.additionalProperties !== undefined && s.additionalProperties !== false) {
    errs.push(field.forbidden(`${path}.additionalProperties`, 'additionalProperties and properties are mutual exclusive'));
  }
  if (s.type === 'array' && !s.items) errs.push(field.required(`${path}.items`, 'must be specified'));
  if (s['x-kubernetes-list-type'] === 'map' && !(s['x-kubernetes-list-map-keys'] ?? []).length) {
    errs.push(field.required(`${path}.x-kubernetes-list-map-keys`, 'must not be empty if x-kubernetes-list-type is map'));
  }
  if (s.pattern !== undefined) {
    // Patterns are RE2 (Go regexp) as upstream compiles them, never backtracking JS regexes.
    try { RE2JS.compile(s.pattern); } catch { errs.push(field.invalid(`${path}.pattern`, s.pattern, 'must be a valid regular expression')); }
  }
  for (const [k, p] of Object.entries(s.properties ?? {})) {
    const pp = `${path}.properties[${k}]`;
    if (where === 'root' && k === 'metadata') {
      const keys = Object.keys(p.properties ?? {});
      if (keys.some((x) => x !== 'name' && x !== 'generateName') || (p.type && p.type !== 'object')) {
        errs.push(field.forbidden(pp, 'must not specify anything other than name and generateName, but metadata is implicitly specified'));
      }
    }
    structural(p, pp, errs, 'properties', depth + 1);
  }
  if (s.items && typeof s.items === 'object' && !Array.isArray(s.items)) structural(s.items, `${path}.items`, errs, 'items', depth + 1);
  if (s.additionalProperties && typeof s.additionalProperties === 'object') structural(s.additionalProperties, `${path}.additionalProperties`, errs, 'additionalProperties', depth + 1);
}

/** Renders a rule as Go's %#v of apiextensions.ValidationRule (the value of a compilation error). */
function goRule(r: ValidationRule): GoValue {
  const ptr = (v: unknown, t: string) => (v === undefined ? `(*${t})(nil)` : `(*${t})(${JSON.stringify(v)})`);
  return new GoValue(`apiextensions.ValidationRule{Rule:${goQuote(r.rule)}, Message:${goQuote(r.message ?? '')}, MessageExpression:${goQuote(r.messageExpression ?? '')}, ` +
    `Reason:${ptr(r.reason, 'apiextensions.FieldValueErrorReason')}, FieldPath:${goQuote(r.fieldPath ?? '')}, OptionalOldSelf:${ptr(r.optionalOldSelf, 'bool')}}`);
}

function validateVersion(crd: CRD, i: number, errs: FieldError[]): void {
  const v = crd.spec.versions[i]!;
  const p = `spec.versions[${i}]`;
  if (!v.name) errs.push(field.required(`${p}.name`, ''));
  else for (const m of isDNS1035Label(v.name)) errs.push(field.invalid(`${p}.name`, v.name, m));
  const schema = v.schema?.openAPIV3Schema as JSONSchemaProps | undefined;
  const sp = `${p}.schema.openAPIV3Schema`;
  if (!schema) errs.push(field.required(sp, 'schemas are required'));
  else {
    structural(schema, sp, errs, 'root');
    const ruleErrs: FieldError[] = [];
    compileRules(schema, sp, new WeakMap(), ruleErrs);
    for (const e of ruleErrs) {
      const m = /^(.*x-kubernetes-validations\[(\d+)\])\.rule$/.exec(e.field);
      if (m && e.type === 'FieldValueInvalid') errs.push({ ...e, value: goRule(ruleAt(schema, sp, m[1]!) ?? { rule: String(e.value) }) });
      else errs.push(e);
    }
  }
  (v.additionalPrinterColumns ?? []).forEach((c, j) => {
    const cp = `${p}.additionalPrinterColumns[${j}]`;
    if (!c.name) errs.push(field.required(`${cp}.name`, ''));
    if (!COLUMN_TYPES.includes(c.type)) errs.push(field.notSupported(`${cp}.type`, c.type, COLUMN_TYPES));
    if (!c.jsonPath) errs.push(field.required(`${cp}.JSONPath`, ''));
    else if (!c.jsonPath.startsWith('.')) errs.push(field.invalid(`${cp}.JSONPath`, c.jsonPath, 'must be a simple json path starting with .'));
  });
  const sc = v.subresources?.scale;
  if (sc) {
    if (!sc.specReplicasPath?.startsWith('.spec.')) errs.push(field.invalid(`${p}.subresources.scale.specReplicasPath`, sc.specReplicasPath, 'should be a json path under .spec'));
    if (!sc.statusReplicasPath?.startsWith('.status.')) errs.push(field.invalid(`${p}.subresources.scale.statusReplicasPath`, sc.statusReplicasPath, 'should be a json path under .status'));
    if (sc.labelSelectorPath && !/^\.(spec|status)\./.test(sc.labelSelectorPath)) {
      errs.push(field.invalid(`${p}.subresources.scale.labelSelectorPath`, sc.labelSelectorPath, 'should be a json path under either .spec or .status'));
    }
  }
}

/** The rule a compile error's path names (`…x-kubernetes-validations[2]`). */
function ruleAt(schema: JSONSchemaProps, base: string, path: string): ValidationRule | undefined {
  let node: JSONSchemaProps | undefined = schema;
  const rest = path.slice(base.length);
  const re = /\.properties\[([^\]]+)\]|\.items|\.additionalProperties|\.x-kubernetes-validations\[(\d+)\]/g;
  for (let m = re.exec(rest); m && node; m = re.exec(rest)) {
    if (m[1] !== undefined) node = node.properties?.[m[1]];
    else if (m[2] !== undefined) return node['x-kubernetes-validations']?.[Number(m[2])];
    else if (m[0] === '.items') node = node.items;
    else node = typeof node.additionalProperties === 'object' ? node.additionalProperties : undefined;
  }
  return undefined;
}

/** All errors of a CRD on create (and, with the stored one, on update). */
export function validateCRD(crd: CRD): FieldError[] {
  const errs: FieldError[] = [];
  const s = crd.spec;
  if (!s) return [field.required('spec', '')];
  const name = crd.metadata.name ?? '';
  if (s.names?.plural && s.group && name !== `${s.names.plural}.${s.group}`) {
    errs.push(field.invalid('metadata.name', name, 'must be spec.names.plural+"."+spec.group'));
  }
  if (!s.group) errs.push(field.required('spec.group', ''));
  else {
    for (const m of isDNS1123Subdomain(s.group)) errs.push(field.invalid('spec.group', s.group, m));
    if (!s.group.includes('.')) errs.push(field.invalid('spec.group', s.group, 'should be a domain with at least one dot'));
  }
  const protectedGroup = /(^|\.)(k8s|kubernetes)\.io$/.test(s.group ?? '');
  if (protectedGroup && !crd.metadata.annotations?.['api-approved.kubernetes.io']) {
    errs.push(field.required('metadata.annotations[api-approved.kubernetes.io]', 'protected groups must have approval annotation "api-approved.kubernetes.io", see https://github.com/kubernetes/enhancements/pull/1111'));
  }
  if (!s.scope) errs.push(field.required('spec.scope', ''));
  else if (s.scope !== 'Cluster' && s.scope !== 'Namespaced') errs.push(field.notSupported('spec.scope', s.scope, ['Cluster', 'Namespaced']));
  validateNames(crd, errs);
  const versions = s.versions ?? [];
  if (versions.length === 0) errs.push(field.required('spec.versions', 'must have exactly one version marked as storage version'));
  else if (versions.filter((v) => v.storage).length !== 1) {
    errs.push(field.invalid('spec.versions', new GoValue(`[]apiextensions.CustomResourceDefinitionVersion{...}`), 'must have exactly one version marked as storage version'));
  }
  const seen = new Set<string>();
  versions.forEach((v, i) => {
    if (seen.has(v.name)) errs.push(field.duplicate(`spec.versions[${i}].name`, v.name));
    seen.add(v.name);
    validateVersion(crd, i, errs);
  });
  const strategy = s.conversion?.strategy ?? 'None';
  if (strategy !== 'None' && strategy !== 'Webhook') errs.push(field.notSupported('spec.conversion.strategy', strategy, ['None', 'Webhook']));
  if (s.preserveUnknownFields) errs.push(field.invalid('spec.preserveUnknownFields', true, 'cannot set to true, set x-kubernetes-preserve-unknown-fields to true in spec.versions[*].schema instead'));
  for (const sv of crd.status?.storedVersions ?? []) {
    if (!versions.some((v) => v.name === sv)) {
      const i = (crd.status?.storedVersions ?? []).indexOf(sv);
      errs.push(field.invalid(`status.storedVersions[${i}]`, sv, 'must appear in spec.versions'));
    }
  }
  return errs;
}

/** Update rules: scope is immutable (once objects may exist). */
export function validateCRDUpdate(crd: CRD, old: CRD): FieldError[] {
  const errs: FieldError[] = [];
  if (crd.spec?.scope !== old.spec?.scope) errs.push(field.invalid('spec.scope', crd.spec?.scope, 'field is immutable'));
  if (crd.spec?.group !== old.spec?.group) errs.push(field.invalid('spec.group', crd.spec?.group, 'field is immutable'));
  return errs;
}
