/** Secret (v1): confidential key-value data, base64-encoded in JSON. */
import { Obj, Opt, Str, Bool, MapOf, StrMap, Type, type Static } from '../schema.js';
import { kindProps, type KObject } from '../meta.js';
import type { ResourceDef } from '../resource.js';
import { field, type FieldError } from '../errors.js';
import { age, ageColumn, col, nameColumn } from '../printers/util.js';
import { isConfigMapKey } from '../validation/names.js';

/** The largest total size of a Secret's data, in bytes. */
export const maxSecretSize = 1024 * 1024;

export const SecretSchema = Obj('io.k8s.api.core.v1.Secret', 'Holds a small amount of confidential data, such as a password, token or key.', kindProps({
  data: Opt(MapOf(Type.String({ format: 'byte' }), 'Entries with base64-encoded values; keys are letters, digits, -, _ and .')),
  stringData: Opt(StrMap('Write-only plain-text entries, merged into data on write (they win over data).')),
  type: Opt(Str('How the data is used, such as Opaque or kubernetes.io/tls; Opaque by default.')),
  immutable: Opt(Bool('When true, data cannot change after creation.')),
}), { 'x-kubernetes-group-version-kind': [{ group: '', version: 'v1', kind: 'Secret' }] });
/** A v1 Secret object. */
export type Secret = Static<typeof SecretSchema> & KObject;

/** Moves stringData into data (base64 of the UTF-8 text), replacing data entries of the same key; removes stringData. */
export function secretStringDataToData(secret: Secret): void {
  if (secret.stringData) {
    const data = (secret.data ??= {});
    for (const [k, v] of Object.entries(secret.stringData)) data[k] = Buffer.from(v, 'utf8').toString('base64');
  }
  delete secret.stringData;
}

function decoded(b64: string | undefined): Buffer {
  return Buffer.from(b64 ?? '', 'base64');
}

/** Go's json.Unmarshal error for text that is not a JSON object (the common cases). */
function jsonObjectError(text: string): string | undefined {
  const t = text.trim();
  if (t === '') return 'unexpected end of JSON input';
  let v: unknown;
  try { v = JSON.parse(t); } catch {
    const c = t[0] ?? '';
    const lit = ({ t: 'true', f: 'false', n: 'null' } as Record<string, string>)[c];
    if (lit) {
      const i = [...lit].findIndex((ch, j) => j >= t.length || t[j] !== ch);
      if (i > 0 && i < t.length) return `invalid character '${t[i]}' in literal ${lit} (expecting '${lit[i]}')`;
    }
    return '{["-0123456789tfn'.includes(c) ? 'unexpected end of JSON input' : `invalid character '${c}' looking for beginning of value`;
  }
  if (v === null || (typeof v === 'object' && !Array.isArray(v))) return undefined;
  const kind = Array.isArray(v) ? 'array' : typeof v === 'string' ? 'string' : typeof v === 'number' ? 'number' : 'bool';
  return `json: cannot unmarshal ${kind} into Go value of type map[string]interface {}`;
}

function typeRules(s: Secret): FieldError[] {
  const data = s.data ?? {};
  const has = (k: string) => Object.prototype.hasOwnProperty.call(data, k);
  const jsonKey = (k: string): FieldError[] => {
    if (!has(k)) return [field.required(`data[${k}]`)];
    const err = jsonObjectError(decoded(data[k]).toString('utf8'));
    return err ? [field.invalid(`data[${k}]`, '<secret contents redacted>', err)] : [];
  };
  switch (s.type) {
    case 'kubernetes.io/service-account-token':
      return s.metadata.annotations?.['kubernetes.io/service-account.name']
        ? [] : [field.required('metadata.annotations[kubernetes.io/service-account.name]')];
    case 'kubernetes.io/dockercfg': return jsonKey('.dockercfg');
    case 'kubernetes.io/dockerconfigjson': return jsonKey('.dockerconfigjson');
    case 'kubernetes.io/basic-auth':
      return has('username') || has('password') ? [] : [field.required('data[username]'), field.required('data[password]')];
    case 'kubernetes.io/ssh-auth':
      return decoded(data['ssh-privatekey']).length ? [] : [field.required('data[ssh-privatekey]')];
    case 'kubernetes.io/tls':
      return [...(has('tls.crt') ? [] : [field.required('data[tls.crt]')]), ...(has('tls.key') ? [] : [field.required('data[tls.key]')])];
    default: return [];
  }
}

/** ValidateSecret without the metadata part: keys, total size, and the rules of each well-known type. */
export function validateSecret(s: Secret): FieldError[] {
  const errs: FieldError[] = [];
  let total = 0;
  for (const [k, v] of Object.entries(s.data ?? {})) {
    for (const m of isConfigMapKey(k)) errs.push(field.invalid(`data[${k}]`, k, m));
    total += decoded(v).length;
  }
  if (total > maxSecretSize) errs.push(field.tooLong('data', '', maxSecretSize));
  return [...errs, ...typeRules(s)];
}

/** The update-only rules of ValidateSecretUpdate: type is immutable, and so is an immutable secret's data. */
export function validateSecretUpdate(s: Secret, old: Secret): FieldError[] {
  const errs: FieldError[] = [];
  if ((s.type ?? '') !== (old.type ?? '')) errs.push(field.invalid('type', s.type ?? '', 'field is immutable'));
  if (old.immutable) {
    const why = 'field is immutable when `immutable` is set';
    if (!s.immutable) errs.push(field.forbidden('immutable', why));
    const norm = (d: Record<string, string> | undefined) => JSON.stringify(Object.entries(d ?? {}).sort(([a], [b]) => (a < b ? -1 : 1)));
    if (norm(s.data) !== norm(old.data)) errs.push(field.forbidden('data', why));
  }
  return errs;
}

export const secretDef: ResourceDef<Secret> = {
  group: '', version: 'v1', kind: 'Secret', plural: 'secrets', singular: 'secret',
  namespaced: true, shortNames: [], categories: [],
  schema: SecretSchema, statusSubresource: false, generation: false,
  default: (s) => {
    secretStringDataToData(s);
    if (!s.type) s.type = 'Opaque';
  },
  validate: (s) => validateSecret(s),
  validateUpdate: validateSecretUpdate,
  columns: [
    nameColumn,
    col('Type', 'string', 'The type of the secret.'),
    col('Data', 'string', 'Number of entries in data.'),
    ageColumn,
  ],
  row: (s, now) => [s.metadata.name ?? '', s.type ?? '', Object.keys(s.data ?? {}).length, age(s.metadata.creationTimestamp, now)],
  fieldSelectors: { type: (s) => s.type ?? '' },
};
