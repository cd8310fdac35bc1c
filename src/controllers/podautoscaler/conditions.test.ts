import { test } from 'node:test';
import assert from 'node:assert/strict';
import { metricFailure, setCondition } from './conditions.js';

test('metricFailure words resource metrics as the HPA controller does without metrics-server', () => {
  const cpu = metricFailure({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } });
  assert.equal(cpu.reason, 'FailedGetResourceMetric');
  assert.equal(cpu.error, 'failed to get cpu utilization: unable to get metrics for resource cpu: unable to fetch metrics from resource metrics API: the server could not find the requested resource (get pods.metrics.k8s.io)');
  assert.equal(metricFailure({ type: 'Pods', pods: { metric: { name: 'qps' }, target: { type: 'AverageValue', averageValue: '1' } } }).reason, 'FailedGetPodsMetric');
});

test('setCondition keeps lastTransitionTime while the status holds', () => {
  const a = setCondition([], { type: 'AbleToScale', status: 'True', reason: 'SucceededGetScale' }, 't1');
  const b = setCondition(a, { type: 'AbleToScale', status: 'True', reason: 'SucceededGetScale' }, 't2');
  assert.equal(b[0]?.lastTransitionTime, 't1');
  assert.equal(setCondition(b, { type: 'AbleToScale', status: 'False', reason: 'FailedGetScale' }, 't3')[0]?.lastTransitionTime, 't3');
});
