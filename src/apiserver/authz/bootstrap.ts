/**
 * The default cluster roles and bindings kube-apiserver reconciles at start (bootstrappolicy):
 * cluster-admin bound to system:masters, the user-facing admin/edit/view roles aggregated from the
 * system:aggregate-to-* roles, and the discovery, basic-user and public-info-viewer roles.
 * Missing ones are created; existing ones are left as the user changed them.
 */
import type { KObject } from '../../api/meta.js';
import type { PolicyRule } from '../../api/kinds/rbac-schema.js';
import type { Client } from '../../client/client.js';

const RBAC = 'rbac.authorization.k8s.io';
const READ = ['get', 'list', 'watch'];
const WRITE = ['create', 'delete', 'deletecollection', 'patch', 'update'];
const rule = (verbs: string[], apiGroups: string[], resources: string[]): PolicyRule => ({ verbs, apiGroups, resources });
const urls = (verbs: string[], nonResourceURLs: string[]): PolicyRule => ({ verbs, nonResourceURLs });

const VIEW: PolicyRule[] = [
  rule(READ, [''], ['configmaps', 'endpoints', 'persistentvolumeclaims', 'persistentvolumeclaims/status', 'pods', 'replicationcontrollers',
    'replicationcontrollers/scale', 'serviceaccounts', 'services', 'services/status']),
  rule(READ, [''], ['bindings', 'events', 'limitranges', 'namespaces/status', 'pods/log', 'pods/status', 'replicationcontrollers/status',
    'resourcequotas', 'resourcequotas/status']),
  rule(READ, [''], ['namespaces']),
  rule(READ, ['discovery.k8s.io'], ['endpointslices']),
  rule(READ, ['apps'], ['controllerrevisions', 'daemonsets', 'daemonsets/status', 'deployments', 'deployments/scale', 'deployments/status',
    'replicasets', 'replicasets/scale', 'replicasets/status', 'statefulsets', 'statefulsets/scale', 'statefulsets/status']),
  rule(READ, ['autoscaling'], ['horizontalpodautoscalers', 'horizontalpodautoscalers/status']),
  rule(READ, ['batch'], ['cronjobs', 'cronjobs/status', 'jobs', 'jobs/status']),
  rule(READ, ['policy'], ['poddisruptionbudgets', 'poddisruptionbudgets/status']),
  rule(READ, ['networking.k8s.io'], ['ingresses', 'ingresses/status', 'networkpolicies']),
];

const EDIT: PolicyRule[] = [
  rule(['impersonate'], [''], ['serviceaccounts']),
  rule(WRITE, [''], ['pods', 'pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy']),
  rule(['create'], [''], ['pods/eviction']),
  rule(WRITE, [''], ['configmaps', 'events', 'persistentvolumeclaims', 'replicationcontrollers', 'replicationcontrollers/scale', 'secrets',
    'serviceaccounts', 'services', 'services/proxy']),
  rule(['create'], [''], ['serviceaccounts/token']),
  rule(WRITE, ['apps'], ['daemonsets', 'deployments', 'deployments/rollback', 'deployments/scale', 'replicasets', 'replicasets/scale',
    'statefulsets', 'statefulsets/scale']),
  rule(WRITE, ['autoscaling'], ['horizontalpodautoscalers']),
  rule(WRITE, ['batch'], ['cronjobs', 'jobs']),
  rule(WRITE, ['policy'], ['poddisruptionbudgets']),
  rule(WRITE, ['networking.k8s.io'], ['ingresses', 'networkpolicies']),
  rule(READ, [''], ['pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy', 'secrets', 'services/proxy']),
];

const ADMIN: PolicyRule[] = [
  rule(['create'], ['authorization.k8s.io'], ['localsubjectaccessreviews']),
  rule([...WRITE, ...READ], [RBAC], ['rolebindings', 'roles']),
];

const meta = (name: string, labels: Record<string, string> = {}) => ({
  name, labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults', ...labels }, annotations: { 'rbac.authorization.kubernetes.io/autoupdate': 'true' },
});
const aggregated = (name: string, labels: Record<string, string>, selectors: string[]): KObject => ({
  metadata: meta(name, labels), rules: [],
  aggregationRule: { clusterRoleSelectors: selectors.map((s) => ({ matchLabels: { [`${RBAC}/aggregate-to-${s}`]: 'true' } })) },
});
const role = (name: string, rules: PolicyRule[], labels: Record<string, string> = {}): KObject => ({ metadata: meta(name, labels), rules });
const binding = (name: string, role: string, groups: string[]): KObject => ({
  metadata: meta(name), roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name: role },
  subjects: groups.map((g) => ({ apiGroup: RBAC, kind: 'Group', name: g })),
});

/** The bootstrap cluster roles. */
export const bootstrapClusterRoles: KObject[] = [
  role('cluster-admin', [rule(['*'], ['*'], ['*']), urls(['*'], ['*'])]),
  aggregated('admin', {}, ['admin']),
  aggregated('edit', { [`${RBAC}/aggregate-to-admin`]: 'true' }, ['edit']),
  aggregated('view', { [`${RBAC}/aggregate-to-edit`]: 'true' }, ['view']),
  role('system:aggregate-to-admin', ADMIN, { [`${RBAC}/aggregate-to-admin`]: 'true' }),
  role('system:aggregate-to-edit', EDIT, { [`${RBAC}/aggregate-to-edit`]: 'true' }),
  role('system:aggregate-to-view', VIEW, { [`${RBAC}/aggregate-to-view`]: 'true' }),
  role('system:discovery', [urls(['get'], ['/api', '/api/*', '/apis', '/apis/*', '/healthz', '/livez', '/openapi', '/openapi/*', '/readyz', '/version', '/version/'])]),
  role('system:basic-user', [rule(['create'], ['authorization.k8s.io'], ['selfsubjectaccessreviews', 'selfsubjectrulesreviews']),
    rule(['create'], ['authentication.k8s.io'], ['selfsubjectreviews'])]),
  role('system:public-info-viewer', [urls(['get'], ['/healthz', '/livez', '/readyz', '/version', '/version/'])]),
];

/** The bootstrap cluster role bindings. */
export const bootstrapClusterRoleBindings: KObject[] = [
  binding('cluster-admin', 'cluster-admin', ['system:masters']),
  binding('system:discovery', 'system:discovery', ['system:authenticated']),
  binding('system:basic-user', 'system:basic-user', ['system:authenticated']),
  binding('system:public-info-viewer', 'system:public-info-viewer', ['system:authenticated', 'system:unauthenticated']),
];

/** Creates the bootstrap roles and bindings that do not exist. */
export async function ensureBootstrapPolicy(client: Client): Promise<void> {
  for (const [resource, objs] of [['clusterroles', bootstrapClusterRoles], ['clusterrolebindings', bootstrapClusterRoleBindings]] as const) {
    const ref = { resource, group: RBAC };
    for (const o of objs) if (!client.get(ref, '', o.metadata.name!)) await client.create(ref, o);
  }
}
