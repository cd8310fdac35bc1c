/** ValidatePodUpdate: the few pod spec fields that may change after creation. */
import { field, type FieldError } from '../errors.js';
import type { PodSpec } from './pod-spec.js';

const UPDATABLE = [
  '`spec.containers[*].image`',
  '`spec.initContainers[*].image`',
  '`spec.activeDeadlineSeconds`',
  '`spec.tolerations` (only additions to existing tolerations)',
  '`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
];

const canon = (v: unknown): string => JSON.stringify(v, (_k, x: unknown) =>
  x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => a.localeCompare(b))) : x);

/** A short diff of the top-level spec fields in the `- old` / `+ new` style of cmp.Diff. */
function specDiff(old: PodSpec, cur: PodSpec): string {
  const keys = [...new Set([...Object.keys(old), ...Object.keys(cur)])];
  const lines = ['  core.PodSpec{'];
  for (const k of keys) {
    const a = (old as Record<string, unknown>)[k];
    const b = (cur as Record<string, unknown>)[k];
    if (canon(a) === canon(b)) continue;
    const f = k.charAt(0).toUpperCase() + k.slice(1);
    if (a !== undefined) lines.push(`- \t${f}: ${canon(a)},`);
    if (b !== undefined) lines.push(`+ \t${f}: ${canon(b)},`);
  }
  lines.push('  }');
  return lines.join('\n') + '\n';
}

/** Update checks for a pod spec (`spec` path), given the stored spec. */
export function validatePodSpecUpdate(cur: PodSpec, old: PodSpec): FieldError[] {
  const errs: FieldError[] = [];
  if ((cur.containers ?? []).length !== (old.containers ?? []).length) {
    return [field.forbidden('spec.containers', 'pod updates may not add or remove containers')];
  }
  if ((cur.initContainers ?? []).length !== (old.initContainers ?? []).length) {
    return [field.forbidden('spec.initContainers', 'pod updates may not add or remove containers')];
  }
  const oldAds = old.activeDeadlineSeconds;
  const newAds = cur.activeDeadlineSeconds;
  if (oldAds !== undefined) {
    if (newAds === undefined) errs.push(field.invalid('spec.activeDeadlineSeconds', null, 'must not update from a positive integer to nil value'));
    else if (newAds > oldAds) errs.push(field.invalid('spec.activeDeadlineSeconds', newAds, 'must be less than or equal to previous value'));
  }
  const oldTol = old.tolerations ?? [];
  const newTol = cur.tolerations ?? [];
  oldTol.forEach((t, i) => {
    const kept = newTol.some((n) => n.key === t.key && (n.operator ?? 'Equal') === (t.operator ?? 'Equal') && n.value === t.value && n.effect === t.effect &&
      (t.effect !== 'NoExecute' || t.tolerationSeconds === undefined || (n.tolerationSeconds !== undefined && n.tolerationSeconds <= t.tolerationSeconds)));
    if (!kept) errs.push(field.forbidden(`spec.tolerations[${i}]`, 'existing toleration can not be modified except its tolerationSeconds'));
  });
  // Munge the updatable fields, then compare what is left.
  const munged: PodSpec = structuredClone(cur);
  munged.containers = munged.containers.map((c, i) => ({ ...c, image: old.containers[i]?.image }));
  if (munged.initContainers) munged.initContainers = munged.initContainers.map((c, i) => ({ ...c, image: old.initContainers?.[i]?.image }));
  munged.activeDeadlineSeconds = old.activeDeadlineSeconds;
  munged.tolerations = old.tolerations;
  const tgp = old.terminationGracePeriodSeconds;
  if (tgp !== undefined && tgp < 0 && cur.terminationGracePeriodSeconds === 1) munged.terminationGracePeriodSeconds = tgp;
  if ((cur.schedulingGates ?? []).length <= (old.schedulingGates ?? []).length) munged.schedulingGates = old.schedulingGates;
  for (const k of Object.keys(munged) as (keyof PodSpec)[]) if (munged[k] === undefined) delete munged[k];
  if (canon(munged) !== canon(old)) {
    errs.push(field.forbidden('spec', `pod updates may not change fields other than ${UPDATABLE.join(',')}\n${specDiff(old, munged)}`));
  }
  return errs;
}
