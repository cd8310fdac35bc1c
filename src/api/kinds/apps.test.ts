import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deploymentDef, type Deployment } from './deployment.js';
import { replicaSetDef, type ReplicaSet } from './replicaset.js';
import { ScaleSchema } from './scale.js';
import { formatFieldError, type FieldError } from '../errors.js';

/** Formats a field error as the API server does. */
const msg = (e: FieldError): string => formatFieldError(e);

const now = new Date('2024-01-01T01:00:00Z');

/** What `kubectl create deployment web --image=nginx` sends. */
function created(): Deployment {
  return {
    kind: 'Deployment', apiVersion: 'apps/v1',
    metadata: { name: 'web', namespace: 'default', labels: { app: 'web' }, creationTimestamp: '2024-01-01T00:00:00Z' },
    spec: {
      replicas: 1, selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx', resources: {} }] } },
      strategy: {},
    },
    status: {},
  };
}
const validate = (d: Deployment) => (deploymentDef.validate?.(d, { operation: 'create' }) ?? []).map(msg);

test('deployment defaults match a real cluster', () => {
  const d = created();
  deploymentDef.default?.(d);
  assert.deepEqual(d.spec, {
    progressDeadlineSeconds: 600, replicas: 1, revisionHistoryLimit: 10,
    selector: { matchLabels: { app: 'web' } },
    strategy: { rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' }, type: 'RollingUpdate' },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: {
        containers: [{
          image: 'nginx', imagePullPolicy: 'Always', name: 'nginx', resources: {},
          terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File',
        }],
        dnsPolicy: 'ClusterFirst', restartPolicy: 'Always', schedulerName: 'default-scheduler',
        securityContext: {}, terminationGracePeriodSeconds: 30,
      },
    },
  });
  assert.deepEqual(validate(d), []);
  const r = created();
  r.spec!.strategy = { type: 'Recreate' };
  deploymentDef.default?.(r);
  assert.deepEqual(r.spec?.strategy, { type: 'Recreate' });
});

test('deployment validation messages', () => {
  const d = created();
  delete d.spec!.selector;
  deploymentDef.default?.(d);
  assert.deepEqual(validate(d), [
    'spec.selector: Required value',
    'spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`',
  ]);
  const e = created();
  e.spec!.selector = { matchLabels: { app: 'db' } };
  e.spec!.replicas = -1;
  e.spec!.strategy = { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: '0%' } };
  e.spec!.minReadySeconds = 700;
  deploymentDef.default?.(e);
  assert.deepEqual(validate(e), [
    'spec.replicas: Invalid value: -1: must be greater than or equal to 0',
    'spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`',
    'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:0, IntVal:0, StrVal:""}: may not be 0 when `maxSurge` is 0',
    'spec.progressDeadlineSeconds: Invalid value: 600: must be greater than minReadySeconds',
  ]);
  const f = created();
  f.spec!.strategy = { type: 'Recreate', rollingUpdate: {} };
  f.spec!.selector = {};
  deploymentDef.default?.(f);
  assert.deepEqual(validate(f), [
    'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment',
    "spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'",
  ]);
  const g = created();
  g.spec!.strategy = { type: 'Blue' as never };
  deploymentDef.default?.(g);
  assert.deepEqual(validate(g), ['spec.strategy: Unsupported value: apps.DeploymentStrategy{Type:"Blue", RollingUpdate:(*apps.RollingUpdateDeployment)(nil)}: supported values: "Recreate", "RollingUpdate"']);
  const h = created();
  h.spec!.strategy = { rollingUpdate: { maxUnavailable: '200%', maxSurge: 'x' } };
  h.spec!.template!.spec!.restartPolicy = 'OnFailure';
  deploymentDef.default?.(h);
  assert.deepEqual(validate(h).filter((m) => !m.startsWith('spec.template.spec.restartPolicy: Unsupported value: "OnFailure": supported values: "Always"')), [
    'spec.strategy.rollingUpdate.maxSurge: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"x"}: a valid percent string must be a numeric string followed by an ending \'%\' (e.g. \'1%\',  or \'93%\', regex used for validation is \'[0-9]+%\')',
    'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"200%"}: must not be greater than 100%',
  ]);
  assert.ok(validate(h).includes('spec.template.spec.restartPolicy: Unsupported value: "OnFailure": supported values: "Always"'));
  const bad = created();
  bad.spec!.selector = { matchExpressions: [{ key: 'app', operator: 'In' }] };
  deploymentDef.default?.(bad);
  assert.deepEqual(validate(bad), [
    "spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
    'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement{v1.LabelSelectorRequirement{Key:"app", Operator:"In", Values:[]string(nil)}}}: invalid label selector',
  ]);
});

