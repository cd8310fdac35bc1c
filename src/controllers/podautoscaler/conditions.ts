/**
 * What the HPA controller (pkg/controller/podautoscaler/horizontal.go) reports when it can read the
 * target's scale but has no metrics API to ask, as on a cluster without metrics-server.
 */
import type { HorizontalPodAutoscaler, MetricSpec } from '../../api/kinds/hpa-schema.js';

type Condition = NonNullable<NonNullable<HorizontalPodAutoscaler['status']>['conditions']>[number];

const NO_METRICS_API = 'unable to fetch metrics from resource metrics API: the server could not find the requested resource (get pods.metrics.k8s.io)';

/** The reason and error text for the first metric, as the controller words a failed read of that metric type. */
export function metricFailure(m: MetricSpec | undefined): { reason: string; error: string } {
  const src = m?.resource ?? m?.containerResource;
  if (src) {
    const what = src.target.type === 'Utilization' ? 'utilization' : 'usage';
    return { reason: m?.type === 'ContainerResource' ? 'FailedGetContainerResourceMetric' : 'FailedGetResourceMetric',
      error: `failed to get ${src.name} ${what}: unable to get metrics for resource ${src.name}: ${NO_METRICS_API}` };
  }
  const name = m?.pods?.metric.name ?? m?.object?.metric.name ?? m?.external?.metric.name ?? '';
  const reason = `FailedGet${m?.type ?? 'Resource'}Metric`;
  return { reason, error: `unable to get metric ${name}: no custom metrics API (custom.metrics.k8s.io) registered` };
}

/** Sets a condition, keeping lastTransitionTime when its status does not change. */
export function setCondition(conds: readonly Condition[], next: Omit<Condition, 'lastTransitionTime'>, now: string): Condition[] {
  const prev = conds.find((c) => c.type === next.type);
  const c = { ...next, lastTransitionTime: prev?.status === next.status && prev.lastTransitionTime ? prev.lastTransitionTime : now };
  return prev ? conds.map((x) => (x.type === next.type ? c : x)) : [...conds, c];
}
