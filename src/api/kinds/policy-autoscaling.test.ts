import { test } from 'node:test';
import assert from 'node:assert/strict';
import { podDisruptionBudgetDef, type PodDisruptionBudget } from './pdb.js';
import { horizontalPodAutoscalerDef, formatHPAMetrics } from './hpa.js';
import type { HorizontalPodAutoscaler } from './hpa-schema.js';
import { formatFieldError } from '../errors.js';

const now = new Date('2024-01-01T01:00:00Z');
const meta = { name: 'web', namespace: 'default', creationTimestamp: '2024-01-01T00:00:00Z' };

test('PDB: minAvailable XOR maxUnavailable, percent checks, printer', () => {
  const pdb = (spec: PodDisruptionBudget['spec']): PodDisruptionBudget => ({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: meta, spec });
  const v = (p: PodDisruptionBudget) => (podDisruptionBudgetDef.validate?.(p, { operation: 'create' }) ?? []).map(formatFieldError);
  assert.deepEqual(v(pdb({ minAvailable: 2, selector: { matchLabels: { app: 'web' } } })), []);
  assert.match(v(pdb({ minAvailable: 1, maxUnavailable: 1 }))[0] ?? '', /^spec: Invalid value: policy\.PodDisruptionBudgetSpec\{MinAvailable:\(\*intstr\.IntOrString\)\(0x[0-9a-f]+\), .*\}: minAvailable and maxUnavailable cannot be both set$/);
  assert.deepEqual(v(pdb({ maxUnavailable: '150%' })), ['spec.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"150%"}: must not be greater than 100%']);
  assert.deepEqual(v(pdb({ minAvailable: -1 })), ['spec.minAvailable: Invalid value: -1: must be greater than or equal to 0']);
  const p = pdb({ minAvailable: 2 });
  p.status = { disruptionsAllowed: 1, currentHealthy: 3, desiredHealthy: 2, expectedPods: 3 };
  assert.deepEqual(podDisruptionBudgetDef.row(p, now), ['web', '2', 'N/A', 1, '60m']);
});

test('HPA v2: defaults (minReplicas 1, CPU 80%), validation, printer with <unknown> targets', () => {
  const hpa: HorizontalPodAutoscaler = { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: meta,
    spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, maxReplicas: 3 } };
  horizontalPodAutoscalerDef.default?.(hpa);
  assert.equal(hpa.spec?.minReplicas, 1);
  assert.deepEqual(hpa.spec?.metrics, [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }]);
  assert.deepEqual(horizontalPodAutoscalerDef.row(hpa, now), ['web', 'Deployment/web', 'cpu: <unknown>/80%', '1', 3, 0, '60m']);
  const bad = structuredClone(hpa);
  bad.spec!.minReplicas = 5; bad.spec!.maxReplicas = 2; bad.spec!.scaleTargetRef.name = '';
  assert.deepEqual((horizontalPodAutoscalerDef.validate?.(bad, { operation: 'create' }) ?? []).map(formatFieldError), [
    'spec.maxReplicas: Invalid value: 2: must be greater than or equal to `minReplicas`',
    'spec.scaleTargetRef.name: Required value',
  ]);
});

test('formatHPAMetrics: current values, averages, and more than two metrics', () => {
  const cpu = { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } };
  const mem = { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '100Mi' } } };
  const pods = { type: 'Pods', pods: { metric: { name: 'qps' }, target: { type: 'AverageValue', averageValue: '10' } } };
  assert.equal(formatHPAMetrics([cpu], [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 12 } } }]), 'cpu: 12%/50%');
  assert.equal(formatHPAMetrics([cpu, mem, pods], []), 'cpu: <unknown>/50%, memory: <unknown>/100Mi + 1 more...');
  assert.equal(formatHPAMetrics([], []), '<none>');
});
