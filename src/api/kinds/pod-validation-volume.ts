/** Validation of pod volumes (ValidateVolumes / validateVolumeSource). */
import { field, type FieldError } from '../errors.js';
import type { Volume } from './pod-spec.js';
import { volumeSourceFields } from './pod-spec-volume.js';
import { dnsLabel, dnsSubdomain } from './pod-validation-util.js';

const MODE_MSG = 'must be a number between 0 and 0777 (octal), both inclusive';

function mode(v: number | undefined, path: string): FieldError[] {
  return v !== undefined && (v < 0 || v > 0o777) ? [field.invalid(path, v, MODE_MSG)] : [];
}

function keyPaths(items: { key?: string; path?: string; mode?: number }[] | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  (items ?? []).forEach((it, i) => {
    const p = `${path}[${i}]`;
    if (!it.key) errs.push(field.required(`${p}.key`, ''));
    errs.push(...localPath(it.path ?? '', `${p}.path`));
    errs.push(...mode(it.mode, `${p}.mode`));
  });
  return errs;
}

/** validateLocalNonReservedPath: relative, no `..`, not starting with `..`. */
export function localPath(p: string, path: string): FieldError[] {
  if (!p) return [field.required(path, '')];
  if (p.startsWith('/')) return [field.invalid(path, p, 'must be a relative path')];
  if (p.split('/').includes('..')) return [field.invalid(path, p, "must not contain '..'")];
  if (p.startsWith('..')) return [field.invalid(path, p, "must not start with '..'")];
  return [];
}

function validateSource(v: Volume, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const present = volumeSourceFields.filter((k) => (v as Record<string, unknown>)[k] !== undefined);
  if (present.length === 0) return [field.required(path, 'must specify a volume type')];
  for (const k of present.slice(1)) errs.push(field.forbidden(`${path}.${k}`, 'may not specify more than 1 volume type'));
  const first = present[0];
  if (first === 'hostPath' && !v.hostPath?.path) errs.push(field.required(`${path}.hostPath.path`, ''));
  if (first === 'secret' && v.secret) {
    if (!v.secret.secretName) errs.push(field.required(`${path}.secret.secretName`, ''));
    errs.push(...mode(v.secret.defaultMode, `${path}.secret.defaultMode`), ...keyPaths(v.secret.items, `${path}.secret.items`));
  }
  if (first === 'configMap' && v.configMap) {
    if (!v.configMap.name) errs.push(field.required(`${path}.configMap.name`, ''));
    else errs.push(...dnsSubdomain(v.configMap.name, `${path}.configMap.name`));
    errs.push(...mode(v.configMap.defaultMode, `${path}.configMap.defaultMode`), ...keyPaths(v.configMap.items, `${path}.configMap.items`));
  }
  if (first === 'persistentVolumeClaim' && !v.persistentVolumeClaim?.claimName) {
    errs.push(field.required(`${path}.persistentVolumeClaim.claimName`, ''));
  }
  if (first === 'downwardAPI' && v.downwardAPI) {
    errs.push(...mode(v.downwardAPI.defaultMode, `${path}.downwardAPI.defaultMode`));
    (v.downwardAPI.items ?? []).forEach((it, i) => errs.push(...localPath(it.path ?? '', `${path}.downwardAPI.items[${i}].path`)));
  }
  if (first === 'projected' && v.projected) {
    errs.push(...mode(v.projected.defaultMode, `${path}.projected.defaultMode`));
    (v.projected.sources ?? []).forEach((s, i) => {
      const sp = `${path}.projected.sources[${i}]`;
      const n = ['secret', 'configMap', 'downwardAPI', 'serviceAccountToken', 'clusterTrustBundle', 'podCertificate']
        .filter((k) => (s as Record<string, unknown>)[k] !== undefined);
      if (n.length > 1) for (const k of n.slice(1)) errs.push(field.forbidden(`${sp}.${k}`, 'may not specify more than 1 volume type per source'));
      if (s.serviceAccountToken) {
        const t = s.serviceAccountToken;
        if ((t.expirationSeconds ?? 3600) < 600) errs.push(field.invalid(`${sp}.serviceAccountToken.expirationSeconds`, t.expirationSeconds, 'may not specify a duration less than 10 minutes'));
        if (!t.path) errs.push(field.required(`${sp}.serviceAccountToken.path`, ''));
      }
    });
  }
  return errs;
}

/** ValidateVolumes: names are unique DNS labels, each has exactly one source; returns errors and the valid names. */
export function validateVolumes(volumes: Volume[] | undefined, path: string): { errs: FieldError[]; names: Set<string> } {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  (volumes ?? []).forEach((v, i) => {
    const p = `${path}[${i}]`;
    const el = validateSource(v, p);
    if (!v.name) el.push(field.required(`${p}.name`, ''));
    else el.push(...dnsLabel(v.name, `${p}.name`));
    if (names.has(v.name ?? '')) el.push(field.duplicate(`${p}.name`, v.name));
    if (el.length === 0) names.add(v.name);
    else errs.push(...el);
  });
  return { errs, names };
}
