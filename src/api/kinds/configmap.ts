/** ConfigMap (v1): non-confidential key-value configuration. */
import { Obj, Opt, Bool, MapOf, StrMap, Type, type Static } from '../schema.js';
import { kindProps, type KObject } from '../meta.js';
import type { ResourceDef } from '../resource.js';
import { field, type FieldError } from '../errors.js';
import { age, ageColumn, col, nameColumn } from '../printers/util.js';
import { isConfigMapKey } from '../validation/names.js';

export const ConfigMapSchema = Obj('io.k8s.api.core.v1.ConfigMap', 'Holds configuration data (text and binary) for pods to consume.', kindProps({
  data: Opt(StrMap('Text entries; keys are letters, digits, -, _ and .')),
  binaryData: Opt(MapOf(Type.String({ format: 'byte' }), 'Binary entries, base64-encoded in JSON.')),
  immutable: Opt(Bool('When true, data cannot change after creation.')),
}), { 'x-kubernetes-group-version-kind': [{ group: '', version: 'v1', kind: 'ConfigMap' }] });
export type ConfigMap = Static<typeof ConfigMapSchema> & KObject;

function validateKeys(cm: ConfigMap): FieldError[] {
  const errs: FieldError[] = [];
  for (const [path, m] of [['data', cm.data], ['binaryData', cm.binaryData]] as const) {
    for (const k of Object.keys(m ?? {})) {
      for (const msg of isConfigMapKey(k)) errs.push(field.invalid(`${path}[${k}]`, k, msg));
    }
  }
  for (const k of Object.keys(cm.data ?? {})) {
    if (cm.binaryData && k in cm.binaryData) errs.push(field.invalid(`data[${k}]`, k, 'duplicate of key present in binaryData'));
  }
  return errs;
}

export const configMapDef: ResourceDef<ConfigMap> = {
  group: '', version: 'v1', kind: 'ConfigMap', plural: 'configmaps', singular: 'configmap',
  namespaced: true, shortNames: ['cm'], categories: [],
  schema: ConfigMapSchema, statusSubresource: false, generation: false,
  validate: (cm) => validateKeys(cm),
  validateUpdate: (cm, old) => {
    const errs: FieldError[] = [];
    if (old.immutable && JSON.stringify([cm.data, cm.binaryData, cm.immutable]) !== JSON.stringify([old.data, old.binaryData, old.immutable])) {
      errs.push(field.forbidden('data', 'field is immutable when `immutable` is set'));
    }
    return errs;
  },
  columns: [nameColumn, col('Data', 'integer', 'Number of entries in data and binaryData.'), ageColumn],
  row: (cm, now) => [cm.metadata.name ?? '', Object.keys(cm.data ?? {}).length + Object.keys(cm.binaryData ?? {}).length, age(cm.metadata.creationTimestamp, now)],
};
