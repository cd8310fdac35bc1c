/** The autoscaling/v2 HorizontalPodAutoscaler schema (k8s.io/api/autoscaling/v2). */
import { Obj, Opt, Str, Int32, Int64, List, Quantity, Time, type Static } from '../schema.js';
import type { TProperties } from '@sinclair/typebox';
import { kindProps, LabelSelector, type KObject } from '../meta.js';
import { atomic } from './pod-spec-common.js';

const A = 'io.k8s.api.autoscaling.v2.';

export const CrossVersionObjectReferenceSchema = Obj(A + 'CrossVersionObjectReference', 'Names the scaled resource.', {
  kind: Str('Kind of the referent, such as Deployment.'),
  name: Str('Name of the referent.'),
  apiVersion: Opt(Str('API version of the referent.')),
});

const MetricTarget = Obj(A + 'MetricTarget', 'The target value, average value or average utilization of a metric.', {
  type: Str('Utilization, Value or AverageValue.'),
  value: Opt(Quantity),
  averageValue: Opt(Quantity),
  averageUtilization: Opt(Int32('Target average utilization in percent of the requests.')),
});
const MetricValueStatus = Obj(A + 'MetricValueStatus', 'The current value of a metric.', {
  value: Opt(Quantity),
  averageValue: Opt(Quantity),
  averageUtilization: Opt(Int32('Current average utilization in percent of the requests.')),
});
const MetricIdentifier = Obj(A + 'MetricIdentifier', 'Names a metric and optionally selects its series.', {
  name: Str('Name of the metric.'),
  selector: Opt(LabelSelector),
});

const src = <P extends TProperties>(id: string, d: string, extra: P) => Obj(A + id, d, { ...extra, target: MetricTarget });
const cur = <P extends TProperties>(id: string, d: string, extra: P) => Obj(A + id, d, { ...extra, current: MetricValueStatus });

export const MetricSpecSchema = Obj(A + 'MetricSpec', 'One metric to scale on.', {
  type: Str('ContainerResource, External, Object, Pods or Resource.'),
  resource: Opt(src('ResourceMetricSource', 'A resource metric of the pods (cpu, memory).', { name: Str('Resource name.') })),
  containerResource: Opt(src('ContainerResourceMetricSource', 'A resource metric of one container of the pods.', { name: Str('Resource name.'), container: Str('Container name.') })),
  pods: Opt(src('PodsMetricSource', 'A metric averaged over the pods.', { metric: MetricIdentifier })),
  object: Opt(src('ObjectMetricSource', 'A metric of another object.', { describedObject: CrossVersionObjectReferenceSchema, metric: MetricIdentifier })),
  external: Opt(src('ExternalMetricSource', 'A metric from outside the cluster.', { metric: MetricIdentifier })),
});

export const MetricStatusSchema = Obj(A + 'MetricStatus', 'The current value of one metric.', {
  type: Str('ContainerResource, External, Object, Pods or Resource.'),
  resource: Opt(cur('ResourceMetricStatus', 'Current value of a resource metric.', { name: Str('Resource name.') })),
  containerResource: Opt(cur('ContainerResourceMetricStatus', 'Current value of a container resource metric.', { name: Str('Resource name.'), container: Str('Container name.') })),
  pods: Opt(cur('PodsMetricStatus', 'Current value of a pods metric.', { metric: MetricIdentifier })),
  object: Opt(cur('ObjectMetricStatus', 'Current value of an object metric.', { describedObject: CrossVersionObjectReferenceSchema, metric: MetricIdentifier })),
  external: Opt(cur('ExternalMetricStatus', 'Current value of an external metric.', { metric: MetricIdentifier })),
});

const ScalingPolicy = Obj(A + 'HPAScalingPolicy', 'One scaling policy: a change of Pods or Percent per period.', {
  type: Str('Pods or Percent.'),
  value: Int32('Amount of change allowed.'),
  periodSeconds: Int32('Window the policy holds for, in seconds.'),
});
export const HPAScalingRulesSchema = Obj(A + 'HPAScalingRules', 'How fast to scale in one direction.', {
  stabilizationWindowSeconds: Opt(Int32('Seconds of past recommendations considered.')),
  selectPolicy: Opt(Str('Max, Min or Disabled.')),
  policies: Opt(List(ScalingPolicy, 'Scaling policies.', atomic)),
  tolerance: Opt(Quantity),
});

export const HorizontalPodAutoscalerConditionSchema = Obj(A + 'HorizontalPodAutoscalerCondition', 'One aspect of the state of an autoscaler.', {
  type: Str('AbleToScale, ScalingActive or ScalingLimited.'),
  status: Str('True, False or Unknown.'),
  lastTransitionTime: Opt(Time),
  reason: Opt(Str('Reason for the last transition.')),
  message: Opt(Str('Human-readable details.')),
});

export const HorizontalPodAutoscalerSchema = Obj(A + 'HorizontalPodAutoscaler', 'Scales a workload with a scale subresource on metrics.', kindProps({
  spec: Opt(Obj(A + 'HorizontalPodAutoscalerSpec', 'The desired behaviour of an autoscaler.', {
    scaleTargetRef: CrossVersionObjectReferenceSchema,
    minReplicas: Opt(Int32('Lower replica limit; 1 by default.')),
    maxReplicas: Int32('Upper replica limit.'),
    metrics: Opt(List(MetricSpecSchema, 'Metrics to scale on; CPU at 80% by default.', atomic)),
    behavior: Opt(Obj(A + 'HorizontalPodAutoscalerBehavior', 'Scaling speed up and down.', { scaleUp: Opt(HPAScalingRulesSchema), scaleDown: Opt(HPAScalingRulesSchema) })),
  })),
  status: Opt(Obj(A + 'HorizontalPodAutoscalerStatus', 'The observed state of an autoscaler.', {
    observedGeneration: Opt(Int64('Generation last observed.')),
    lastScaleTime: Opt(Time),
    currentReplicas: Opt(Int32('Current number of replicas.')),
    desiredReplicas: Int32('Desired number of replicas last computed.'),
    currentMetrics: Opt(List(MetricStatusSchema, 'Last read state of the metrics.', atomic)),
    conditions: Opt(List(HorizontalPodAutoscalerConditionSchema, 'Conditions of the autoscaler.', { 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['type'], 'x-kubernetes-patch-strategy': 'merge', 'x-kubernetes-patch-merge-key': 'type' })),
  })),
}), { 'x-kubernetes-group-version-kind': [{ group: 'autoscaling', version: 'v2', kind: 'HorizontalPodAutoscaler' }] });
export type HorizontalPodAutoscaler = Static<typeof HorizontalPodAutoscalerSchema> & KObject;
export type MetricSpec = Static<typeof MetricSpecSchema>;
export type MetricStatus = Static<typeof MetricStatusSchema>;
