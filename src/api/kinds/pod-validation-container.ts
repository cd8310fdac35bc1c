/** Validation of one container (validateContainerCommon and friends in pkg/apis/core/validation). */
import { field, type FieldError } from '../errors.js';
import { isConfigMapKey, isValidPortName, isValidPortNum, isQualifiedName } from '../validation/names.js';
import type { Container } from './pod-spec.js';
import { dnsLabel, dnsSubdomain, nonNegative } from './pod-validation-util.js';
import { parseQuantity } from './pod-quantity.js';

type Probe = NonNullable<Container['livenessProbe']>;
type Handler = Pick<Probe, 'exec' | 'httpGet' | 'tcpSocket' | 'grpc'> & { sleep?: { seconds: number } };
type EnvVar = NonNullable<Container['env']>[number];

const ENV_FIELD_PATHS = ['metadata.name', 'metadata.namespace', 'metadata.uid', 'spec.nodeName', 'spec.serviceAccountName',
  'status.hostIP', 'status.hostIPs', 'status.podIP', 'status.podIPs'];
const STANDARD_CONTAINER_RESOURCES = ['cpu', 'memory', 'ephemeral-storage'];

/** ValidatePortNumOrName for probe and handler ports. */
export function portNumOrName(port: number | string | undefined, path: string): FieldError[] {
  if (typeof port === 'number') return isValidPortNum(port).map((m) => field.invalid(path, port, m));
  if (typeof port === 'string') return isValidPortName(port).map((m) => field.invalid(path, port, m));
  return [field.required(path, '')];
}

function validateHandler(h: Handler, path: string): FieldError[] {
  const errs: FieldError[] = [];
  let n = 0;
  const one = (key: keyof Handler, check: () => FieldError[]) => {
    if (h[key] === undefined) return;
    if (n > 0) { errs.push(field.forbidden(`${path}.${key}`, 'may not specify more than 1 handler type')); return; }
    n++;
    errs.push(...check());
  };
  one('exec', () => (h.exec?.command?.length ? [] : [field.required(`${path}.exec.command`, '')]));
  one('httpGet', () => {
    const g = h.httpGet!;
    const e: FieldError[] = [];
    if (!g.path) e.push(field.required(`${path}.httpGet.path`, ''));
    e.push(...portNumOrName(g.port, `${path}.httpGet.port`));
    if (!['HTTP', 'HTTPS'].includes(g.scheme ?? '')) e.push(field.notSupported(`${path}.httpGet.scheme`, g.scheme ?? '', ['HTTP', 'HTTPS']));
    return e;
  });
  one('tcpSocket', () => portNumOrName(h.tcpSocket!.port, `${path}.tcpSocket.port`));
  one('grpc', () => portNumOrName(h.grpc!.port, `${path}.grpc.port`));
  one('sleep', () => nonNegative(h.sleep!.seconds, `${path}.sleep.seconds`));
  if (n === 0) errs.push(field.required(path, 'must specify a handler type'));
  return errs;
}

function validateProbe(p: Probe, path: string, kind: 'liveness' | 'readiness' | 'startup'): FieldError[] {
  const errs = validateHandler(p, path);
  for (const k of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold'] as const) {
    errs.push(...nonNegative(p[k], `${path}.${k}`));
  }
  const tgp = p.terminationGracePeriodSeconds;
  if (kind === 'readiness' && tgp !== undefined) errs.push(field.invalid(`${path}.terminationGracePeriodSeconds`, tgp, 'must not be set for readinessProbes'));
  else if (tgp !== undefined && tgp <= 0) errs.push(field.invalid(`${path}.terminationGracePeriodSeconds`, tgp, 'must be greater than 0'));
  if (kind !== 'readiness' && p.successThreshold !== undefined && p.successThreshold !== 1) {
    errs.push(field.invalid(`${path}.successThreshold`, p.successThreshold, 'must be 1'));
  }
  return errs;
}

function keyRef(ref: { name?: string; key?: string }, path: string): FieldError[] {
  const errs = dnsSubdomain(ref.name ?? '', `${path}.name`);
  if (!ref.key) errs.push(field.required(`${path}.key`, ''));
  else errs.push(...isConfigMapKey(ref.key).map((m) => field.invalid(`${path}.key`, ref.key, m)));
  return errs;
}

