/** HorizontalPodAutoscaler (autoscaling/v2): defaults, validation and the kube-apiserver table printer. */
import type { ResourceDef } from '../resource.js';
import { field, type FieldError } from '../errors.js';
import { age, ageColumn, col, nameColumn } from '../printers/util.js';
import { pathSegmentErrors } from '../validation/names.js';
import { parseQuantity } from './pod-quantity.js';
import { HorizontalPodAutoscalerSchema, type HorizontalPodAutoscaler, type MetricSpec, type MetricStatus } from './hpa-schema.js';

/** The CPU utilization target of an autoscaler that names no metrics (autoscaling.DefaultCPUUtilization). */
export const DEFAULT_CPU_UTILIZATION = 80;

type Rules = NonNullable<NonNullable<NonNullable<HorizontalPodAutoscaler['spec']>['behavior']>['scaleUp']>;

/** GenerateHPAScaleUpRules / GenerateHPAScaleDownRules: fills the unset parts of one direction's rules. */
function scalingRules(r: Rules | undefined, up: boolean): Rules {
  return {
    ...r,
    stabilizationWindowSeconds: r?.stabilizationWindowSeconds ?? (up ? 0 : 300),
    selectPolicy: r?.selectPolicy ?? 'Max',
    policies: r?.policies ?? (up ? [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }] : [{ type: 'Percent', value: 100, periodSeconds: 15 }]),
  };
}

/** SetDefaults_HorizontalPodAutoscaler: minReplicas 1, CPU at 80% when no metrics, behavior filled in when given. */
export function defaultHorizontalPodAutoscaler(hpa: HorizontalPodAutoscaler): void {
  const spec = (hpa.spec ??= { scaleTargetRef: { kind: '', name: '' }, maxReplicas: 0 });
  spec.minReplicas ??= 1;
  if (!spec.metrics?.length) spec.metrics = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: DEFAULT_CPU_UTILIZATION } } }];
  if (spec.behavior) spec.behavior = { scaleUp: scalingRules(spec.behavior.scaleUp, true), scaleDown: scalingRules(spec.behavior.scaleDown, false) };
}

const METRIC_TYPES = ['ContainerResource', 'External', 'Object', 'Pods', 'Resource'];
const TARGET_TYPES = ['AverageValue', 'Utilization', 'Value'];

function validateTarget(t: { type?: string; value?: unknown; averageValue?: unknown; averageUtilization?: number } | undefined, path: string): FieldError[] {
  if (!t?.type) return [field.required(`${path}.type`, 'must specify a metric target type')];
  if (!TARGET_TYPES.includes(t.type)) return [field.notSupported(`${path}.type`, t.type, TARGET_TYPES)];
  const errs: FieldError[] = [];
  if (t.averageUtilization !== undefined && t.averageUtilization < 1) errs.push(field.invalid(`${path}.averageUtilization`, t.averageUtilization, 'must be greater than 0'));
  for (const k of ['value', 'averageValue'] as const) {
    if (t[k] !== undefined && (parseQuantity(t[k] as string) ?? 0) <= 0) errs.push(field.invalid(`${path}.${k}`, String(t[k]), 'must be positive'));
  }
  if (t.type === 'Utilization' && t.averageUtilization === undefined) errs.push(field.required(`${path}.averageUtilization`, 'must set averageUtilization when metric type is Utilization'));
  if (t.type === 'Value' && t.value === undefined) errs.push(field.required(`${path}.value`, 'must set value when metric type is Value'));
  if (t.type === 'AverageValue' && t.averageValue === undefined) errs.push(field.required(`${path}.averageValue`, 'must set averageValue when metric type is AverageValue'));
  return errs;
}

function validateMetric(m: MetricSpec, path: string): FieldError[] {
  if (!m.type) return [field.required(`${path}.type`, 'must specify a metric source type')];
  if (!METRIC_TYPES.includes(m.type)) return [field.notSupported(`${path}.type`, m.type, METRIC_TYPES)];
  const key = (m.type[0]!.toLowerCase() + m.type.slice(1)) as 'resource' | 'containerResource' | 'pods' | 'object' | 'external';
  const src = m[key];
  if (!src) return [field.required(`${path}.${key}`, `must populate information for the given metric source`)];
  const errs: FieldError[] = [];
  if ('name' in src && !src.name) errs.push(field.required(`${path}.${key}.name`, 'must specify a resource name'));
  if ('metric' in src && !src.metric?.name) errs.push(field.required(`${path}.${key}.metric.name`, 'must specify a metric name'));
  return [...errs, ...validateTarget(src.target, `${path}.${key}.target`)];
}

