/** ValidatePodSpec and ValidatePodTemplateSpec with Kubernetes' messages and field paths. */
import { field, type FieldError } from '../errors.js';
import { isQualifiedName, isValidLabelValue } from '../validation/names.js';
import type { PodSpec, PodTemplateSpec, Container } from './pod-spec.js';
import { validateContainer } from './pod-validation-container.js';
import { validateVolumes } from './pod-validation-volume.js';
import { dnsLabel, dnsSubdomain, validateLabels, isIP, nonNegative } from './pod-validation-util.js';

type Toleration = NonNullable<PodSpec['tolerations']>[number];

function hostPortConflicts(cs: Container[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  cs.forEach((c, ci) => (c.ports ?? []).forEach((p, pi) => {
    if (!p.hostPort) return;
    const key = `${p.hostIP ?? ''}/${p.protocol ?? ''}/${p.hostPort}`;
    if (seen.has(key)) errs.push(field.duplicate(`${path}[${ci}].ports[${pi}].hostPort`, key));
    seen.add(key);
  }));
  return errs;
}

function validateContainers(spec: PodSpec, vols: Set<string>, path: string): FieldError[] {
  const cs = spec.containers ?? [];
  if (cs.length === 0) return [field.required(`${path}.containers`, '')];
  const errs: FieldError[] = [];
  const names = new Set<string>();
  cs.forEach((c, i) => {
    const p = `${path}.containers[${i}]`;
    errs.push(...validateContainer(c, vols, p, true));
    if (names.has(c.name)) errs.push(field.duplicate(`${p}.name`, c.name));
    else names.add(c.name);
    if (c.restartPolicy !== undefined && c.restartPolicy !== 'Always' && c.restartPolicy !== 'Never' && c.restartPolicy !== 'OnFailure') {
      errs.push(field.notSupported(`${p}.restartPolicy`, c.restartPolicy, ['Always', 'Never', 'OnFailure']));
    }
  });
  errs.push(...hostPortConflicts(cs, `${path}.containers`));
  (spec.initContainers ?? []).forEach((c, i) => {
    const p = `${path}.initContainers[${i}]`;
    const sidecar = c.restartPolicy === 'Always';
    errs.push(...validateContainer(c, vols, p, sidecar));
    if (names.has(c.name)) errs.push(field.duplicate(`${p}.name`, c.name));
    else if (c.name) names.add(c.name);
    if (c.restartPolicy !== undefined && !sidecar) errs.push(field.notSupported(`${p}.restartPolicy`, c.restartPolicy, ['Always']));
    if (!sidecar) {
      for (const k of ['lifecycle', 'livenessProbe', 'readinessProbe', 'startupProbe'] as const) {
        if (c[k]) errs.push(field.forbidden(`${p}.${k}`, 'may not be set for init containers without restartPolicy=Always'));
      }
    }
  });
  return errs;
}

function enumCheck(value: string | undefined, path: string, allowed: string[]): FieldError[] {
  if (!value) return [field.required(path, '')];
  return allowed.includes(value) ? [] : [field.notSupported(path, value, allowed)];
}

/** ValidateTolerations. */
export function validateTolerations(ts: Toleration[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  ts.forEach((t, i) => {
    const p = `${path}[${i}]`;
    if (t.key) errs.push(...isQualifiedName(t.key).map((m) => field.invalid(`${p}.key`, t.key, m)));
    if (!t.key && t.operator !== 'Exists') {
      errs.push(field.invalid(`${p}.operator`, t.operator ?? '', 'operator must be Exists when `key` is empty, which means "match all values and all keys"'));
    }
    if (t.tolerationSeconds !== undefined && t.effect !== 'NoExecute') {
      errs.push(field.invalid(`${p}.effect`, t.effect ?? '', "effect must be 'NoExecute' when `tolerationSeconds` is set"));
    }
    if (!t.operator || t.operator === 'Equal') {
      const msgs = isValidLabelValue(t.value ?? '');
      if (msgs.length) errs.push(field.invalid(`${p}.operator`, t.value ?? '', msgs.join(';')));
    } else if (t.operator === 'Exists') {
      if (t.value) errs.push(field.invalid(`${p}.operator`, t, "value must be empty when `operator` is 'Exists'"));
    } else errs.push(field.notSupported(`${p}.operator`, t.operator, ['Equal', 'Exists']));
    if (t.effect) errs.push(...enumCheck(t.effect, `${p}.effect`, ['NoSchedule', 'PreferNoSchedule', 'NoExecute']));
  });
  return errs;
}

function validateDNSConfig(spec: PodSpec, path: string): FieldError[] {
  const cfg = spec.dnsConfig;
  const errs: FieldError[] = [];
  if (spec.dnsPolicy === 'None') {
    if (!cfg) return [field.required(path, 'must provide `dnsConfig` when `dnsPolicy` is None')];
    if (!cfg.nameservers?.length) errs.push(field.required(`${path}.nameservers`, 'must provide at least one DNS nameserver when `dnsPolicy` is None'));
  }
  if (!cfg) return errs;
  const ns = cfg.nameservers ?? [];
  if (ns.length > 3) errs.push(field.invalid(`${path}.nameservers`, ns, 'must not have more than 3 nameservers'));
  ns.forEach((n, i) => { if (!isIP(n)) errs.push(field.invalid(`${path}.nameservers[${i}]`, n, 'must be valid IP address')); });
  const search = cfg.searches ?? [];
  if (search.length > 32) errs.push(field.invalid(`${path}.searches`, search, 'must not have more than 32 search paths'));
  search.forEach((s, i) => errs.push(...dnsSubdomain(s.replace(/\.$/, ''), `${path}.searches[${i}]`)));
  (cfg.options ?? []).forEach((o, i) => { if (!o.name) errs.push(field.required(`${path}.options[${i}]`, 'Option.Name must not be empty')); });
  return errs;
}

function validateSpread(spec: PodSpec, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  (spec.topologySpreadConstraints ?? []).forEach((c, i) => {
    const p = `${path}[${i}]`;
    if (!(c.maxSkew > 0)) errs.push(field.invalid(`${p}.maxSkew`, c.maxSkew, 'must be greater than zero'));
    if (!c.topologyKey) errs.push(field.required(`${p}.topologyKey`, 'can not be empty'));
    if (!['DoNotSchedule', 'ScheduleAnyway'].includes(c.whenUnsatisfiable)) {
      errs.push(field.notSupported(`${p}.whenUnsatisfiable`, c.whenUnsatisfiable, ['DoNotSchedule', 'ScheduleAnyway']));
    }
    const key = `{${c.topologyKey}, ${c.whenUnsatisfiable}}`;
    if (seen.has(key)) errs.push(field.duplicate(p, key));
    seen.add(key);
  });
  return errs;
}

/** ValidatePodSpec: every error, in Kubernetes' order, under `path` (e.g. `spec` or `spec.template.spec`). */
export function validatePodSpec(spec: PodSpec, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (spec.terminationGracePeriodSeconds === undefined) errs.push(field.required(`${path}.terminationGracePeriodSeconds`, ''));
  const vols = validateVolumes(spec.volumes, `${path}.volumes`);
  errs.push(...vols.errs);
  errs.push(...validateContainers(spec, vols.names, path));
  if (spec.hostNetwork) {
    (spec.containers ?? []).forEach((c, ci) => (c.ports ?? []).forEach((p, pi) => {
      if (p.hostPort !== p.containerPort) {
        errs.push(field.invalid(`${path}.containers[${ci}].ports[${pi}].containerPort`, p.containerPort, 'must match `hostPort` when `hostNetwork` is true'));
      }
    }));
  }
  errs.push(...enumCheck(spec.restartPolicy, `${path}.restartPolicy`, ['Always', 'OnFailure', 'Never']));
  errs.push(...enumCheck(spec.dnsPolicy, `${path}.dnsPolicy`, ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None']));
  errs.push(...validateLabels(spec.nodeSelector, `${path}.nodeSelector`));
  errs.push(...validateDNSConfig(spec, `${path}.dnsConfig`));
  (spec.readinessGates ?? []).forEach((g, i) => errs.push(...isQualifiedName(g.conditionType ?? '').map((m) => field.invalid(`${path}.readinessGates[${i}].conditionType`, g.conditionType, m))));
  errs.push(...validateSpread(spec, `${path}.topologySpreadConstraints`));
  if (spec.serviceAccountName) errs.push(...dnsSubdomain(spec.serviceAccountName, `${path}.serviceAccountName`));
  if (spec.nodeName) errs.push(...dnsSubdomain(spec.nodeName, `${path}.nodeName`));
  const ads = spec.activeDeadlineSeconds;
  if (ads !== undefined && (ads < 1 || ads > 2147483647)) {
    errs.push(field.invalid(`${path}.activeDeadlineSeconds`, ads, 'must be between 1 and 2147483647, inclusive'));
  }
  if (spec.hostname) errs.push(...dnsLabel(spec.hostname, `${path}.hostname`));
  if (spec.subdomain) errs.push(...dnsLabel(spec.subdomain, `${path}.subdomain`));
  if (spec.tolerations?.length) errs.push(...validateTolerations(spec.tolerations, `${path}.tolerations`));
  (spec.hostAliases ?? []).forEach((h, i) => {
    if (!isIP(h.ip ?? '')) errs.push(field.invalid(`${path}.hostAliases[${i}].ip`, h.ip ?? '', 'must be valid IP address'));
    (h.hostnames ?? []).forEach((n, j) => errs.push(...dnsSubdomain(n, `${path}.hostAliases[${i}].hostnames[${j}]`)));
  });
  if (spec.preemptionPolicy !== undefined) errs.push(...enumCheck(spec.preemptionPolicy, `${path}.preemptionPolicy`, ['Never', 'PreemptLowerPriority']));
  errs.push(...nonNegative(spec.securityContext?.runAsUser, `${path}.securityContext.runAsUser`));
  return errs;
}

/** ValidatePodTemplateSpec: template labels and annotations, the spec, and no ephemeral containers. */
export function validatePodTemplateSpec(tmpl: PodTemplateSpec | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  errs.push(...validateLabels(tmpl?.metadata?.labels, `${path}.labels`));
  for (const k of Object.keys(tmpl?.metadata?.annotations ?? {})) {
    errs.push(...isQualifiedName(k.toLowerCase()).map((m) => field.invalid(`${path}.annotations`, k, m)));
  }
  errs.push(...validatePodSpec(tmpl?.spec ?? { containers: [] }, `${path}.spec`));
  if (tmpl?.spec?.ephemeralContainers?.length) {
    errs.push(field.forbidden(`${path}.spec.ephemeralContainers`, 'ephemeral containers not allowed in pod template'));
  }
  return errs;
}