test('deployment update: selector is immutable', () => {
  const old = created(), cur = created();
  cur.spec!.selector = { matchLabels: { app: 'web2' } };
  assert.deepEqual(deploymentDef.validateUpdate?.(cur, old).map(msg), [
    'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"web2"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
  ]);
  const same = created();
  same.spec!.selector = { matchLabels: { app: 'web' }, matchExpressions: [] };
  assert.deepEqual(deploymentDef.validateUpdate?.(same, old), []);
});

test('deployment printer and scale', () => {
  assert.deepEqual(deploymentDef.columns.map((c) => `${c.name}${c.priority ? '*' : ''}`),
    ['Name', 'Ready', 'Up-to-date', 'Available', 'Age', 'Containers*', 'Images*', 'Selector*']);
  const d = created();
  d.spec!.replicas = 3;
  d.spec!.template!.spec!.containers.push({ name: 'side', image: 'busybox:1.36' });
  d.status = { replicas: 3, readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 };
  assert.deepEqual(deploymentDef.row(d, now), ['web', '2/3', 3, 2, '60m', 'nginx,side', 'nginx,busybox:1.36', 'app=web']);
  assert.equal(deploymentDef.scale?.selector(d), 'app=web');
  assert.equal(deploymentDef.scale?.statusReplicas(d), 3);
  deploymentDef.scale?.setSpecReplicas(d, 5);
  assert.equal(deploymentDef.scale?.specReplicas(d), 5);
  assert.equal(deploymentDef.shortNames[0], 'deploy');
  assert.deepEqual(deploymentDef.categories, ['all']);
  assert.equal((ScaleSchema as { $id?: string }).$id, 'io.k8s.api.autoscaling.v1.Scale');
});

function rs(): ReplicaSet {
  return {
    metadata: { name: 'web-5d4f8', namespace: 'default', creationTimestamp: '2024-01-01T00:00:00Z' },
    spec: {
      selector: { matchLabels: { app: 'web', 'pod-template-hash': '5d4f8' } },
      template: { metadata: { labels: { app: 'web', 'pod-template-hash': '5d4f8' } }, spec: { containers: [{ name: 'nginx', image: 'nginx' }] } },
    },
  };
}

test('replicaset: defaults, validation, printer', () => {
  const r = rs();
  replicaSetDef.default?.(r);
  replicaSetDef.prepareForCreate?.(r);
  assert.equal(r.spec?.replicas, 1);
  assert.deepEqual(r.status, { replicas: 0 });
  assert.deepEqual(replicaSetDef.validate?.(r, { operation: 'create' }), []);
  r.spec!.minReadySeconds = -5;
  assert.deepEqual(replicaSetDef.validate?.(r, { operation: 'create' }).map(msg), ['spec.minReadySeconds: Invalid value: -5: must be greater than or equal to 0']);
  r.status = { replicas: 1, readyReplicas: 1 };
  assert.deepEqual(replicaSetDef.row(r, now), ['web-5d4f8', 1, 1, 1, '60m', 'nginx', 'nginx', 'app=web,pod-template-hash=5d4f8']);
  assert.equal(replicaSetDef.scale?.selector(r), 'app=web,pod-template-hash=5d4f8');
  assert.deepEqual(replicaSetDef.shortNames, ['rs']);
});