/** ValidateHorizontalPodAutoscaler's spec part (pkg/apis/autoscaling/validation), upstream paths and messages. */
export function validateHorizontalPodAutoscalerSpec(hpa: HorizontalPodAutoscaler): FieldError[] {
  const spec = hpa.spec;
  const errs: FieldError[] = [];
  if (!spec) return [field.required('spec', '')];
  if (spec.minReplicas !== undefined && spec.minReplicas < 1) errs.push(field.invalid('spec.minReplicas', spec.minReplicas, 'must be greater than or equal to 1'));
  if (spec.maxReplicas < 1) errs.push(field.invalid('spec.maxReplicas', spec.maxReplicas, 'must be greater than 0'));
  if (spec.minReplicas !== undefined && spec.maxReplicas < spec.minReplicas) errs.push(field.invalid('spec.maxReplicas', spec.maxReplicas, 'must be greater than or equal to `minReplicas`'));
  const ref = spec.scaleTargetRef;
  if (!ref.kind) errs.push(field.required('spec.scaleTargetRef.kind', ''));
  else for (const m of pathSegmentErrors(ref.kind)) errs.push(field.invalid('spec.scaleTargetRef.kind', ref.kind, m));
  if (!ref.name) errs.push(field.required('spec.scaleTargetRef.name', ''));
  else for (const m of pathSegmentErrors(ref.name)) errs.push(field.invalid('spec.scaleTargetRef.name', ref.name, m));
  (spec.metrics ?? []).forEach((m, i) => errs.push(...validateMetric(m, `spec.metrics[${i}]`)));
  for (const dir of ['scaleUp', 'scaleDown'] as const) {
    const r = spec.behavior?.[dir];
    const w = r?.stabilizationWindowSeconds;
    if (w !== undefined && (w < 0 || w > 3600)) errs.push(field.invalid(`spec.behavior.${dir}.stabilizationWindowSeconds`, w, w < 0 ? 'must be greater than or equal to zero' : 'must be less than or equal to 3600'));
    const sp = r?.selectPolicy;
    if (sp !== undefined && !['Disabled', 'Max', 'Min'].includes(sp)) errs.push(field.notSupported(`spec.behavior.${dir}.selectPolicy`, sp, ['Disabled', 'Max', 'Min']));
  }
  return errs;
}

/** formatHPAMetrics: `cpu: <unknown>/50%` and friends, at most two then `+ N more...`. */
export function formatHPAMetrics(specs: readonly MetricSpec[] | undefined, statuses: readonly MetricStatus[] | undefined): string {
  if (!specs?.length) return '<none>';
  const q = (v: unknown) => String(v ?? '');
  const list = specs.map((s, i) => {
    const st = statuses?.[i];
    switch (s.type) {
      case 'External': case 'Object': {
        const k = s.type === 'External' ? 'external' : 'object';
        const t = s[k]?.target, c = st?.[k]?.current;
        if (t?.averageValue !== undefined) return `${c?.averageValue !== undefined ? q(c.averageValue) : '<unknown>'}/${q(t.averageValue)} (avg)`;
        return `${st?.[k] ? q(c?.value) : '<unknown>'}/${q(t?.value)}`;
      }
      case 'Pods': return `${st?.pods ? q(st.pods.current.averageValue) : '<unknown>'}/${q(s.pods?.target.averageValue)}`;
      case 'Resource': case 'ContainerResource': {
        const k = s.type === 'Resource' ? 'resource' : 'containerResource';
        const src = s[k], cur = st?.[k];
        if (src?.target.averageValue !== undefined) return `${src.name}: ${cur ? q(cur.current.averageValue) : '<unknown>'}/${q(src.target.averageValue)}`;
        const current = cur?.current.averageUtilization !== undefined ? `${cur.current.averageUtilization}%` : '<unknown>';
        const target = src?.target.averageUtilization !== undefined ? `${src.target.averageUtilization}%` : '<auto>';
        return `${src?.name ?? ''}: ${current}/${target}`;
      }
      default: return '<unknown type>';
    }
  });
  return list.length > 2 ? `${list.slice(0, 2).join(', ')} + ${list.length - 2} more...` : list.join(', ');
}

export const horizontalPodAutoscalerDef: ResourceDef<HorizontalPodAutoscaler> = {
  group: 'autoscaling', version: 'v2', kind: 'HorizontalPodAutoscaler', plural: 'horizontalpodautoscalers', singular: 'horizontalpodautoscaler',
  namespaced: true, shortNames: ['hpa'], categories: ['all'],
  schema: HorizontalPodAutoscalerSchema, statusSubresource: true, generation: true,
  default: defaultHorizontalPodAutoscaler,
  validate: validateHorizontalPodAutoscalerSpec,
  prepareForCreate: (hpa) => { hpa.status = { desiredReplicas: 0 }; },
  columns: [
    nameColumn,
    col('Reference', 'string', 'The scaled resource, Kind/name.'),
    col('Targets', 'string', 'Current and target values of the metrics.'),
    col('MinPods', 'string', 'Lower replica limit.'),
    col('MaxPods', 'integer', 'Upper replica limit.'),
    col('Replicas', 'integer', 'Current number of replicas.'),
    ageColumn,
  ],
  row: (hpa, now) => [
    hpa.metadata.name ?? '', `${hpa.spec?.scaleTargetRef.kind ?? ''}/${hpa.spec?.scaleTargetRef.name ?? ''}`,
    formatHPAMetrics(hpa.spec?.metrics, hpa.status?.currentMetrics), hpa.spec?.minReplicas !== undefined ? String(hpa.spec.minReplicas) : '<unset>',
    hpa.spec?.maxReplicas ?? 0, hpa.status?.currentReplicas ?? 0, age(hpa.metadata.creationTimestamp, now),
  ],
};
