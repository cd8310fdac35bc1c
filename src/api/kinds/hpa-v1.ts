/**
 * autoscaling/v1 HorizontalPodAutoscaler, served over the stored autoscaling/v2 objects (as
 * kube-apiserver converts: targetCPUUtilizationPercentage is the CPU Utilization metric, other
 * metrics and the conditions travel in `autoscaling.alpha.kubernetes.io/*` annotations).
 */
import { Obj, Opt, Str, Int32, Int64, Time, type Static } from '../schema.js';
import { kindProps, type KObject } from '../meta.js';
import type { ResourceDef } from '../resource.js';
import { horizontalPodAutoscalerDef } from './hpa.js';
import type { HorizontalPodAutoscaler } from './hpa-schema.js';

const A = 'io.k8s.api.autoscaling.v1.';
const ANN_METRICS = 'autoscaling.alpha.kubernetes.io/metrics';
const ANN_CONDITIONS = 'autoscaling.alpha.kubernetes.io/conditions';
const ANN_CURRENT = 'autoscaling.alpha.kubernetes.io/current-metrics';

export const HorizontalPodAutoscalerV1Schema = Obj(A + 'HorizontalPodAutoscaler', 'Configuration of a horizontal pod autoscaler (CPU only).', kindProps({
  spec: Opt(Obj(A + 'HorizontalPodAutoscalerSpec', 'The desired behaviour of an autoscaler.', {
    scaleTargetRef: Obj(A + 'CrossVersionObjectReference', 'Names the scaled resource.', {
      kind: Str('Kind of the referent.'), name: Str('Name of the referent.'), apiVersion: Opt(Str('API version of the referent.')),
    }),
    minReplicas: Opt(Int32('Lower replica limit; 1 by default.')),
    maxReplicas: Int32('Upper replica limit.'),
    targetCPUUtilizationPercentage: Opt(Int32('Target average CPU utilization in percent of the requests.')),
  })),
  status: Opt(Obj(A + 'HorizontalPodAutoscalerStatus', 'The observed state of an autoscaler.', {
    observedGeneration: Opt(Int64('Generation last observed.')),
    lastScaleTime: Opt(Time),
    currentReplicas: Int32('Current number of replicas.'),
    desiredReplicas: Int32('Desired number of replicas.'),
    currentCPUUtilizationPercentage: Opt(Int32('Current average CPU utilization in percent of the requests.')),
  })),
}), { 'x-kubernetes-group-version-kind': [{ group: 'autoscaling', version: 'v1', kind: 'HorizontalPodAutoscaler' }] });
export type HorizontalPodAutoscalerV1 = Static<typeof HorizontalPodAutoscalerV1Schema> & KObject;

const isCpuUtilization = (m: { type: string; resource?: { name: string; target: { type: string } } }) =>
  m.type === 'Resource' && m.resource?.name === 'cpu' && m.resource.target.type === 'Utilization';

/** v1 → v2: the CPU target becomes a metric; metrics kept in the annotation come back. */
export function hpaV1ToV2(o: HorizontalPodAutoscalerV1): HorizontalPodAutoscaler {
  const { [ANN_METRICS]: metrics, [ANN_CONDITIONS]: conditions, [ANN_CURRENT]: current, ...annotations } = o.metadata.annotations ?? {};
  const spec = o.spec;
  const extra = metrics ? JSON.parse(metrics) as NonNullable<HorizontalPodAutoscaler['spec']>['metrics'] : undefined;
  const cpu = spec?.targetCPUUtilizationPercentage;
  return {
    apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler',
    metadata: { ...o.metadata, ...(Object.keys(annotations).length ? { annotations } : { annotations: undefined }) },
    ...(spec ? { spec: {
      scaleTargetRef: spec.scaleTargetRef, ...(spec.minReplicas !== undefined ? { minReplicas: spec.minReplicas } : {}), maxReplicas: spec.maxReplicas,
      metrics: [...(cpu !== undefined ? [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: cpu } } }] : []), ...(extra ?? [])],
    } } : {}),
    ...(o.status ? { status: {
      ...(o.status.observedGeneration !== undefined ? { observedGeneration: o.status.observedGeneration } : {}),
      ...(o.status.lastScaleTime ? { lastScaleTime: o.status.lastScaleTime } : {}),
      currentReplicas: o.status.currentReplicas, desiredReplicas: o.status.desiredReplicas,
      ...(current ? { currentMetrics: JSON.parse(current) } : {}), ...(conditions ? { conditions: JSON.parse(conditions) } : {}),
    } } : {}),
  } as HorizontalPodAutoscaler;
}

/** The v1 currentCPUUtilizationPercentage field from the v2 current metrics, when known. */
function currentCPU(metrics: NonNullable<HorizontalPodAutoscaler['status']>['currentMetrics']): { currentCPUUtilizationPercentage?: number } {
  const u = metrics?.find((m) => m.type === 'Resource' && m.resource?.name === 'cpu')?.resource?.current.averageUtilization;
  return u !== undefined ? { currentCPUUtilizationPercentage: u } : {};
}

/** v2 → v1: the CPU Utilization metric is the target; the rest and the conditions go to annotations. */
export function hpaV2ToV1(o: HorizontalPodAutoscaler): HorizontalPodAutoscalerV1 {
  const metrics = o.spec?.metrics ?? [];
  const cpu = metrics.find(isCpuUtilization);
  const others = metrics.filter((m) => m !== cpu);
  const st = o.status;
  const annotations = {
    ...o.metadata.annotations,
    ...(others.length ? { [ANN_METRICS]: JSON.stringify(others) } : {}),
    ...(st?.conditions?.length ? { [ANN_CONDITIONS]: JSON.stringify(st.conditions) } : {}),
  };
  return {
    apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler',
    metadata: { ...o.metadata, ...(Object.keys(annotations).length ? { annotations } : {}) },
    ...(o.spec ? { spec: {
      scaleTargetRef: o.spec.scaleTargetRef, ...(o.spec.minReplicas !== undefined ? { minReplicas: o.spec.minReplicas } : {}), maxReplicas: o.spec.maxReplicas,
      ...(cpu?.resource?.target.averageUtilization !== undefined ? { targetCPUUtilizationPercentage: cpu.resource.target.averageUtilization } : {}),
    } } : {}),
    ...(st ? { status: {
      ...(st.observedGeneration !== undefined ? { observedGeneration: st.observedGeneration } : {}),
      ...(st.lastScaleTime ? { lastScaleTime: st.lastScaleTime } : {}),
      currentReplicas: st.currentReplicas ?? 0, desiredReplicas: st.desiredReplicas,
      ...currentCPU(st.currentMetrics),
    } } : {}),
  };
}

export const horizontalPodAutoscalerV1Def: ResourceDef<HorizontalPodAutoscalerV1> = {
  ...(horizontalPodAutoscalerDef as unknown as ResourceDef<HorizontalPodAutoscalerV1>),
  version: 'v1', schema: HorizontalPodAutoscalerV1Schema,
  verbs: ['create', 'delete', 'get', 'list', 'patch', 'update'],
  default: undefined, validate: undefined, prepareForCreate: undefined,
  row: (o, now) => horizontalPodAutoscalerDef.row(hpaV1ToV2(o), now),
  storedAs: {
    def: horizontalPodAutoscalerDef as unknown as ResourceDef,
    toStored: (o) => hpaV1ToV2(o as HorizontalPodAutoscalerV1),
    fromStored: (o) => hpaV2ToV1(o as HorizontalPodAutoscaler),
  },
};