function validateValueFrom(ev: EnvVar, path: string): FieldError[] {
  const vf = ev.valueFrom;
  if (!vf) return [];
  const errs: FieldError[] = [];
  let n = 0;
  if (vf.fieldRef) {
    n++;
    const fp = vf.fieldRef.fieldPath;
    if (!vf.fieldRef.apiVersion) errs.push(field.required(`${path}.fieldRef.apiVersion`, ''));
    else if (!fp) errs.push(field.required(`${path}.fieldRef.fieldPath`, ''));
    else if (!/^metadata\.(labels|annotations)\['[^']+'\]$/.test(fp) && !ENV_FIELD_PATHS.includes(fp)) {
      errs.push(field.notSupported(`${path}.fieldRef.fieldPath`, fp, ENV_FIELD_PATHS));
    }
  }
  if (vf.resourceFieldRef) {
    n++;
    if (!vf.resourceFieldRef.resource) errs.push(field.required(`${path}.resourceFieldRef.resource`, ''));
  }
  if (vf.configMapKeyRef) { n++; errs.push(...keyRef(vf.configMapKeyRef, `${path}.configMapKeyRef`)); }
  if (vf.secretKeyRef) { n++; errs.push(...keyRef(vf.secretKeyRef, `${path}.secretKeyRef`)); }
  if (vf.fileKeyRef) n++;
  if (n === 0) errs.push(field.invalid(path, '', 'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`'));
  else if (ev.value) errs.push(field.invalid(path, '', 'may not be specified when `value` is not empty'));
  else if (n > 1) errs.push(field.invalid(path, '', 'may not have more than one field specified at a time'));
  return errs;
}

/** IsRelaxedEnvVarName (the rule since RelaxedEnvironmentVariableValidation went GA). */
export function envVarNameErrors(name: string): string[] {
  const errs: string[] = [];
  if (name.length === 0) errs.push('environment variable name must be non-empty');
  if ([...name].some((ch) => ch.charCodeAt(0) < 32 || ch.charCodeAt(0) > 126 || ch === '=')) {
    errs.push("a valid environment variable name must consist only of printable ASCII characters other than '='");
  }
  return errs;
}

