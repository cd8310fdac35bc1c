/**
 * The ingress addon `knet up` installs (unless `--no-ingress`), as kind's ingress-nginx manifest
 * (IN:deploy/static/provider/kind/deploy.yaml) and minikube's ingress addon lay it out, minus RBAC,
 * the admission webhook and its Jobs (a later issue): namespace `ingress-nginx`, the controller's
 * ServiceAccount, ConfigMap and Deployment (hostPorts 80/443 on the node labelled
 * `ingress-ready=true`), a LoadBalancer Service and the default IngressClass `nginx`.
 *
 * Like minikube's addons, each object is created on `up` only when missing: a user's edits are
 * kept, and an object the user deleted comes back on the next `up` while the addon is enabled.
 */
import type { KObject } from '../../api/meta.js';
import type { Client, ResourceRef } from '../../client/client.js';
import { ensure } from './bootstrap.js';
import { ANNOTATION_IS_DEFAULT_INGRESS_CLASS, LABEL_NODE_ROLE_CONTROL_PLANE, LABEL_OS } from '../../api/wellknown.js';

/** The controller image of the addon (the final ingress-nginx release). */
export const INGRESS_NGINX_IMAGE = 'registry.k8s.io/ingress-nginx/controller:v1.15.1';
/** The addon's namespace. */
export const INGRESS_NAMESPACE = 'ingress-nginx';
/** The controller's name (Deployment, Service, ConfigMap). */
export const INGRESS_CONTROLLER = 'ingress-nginx-controller';
/** The node label kind's ingress config sets on the node that runs the controller. */
export const LABEL_INGRESS_READY = 'ingress-ready';

/** Host ports of the controller pod. */
export interface IngressAddonOptions { httpPort: number; httpsPort: number }

const NAME = { 'app.kubernetes.io/name': 'ingress-nginx', 'app.kubernetes.io/instance': 'ingress-nginx' };
const SELECTOR = { ...NAME, 'app.kubernetes.io/component': 'controller' };
const LABELS = { ...SELECTOR, 'app.kubernetes.io/part-of': 'ingress-nginx', 'app.kubernetes.io/version': '1.15.1' };
const meta = (name: string, labels: Record<string, string> = LABELS) => ({ name, namespace: INGRESS_NAMESPACE, labels: { ...labels } });

/** The controller Deployment. */
export function ingressControllerDeployment(o: IngressAddonOptions, image = INGRESS_NGINX_IMAGE): KObject {
  const probe = (failureThreshold: number, initialDelaySeconds: number) => ({
    httpGet: { path: '/healthz', port: 10254, scheme: 'HTTP' }, initialDelaySeconds, periodSeconds: 10, timeoutSeconds: 1, successThreshold: 1, failureThreshold,
  });
  const field = (fieldPath: string) => ({ valueFrom: { fieldRef: { fieldPath } } });
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta(INGRESS_CONTROLLER),
    spec: {
      replicas: 1, revisionHistoryLimit: 10, minReadySeconds: 0,
      selector: { matchLabels: { ...SELECTOR } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } },
      template: {
        metadata: { labels: { ...LABELS } },
        spec: {
          dnsPolicy: 'ClusterFirst', serviceAccountName: 'ingress-nginx', terminationGracePeriodSeconds: 0,
          nodeSelector: { [LABEL_INGRESS_READY]: 'true', [LABEL_OS]: 'linux' },
          tolerations: [
            { key: LABEL_NODE_ROLE_CONTROL_PLANE, operator: 'Equal', effect: 'NoSchedule' },
            { key: 'node-role.kubernetes.io/master', operator: 'Equal', effect: 'NoSchedule' },
          ],
          containers: [{
            name: 'controller', image, imagePullPolicy: 'IfNotPresent',
            args: [
              '/nginx-ingress-controller', '--election-id=ingress-nginx-leader', '--controller-class=k8s.io/ingress-nginx',
              '--ingress-class=nginx', '--configmap=$(POD_NAMESPACE)/ingress-nginx-controller', '--watch-ingress-without-class=true',
              // The LoadBalancer Service's address goes into the Ingresses' status (kind's manifest publishes `localhost`).
              `--publish-service=$(POD_NAMESPACE)/${INGRESS_CONTROLLER}`,
            ],
            env: [
              { name: 'POD_NAME', ...field('metadata.name') }, { name: 'POD_NAMESPACE', ...field('metadata.namespace') },
              { name: 'LD_PRELOAD', value: '/usr/local/lib/libmimalloc.so' },
            ],
            lifecycle: { preStop: { exec: { command: ['/wait-shutdown'] } } },
            // Upstream waits 10 s before the first readiness probe; knet's controller serves at once, so it is probed at once.
            livenessProbe: probe(5, 10),
            readinessProbe: probe(3, 0),
            ports: [
              { name: 'http', containerPort: 80, protocol: 'TCP', hostPort: o.httpPort },
              { name: 'https', containerPort: 443, protocol: 'TCP', hostPort: o.httpsPort },
            ],
            resources: { requests: { cpu: '100m', memory: '90Mi' } },
            securityContext: {
              allowPrivilegeEscalation: false, capabilities: { add: ['NET_BIND_SERVICE'], drop: ['ALL'] },
              readOnlyRootFilesystem: false, runAsNonRoot: true, runAsUser: 101, runAsGroup: 82, seccompProfile: { type: 'RuntimeDefault' },
            },
          }],
        },
      },
    },
  };
}

