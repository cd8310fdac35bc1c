import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { MetricSpec } from './hpa-schema.js';
import { hpaV1ToV2, hpaV2ToV1, type HorizontalPodAutoscalerV1 } from './hpa-v1.js';

test('autoscaling v1 <-> v2: the CPU target is a Utilization metric and other metrics round-trip in the annotation', () => {
  const v1: HorizontalPodAutoscalerV1 = { apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web' },
    spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 1, maxReplicas: 3, targetCPUUtilizationPercentage: 50 } };
  const v2 = hpaV1ToV2(v1);
  assert.deepEqual(v2.spec?.metrics, [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }]);
  assert.deepEqual(hpaV2ToV1(v2).spec, v1.spec);
  const memory: MetricSpec = { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '100Mi' } } };
  v2.spec = { ...v2.spec!, metrics: [...(v2.spec?.metrics ?? []), memory] };
  v2.status = { desiredReplicas: 2, currentReplicas: 2, conditions: [{ type: 'AbleToScale', status: 'True' }] };
  const back = hpaV2ToV1(v2);
  assert.equal(back.spec?.targetCPUUtilizationPercentage, 50);
  assert.match(back.metadata.annotations?.['autoscaling.alpha.kubernetes.io/metrics'] ?? '', /memory/);
  assert.deepEqual(hpaV1ToV2(back).spec?.metrics, v2.spec?.metrics);
  assert.deepEqual(hpaV1ToV2(back).status?.conditions, v2.status.conditions);
});