function validateEnv(env: EnvVar[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  env.forEach((ev, i) => {
    const p = `${path}[${i}]`;
    if (!ev.name) errs.push(field.required(`${p}.name`, ''));
    for (const m of envVarNameErrors(ev.name ?? '')) errs.push(field.invalid(`${p}.name`, ev.name ?? '', m));
    errs.push(...validateValueFrom(ev, `${p}.valueFrom`));
  });
  return errs;
}

function validatePorts(ports: NonNullable<Container['ports']>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  ports.forEach((p, i) => {
    const ip = `${path}[${i}]`;
    if (p.name) {
      const msgs = isValidPortName(p.name);
      if (msgs.length) errs.push(...msgs.map((m) => field.invalid(`${ip}.name`, p.name, m)));
      else if (names.has(p.name)) errs.push(field.duplicate(`${ip}.name`, p.name));
      else names.add(p.name);
    }
    if (!p.containerPort) errs.push(field.required(`${ip}.containerPort`, ''));
    else errs.push(...isValidPortNum(p.containerPort).map((m) => field.invalid(`${ip}.containerPort`, p.containerPort, m)));
    if (p.hostPort) errs.push(...isValidPortNum(p.hostPort).map((m) => field.invalid(`${ip}.hostPort`, p.hostPort, m)));
    if (!p.protocol) errs.push(field.required(`${ip}.protocol`, ''));
    else if (!['SCTP', 'TCP', 'UDP'].includes(p.protocol)) errs.push(field.notSupported(`${ip}.protocol`, p.protocol, ['SCTP', 'TCP', 'UDP']));
  });
  return errs;
}

function validateResourceName(name: string, path: string): FieldError[] {
  const errs = isQualifiedName(name).map((m) => field.invalid(path, name, m));
  if (!name.includes('/') && !STANDARD_CONTAINER_RESOURCES.includes(name) && !name.startsWith('hugepages-')) {
    errs.push(field.invalid(path, name, 'must be a standard resource for containers'));
  }
  return errs;
}

/** ValidateContainerResourceRequirements: names, non-negative values, requests not above limits. */
export function validateResources(r: Container['resources'], path: string): FieldError[] {
  const errs: FieldError[] = [];
  const limits = r?.limits ?? {};
  const requests = r?.requests ?? {};
  for (const [name, q] of Object.entries(limits)) {
    errs.push(...validateResourceName(name, `${path}.limits[${name}]`));
    const v = parseQuantity(q);
    if (v !== undefined && v < 0) errs.push(field.invalid(`${path}.limits[${name}]`, String(q), 'must be greater than or equal to 0'));
  }
  for (const [name, q] of Object.entries(requests)) {
    const p = `${path}.requests[${name}]`;
    errs.push(...validateResourceName(name, p));
    const v = parseQuantity(q);
    if (v !== undefined && v < 0) errs.push(field.invalid(p, String(q), 'must be greater than or equal to 0'));
    const lim = limits[name];
    const lv = parseQuantity(lim);
    if (v !== undefined && lv !== undefined && v > lv) {
      errs.push(field.invalid(p, String(q), `must be less than or equal to ${name} limit of ${String(lim)}`));
    }
  }
  return errs;
}

function validateMounts(c: Container, volumes: Set<string>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  (c.volumeMounts ?? []).forEach((m, i) => {
    const p = `${path}[${i}]`;
    if (!m.name) errs.push(field.required(`${p}.name`, ''));
    if (!volumes.has(m.name ?? '')) errs.push(field.notFound(`${p}.name`, m.name ?? ''));
    if (!m.mountPath) errs.push(field.required(`${p}.mountPath`, ''));
    if (seen.has(m.mountPath ?? '')) errs.push(field.invalid(`${p}.mountPath`, m.mountPath, 'must be unique'));
    seen.add(m.mountPath ?? '');
    if (m.subPath && (m.subPath.startsWith('/') || m.subPath.split('/').includes('..'))) {
      errs.push(field.invalid(`${p}.subPath`, m.subPath, m.subPath.startsWith('/') ? 'must be a relative path' : "must not contain '..'"));
    }
  });
  return errs;
}

/** The checks every container kind shares, plus probes and lifecycle for app containers (`probes`). */
export function validateContainer(c: Container, volumes: Set<string>, path: string, probes: boolean): FieldError[] {
  const errs: FieldError[] = [];
  if (!c.name) errs.push(field.required(`${path}.name`, ''));
  else errs.push(...dnsLabel(c.name, `${path}.name`));
  if (!c.image) errs.push(field.required(`${path}.image`, ''));
  const tmp = c.terminationMessagePolicy;
  if (!tmp) errs.push(field.required(`${path}.terminationMessagePolicy`, "must be 'File' or 'FallbackToLogsOnError'"));
  else if (tmp !== 'File' && tmp !== 'FallbackToLogsOnError') errs.push(field.invalid(`${path}.terminationMessagePolicy`, tmp, "must be 'File' or 'FallbackToLogsOnError'"));
  errs.push(...validateMounts(c, volumes, `${path}.volumeMounts`));
  errs.push(...validatePorts(c.ports ?? [], `${path}.ports`));
  errs.push(...validateEnv(c.env ?? [], `${path}.env`));
  (c.envFrom ?? []).forEach((ef, i) => {
    const p = `${path}.envFrom[${i}]`;
    const refs = [ef.configMapRef ? 'configMapRef' : '', ef.secretRef ? 'secretRef' : ''].filter(Boolean);
    if (refs.length === 0) errs.push(field.invalid(p, '', 'must specify one of: `configMapRef` or `secretRef`'));
    else if (refs.length > 1) errs.push(field.invalid(p, '', 'may not have more than one field specified at a time'));
    if (ef.configMapRef) errs.push(...dnsSubdomain(ef.configMapRef.name ?? '', `${p}.configMapRef.name`));
    if (ef.secretRef) errs.push(...dnsSubdomain(ef.secretRef.name ?? '', `${p}.secretRef.name`));
  });
  const ipp = c.imagePullPolicy;
  if (!ipp) errs.push(field.required(`${path}.imagePullPolicy`, ''));
  else if (!['Always', 'IfNotPresent', 'Never'].includes(ipp)) errs.push(field.notSupported(`${path}.imagePullPolicy`, ipp, ['Always', 'IfNotPresent', 'Never']));
  errs.push(...validateResources(c.resources, `${path}.resources`));
  if (probes) {
    if (c.livenessProbe) errs.push(...validateProbe(c.livenessProbe, `${path}.livenessProbe`, 'liveness'));
    if (c.readinessProbe) errs.push(...validateProbe(c.readinessProbe, `${path}.readinessProbe`, 'readiness'));
    if (c.startupProbe) errs.push(...validateProbe(c.startupProbe, `${path}.startupProbe`, 'startup'));
    if (c.lifecycle?.postStart) errs.push(...validateHandler(c.lifecycle.postStart, `${path}.lifecycle.postStart`));
    if (c.lifecycle?.preStop) errs.push(...validateHandler(c.lifecycle.preStop, `${path}.lifecycle.preStop`));
  }
  return errs;
}