/** Every addon object in creation order, with its resource. */
export function ingressAddonObjects(o: IngressAddonOptions): { ref: ResourceRef; obj: KObject }[] {
  return [
    { ref: { resource: 'namespaces' }, obj: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: INGRESS_NAMESPACE, labels: { ...NAME } } } },
    { ref: { resource: 'serviceaccounts' }, obj: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta('ingress-nginx'), automountServiceAccountToken: true } },
    { ref: { resource: 'configmaps' }, obj: { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta(INGRESS_CONTROLLER), data: { 'allow-snippet-annotations': 'false' } } },
    {
      ref: { resource: 'services' },
      obj: {
        apiVersion: 'v1', kind: 'Service', metadata: meta(INGRESS_CONTROLLER),
        spec: {
          type: 'LoadBalancer', externalTrafficPolicy: 'Local', ipFamilyPolicy: 'SingleStack', ipFamilies: ['IPv4'], selector: { ...SELECTOR },
          ports: [
            { name: 'http', port: 80, protocol: 'TCP', targetPort: 'http', appProtocol: 'http' },
            { name: 'https', port: 443, protocol: 'TCP', targetPort: 'https', appProtocol: 'https' },
          ],
        },
      },
    },
    { ref: { resource: 'deployments', group: 'apps' }, obj: ingressControllerDeployment(o) },
    {
      ref: { resource: 'ingressclasses', group: 'networking.k8s.io' },
      obj: {
        apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass',
        metadata: { name: 'nginx', labels: { ...LABELS }, annotations: { [ANNOTATION_IS_DEFAULT_INGRESS_CLASS]: 'true' } },
        spec: { controller: 'k8s.io/ingress-nginx' },
      },
    },
  ];
}

/** Labels a node `ingress-ready=true` (kind's ingress cluster config) unless it already has the label. */
export async function labelIngressReady(client: Client, node: string): Promise<void> {
  for (let i = 0; i < 5; i++) {
    const n = client.get({ resource: 'nodes' }, '', node);
    if (!n || n.metadata.labels?.[LABEL_INGRESS_READY] !== undefined) return;
    n.metadata.labels = { ...n.metadata.labels, [LABEL_INGRESS_READY]: 'true' };
    try { await client.update({ resource: 'nodes' }, n); return; } catch (e) { if ((e as { code?: number }).code !== 409) throw e; }
  }
}

/** Creates the addon's missing objects and labels the first node; resolves when all exist. */
export async function installIngressAddon(client: Client, node: string, o: IngressAddonOptions): Promise<void> {
  await labelIngressReady(client, node);
  for (const { ref, obj } of ingressAddonObjects(o)) await ensure(client, ref, obj);
}
