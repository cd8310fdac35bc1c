/** The cluster DNS objects kubeadm installs: the kube-dns Service and the coredns Deployment, ConfigMap and ServiceAccount. */
import type { KObject } from '../../api/meta.js';
import { LABEL_HOSTNAME, LABEL_NODE_ROLE_CONTROL_PLANE, LABEL_OS } from '../../api/wellknown.js';
import { defaultCorefile } from '../../dataplane/dns/config/default.js';

/** The image of the cluster DNS pods. */
export const COREDNS_IMAGE = 'registry.k8s.io/coredns/coredns:v1.11.3';

const NS = 'kube-system';
const LABELS = { 'k8s-app': 'kube-dns' };

/** The kube-dns Service at the given ClusterIP. */
export function kubeDnsService(ip: string): KObject {
  return {
    apiVersion: 'v1', kind: 'Service',
    metadata: {
      name: 'kube-dns', namespace: NS,
      labels: { 'k8s-app': 'kube-dns', 'kubernetes.io/cluster-service': 'true', 'kubernetes.io/name': 'CoreDNS' },
      annotations: { 'prometheus.io/port': '9153', 'prometheus.io/scrape': 'true' },
    },
    spec: {
      clusterIP: ip,
      ports: [
        { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 },
        { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 },
        { name: 'metrics', port: 9153, protocol: 'TCP', targetPort: 9153 },
      ],
      selector: { ...LABELS },
    },
  };
}

/** The coredns ConfigMap holding the Corefile. */
export function corednsConfigMap(domain: string): KObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'coredns', namespace: NS }, data: { Corefile: defaultCorefile(domain) } };
}

/** The coredns ServiceAccount. */
export function corednsServiceAccount(): KObject {
  return { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'coredns', namespace: NS } };
}

/** The coredns Deployment as kubeadm writes it. */
export function corednsDeployment(replicas = 2, image = COREDNS_IMAGE): KObject {
  const port = (containerPort: number, name: string, protocol: string) => ({ containerPort, name, protocol });
  return {
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: { name: 'coredns', namespace: NS, labels: { ...LABELS } },
    spec: {
      replicas,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } },
      selector: { matchLabels: { ...LABELS } },
      template: {
        metadata: { labels: { ...LABELS } },
        spec: {
          priorityClassName: 'system-cluster-critical',
          serviceAccountName: 'coredns',
          affinity: {
            podAntiAffinity: {
              preferredDuringSchedulingIgnoredDuringExecution: [{
                weight: 100,
                podAffinityTerm: {
                  labelSelector: { matchExpressions: [{ key: 'k8s-app', operator: 'In', values: ['kube-dns'] }] },
                  topologyKey: LABEL_HOSTNAME,
                },
              }],
            },
          },
          tolerations: [
            { key: 'CriticalAddonsOnly', operator: 'Exists' },
            { key: LABEL_NODE_ROLE_CONTROL_PLANE, effect: 'NoSchedule' },
          ],
          nodeSelector: { [LABEL_OS]: 'linux' },
          containers: [{
            name: 'coredns', image, imagePullPolicy: 'IfNotPresent',
            resources: { limits: { memory: '170Mi' }, requests: { cpu: '100m', memory: '70Mi' } },
            args: ['-conf', '/etc/coredns/Corefile'],
            volumeMounts: [{ name: 'config-volume', mountPath: '/etc/coredns', readOnly: true }],
            ports: [
              port(53, 'dns', 'UDP'), port(53, 'dns-tcp', 'TCP'), port(9153, 'metrics', 'TCP'),
              port(8080, 'liveness-probe', 'TCP'), port(8181, 'readiness-probe', 'TCP'),
            ],
            livenessProbe: {
              httpGet: { path: '/health', port: 'liveness-probe', scheme: 'HTTP' },
              initialDelaySeconds: 60, timeoutSeconds: 5, successThreshold: 1, failureThreshold: 5,
            },
            readinessProbe: { httpGet: { path: '/ready', port: 'readiness-probe', scheme: 'HTTP' } },
            securityContext: {
              allowPrivilegeEscalation: false,
              capabilities: { add: ['NET_BIND_SERVICE'], drop: ['ALL'] },
              readOnlyRootFilesystem: true,
            },
          }],
          dnsPolicy: 'Default',
          volumes: [{ name: 'config-volume', configMap: { name: 'coredns', items: [{ key: 'Corefile', path: 'Corefile' }] } }],
        },
      },
    },
  };
}
