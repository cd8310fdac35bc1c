import { test } from 'node:test';
import assert from 'node:assert/strict';
import { strategicMergePatch } from './strategic.js';
import { serverSideApply, recordUpdate } from './apply.js';
import { DeploymentSchema } from '../../api/kinds/deployment.js';
import { ServiceSchema } from '../../api/kinds/service-schema.js';

type J = Record<string, unknown>;

const deployment = {
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', labels: { app: 'web' } },
  spec: {
    replicas: 2, selector: { matchLabels: { app: 'web' } },
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{
      name: 'nginx', image: 'nginx:1.25', env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }],
      ports: [{ containerPort: 8080, protocol: 'TCP' }, { containerPort: 9090, protocol: 'TCP' }],
    }] } },
  },
};

test('real Deployment schema: kubectl apply SMP body', () => {
  const patch = { spec: { replicas: 3, template: { spec: {
    '$setElementOrder/containers': [{ name: 'nginx' }],
    containers: [{
      '$setElementOrder/env': [{ name: 'A' }, { name: 'C' }], '$setElementOrder/ports': [{ containerPort: 8080 }],
      env: [{ name: 'C', value: '3' }, { $patch: 'delete', name: 'B' }], image: 'nginx:1.27', name: 'nginx',
      ports: [{ $patch: 'delete', containerPort: 9090 }],
    }],
  } } } };
  const out = strategicMergePatch(deployment, patch, DeploymentSchema) as { spec: { template: { spec: { containers: J[] } } } };
  assert.deepEqual(out.spec.template.spec.containers, [{
    name: 'nginx', image: 'nginx:1.27', env: [{ name: 'A', value: '1' }, { name: 'C', value: '3' }], ports: [{ containerPort: 8080, protocol: 'TCP' }],
  }]);
});

test('real Deployment schema: switching strategy with $retainKeys', () => {
  const out = strategicMergePatch(deployment, { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate', rollingUpdate: null } } }, DeploymentSchema);
  assert.deepEqual((out['spec'] as J)['strategy'], { type: 'Recreate' });
});

test('real Service schema: SMP ports by port; SSA ports keyed by port+protocol with TCP default', () => {
  const live = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' },
    spec: { type: 'ClusterIP', clusterIP: '10.96.0.10', ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 8080 }], selector: { app: 'web' } } };
  const smp = strategicMergePatch(live, { spec: { '$setElementOrder/ports': [{ port: 80 }, { port: 443 }], ports: [{ name: 'https', port: 443, targetPort: 8443 }] } }, ServiceSchema);
  assert.deepEqual(((smp['spec'] as J)['ports'] as J[]).map((p) => p['port']), [80, 443]);

  const created = recordUpdate(undefined, live, 'kubectl-create', 'Update', ServiceSchema, '2025-01-01T00:00:00Z', 'v1');
  const applied = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { ports: [{ name: 'http', port: 80, targetPort: 9090 }], selector: { app: 'web' } } };
  const r = serverSideApply(created, applied, 'kubectl', ServiceSchema, { now: '2025-01-01T00:01:00Z', apiVersion: 'v1' });
  assert.deepEqual(r.conflicts.map((c) => c.path), ['.spec.ports[port=80,protocol="TCP"].targetPort']);
  const f = serverSideApply(created, applied, 'kubectl', ServiceSchema, { now: '2025-01-01T00:01:00Z', apiVersion: 'v1', force: true });
  assert.deepEqual((f.object['spec'] as J)['ports'], [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 9090 }]);
  const entries = (f.object['metadata'] as J)['managedFields'] as J[];
  assert.deepEqual(entries.map((e) => [e['manager'], e['operation']]), [['kubectl', 'Apply'], ['kubectl-create', 'Update']]);
});
