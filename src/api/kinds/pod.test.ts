import { test } from 'node:test';
import assert from 'node:assert/strict';
import { podDef, defaultPod, type Pod } from './pod.js';
import { defaultPodSpec, imageTag } from './pod-defaults.js';
import { validatePodTemplateSpec } from './pod-validation.js';
import { podQOSClass } from './pod-qos.js';
import { formatFieldError } from '../errors.js';

const runPod = (): Pod => ({
  apiVersion: 'v1', kind: 'Pod',
  metadata: { name: 'nginx', namespace: 'default', labels: { run: 'nginx' } },
  spec: { containers: [{ name: 'nginx', image: 'nginx', resources: {} }], dnsPolicy: 'ClusterFirst', restartPolicy: 'Always' },
});

test('a kubectl run pod gets the defaults a real cluster shows', () => {
  const pod = runPod();
  podDef.prepareForCreate!(pod);
  const spec = pod.spec!;
  const vol = spec.volumes![0]!.name;
  assert.match(vol, /^kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  assert.deepEqual(spec, {
    containers: [{
      name: 'nginx', image: 'nginx', imagePullPolicy: 'Always', resources: {},
      terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File',
      volumeMounts: [{ mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', name: vol, readOnly: true }],
    }],
    dnsPolicy: 'ClusterFirst', enableServiceLinks: true, preemptionPolicy: 'PreemptLowerPriority', priority: 0,
    restartPolicy: 'Always', schedulerName: 'default-scheduler', securityContext: {},
    serviceAccount: 'default', serviceAccountName: 'default', terminationGracePeriodSeconds: 30,
    tolerations: [
      { effect: 'NoExecute', key: 'node.kubernetes.io/not-ready', operator: 'Exists', tolerationSeconds: 300 },
      { effect: 'NoExecute', key: 'node.kubernetes.io/unreachable', operator: 'Exists', tolerationSeconds: 300 },
    ],
    volumes: [{
      name: vol, projected: {
        defaultMode: 420, sources: [
          { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
          { configMap: { items: [{ key: 'ca.crt', path: 'ca.crt' }], name: 'kube-root-ca.crt' } },
          { downwardAPI: { items: [{ fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' }, path: 'namespace' }] } },
        ],
      },
    }],
  });
  assert.deepEqual(pod.status, { phase: 'Pending', qosClass: 'BestEffort' });
  assert.equal(pod.metadata.generation, 1);
  assert.deepEqual(podDef.validate!(pod, { operation: 'create' }), []);
});

test('container, port, probe and volume defaults', () => {
  const spec = defaultPodSpec({
    containers: [{
      name: 'web', image: 'nginx:1.27', ports: [{ containerPort: 80 }],
      readinessProbe: { httpGet: { port: 80 } }, livenessProbe: { tcpSocket: { port: 'http' }, periodSeconds: 5 },
      env: [{ name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
    }],
    volumes: [{ name: 'a' }, { name: 'b', configMap: { name: 'cm' } }, { name: 'c', hostPath: { path: '/x' } }],
  });
  const c = spec.containers[0]!;
  assert.equal(c.imagePullPolicy, 'IfNotPresent');
  assert.deepEqual(c.ports, [{ containerPort: 80, protocol: 'TCP' }]);
  assert.deepEqual(c.readinessProbe, { httpGet: { port: 80, path: '/', scheme: 'HTTP' }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 });
  assert.equal(c.livenessProbe!.periodSeconds, 5);
  assert.equal(c.env![0]!.valueFrom!.fieldRef!.apiVersion, 'v1');
  assert.deepEqual(spec.volumes, [{ name: 'a', emptyDir: {} }, { name: 'b', configMap: { name: 'cm', defaultMode: 420 } }, { name: 'c', hostPath: { path: '/x', type: '' } }]);
  assert.equal(spec.enableServiceLinks, undefined, 'templates do not get enableServiceLinks');
});

test('image tags decide the pull policy', () => {
  assert.equal(imageTag('nginx'), 'latest');
  assert.equal(imageTag('nginx:latest'), 'latest');
  assert.equal(imageTag('localhost:5000/app'), 'latest');
  assert.equal(imageTag('registry.k8s.io/pause:3.10'), '3.10');
  assert.equal(imageTag('busybox@sha256:' + 'a'.repeat(64)), '');
  assert.equal(imageTag('Nginx'), undefined);
});

test('validation messages and paths match Kubernetes', () => {
  const pod: Pod = { metadata: { name: 'p' }, spec: { containers: [{ name: 'a', image: '' }, { name: 'a', image: 'x', ports: [{ containerPort: 70000, protocol: 'tcp' }] }] } };
  defaultPod(pod);
  const msgs = podDef.validate!(pod, { operation: 'create' }).map(formatFieldError);
  assert.deepEqual(msgs, [
    'spec.containers[0].image: Required value',
    'spec.containers[1].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
    'spec.containers[1].ports[0].protocol: Unsupported value: "tcp": supported values: "SCTP", "TCP", "UDP"',
    'spec.containers[1].name: Duplicate value: "a"',
  ]);
  const bad: Pod = { metadata: {}, spec: { containers: [], restartPolicy: 'Sometimes', dnsPolicy: 'ClusterFirst', terminationGracePeriodSeconds: 30 } };
  assert.deepEqual(podDef.validate!(bad, { operation: 'create' }).map(formatFieldError), [
    'spec.containers: Required value',
    'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
  ]);
});

test('mounts, env names, probes and volume names', () => {
  const pod: Pod = {
    metadata: {}, spec: {
      volumes: [{ name: 'data', emptyDir: {} }, { name: 'data', emptyDir: {} }],
      containers: [{
        name: 'Web', image: 'x', volumeMounts: [{ name: 'missing', mountPath: '/d' }],
        env: [{ name: 'A=B', value: '1' }], livenessProbe: { exec: { command: ['true'] }, tcpSocket: { port: 80 } },
      }],
    },
  };
  defaultPod(pod);
  assert.deepEqual(podDef.validate!(pod, { operation: 'create' }).map(formatFieldError), [
    'spec.volumes[1].name: Duplicate value: "data"',
    "spec.containers[0].name: Invalid value: \"Web\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
    'spec.containers[0].volumeMounts[0].name: Not found: "missing"',
    "spec.containers[0].env[0].name: Invalid value: \"A=B\": a valid environment variable name must consist only of printable ASCII characters other than '='",
    'spec.containers[0].livenessProbe.tcpSocket: Forbidden: may not specify more than 1 handler type',
  ]);
});

test('template validation uses the template path', () => {
  const t = { metadata: { labels: { app: 'web' } }, spec: defaultPodSpec({ containers: [{ name: 'web' }] }) };
  assert.deepEqual(validatePodTemplateSpec(t, 'spec.template').map(formatFieldError), ['spec.template.spec.containers[0].image: Required value']);
});

test('pod updates may only change images and a few fields', () => {
  const old = runPod();
  podDef.prepareForCreate!(old);
  const img = structuredClone(old);
  img.spec!.containers[0]!.image = 'nginx:1.27';
  assert.deepEqual(podDef.validateUpdate!(img, old), []);
  const env = structuredClone(old);
  env.spec!.containers[0]!.env = [{ name: 'A', value: '1' }];
  const errs = podDef.validateUpdate!(env, old);
  assert.equal(errs.length, 1);
  assert.equal(errs[0]!.field, 'spec');
  assert.ok(formatFieldError(errs[0]!).startsWith('spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)\n'));
  const more = structuredClone(old);
  more.spec!.containers.push({ name: 'b', image: 'b' });
  assert.deepEqual(podDef.validateUpdate!(more, old).map(formatFieldError), ['spec.containers: Forbidden: pod updates may not add or remove containers']);
});

test('QoS classes', () => {
  const c = (resources: object) => ({ containers: [{ name: 'a', resources }] });
  assert.equal(podQOSClass(c({})), 'BestEffort');
  assert.equal(podQOSClass(c({ requests: { cpu: '100m' } })), 'Burstable');
  assert.equal(podQOSClass(c({ limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '1000m', memory: '1024Mi' } })), 'Guaranteed');
  const pod: Pod = { metadata: {}, spec: c({ limits: { cpu: '1', memory: '1Gi' } }) };
  podDef.prepareForCreate!(pod);
  assert.equal(pod.status!.qosClass, 'Guaranteed');
});

test('field selectors and grace periods', () => {
  const pod = runPod();
  podDef.prepareForCreate!(pod);
  assert.equal(podDef.fieldSelectors!['spec.hostNetwork']!(pod), 'false');
  assert.equal(podDef.fieldSelectors!['status.phase']!(pod), 'Pending');
  assert.equal(podDef.deletionGracePeriod!(pod, undefined), 0);
  pod.spec!.nodeName = 'n1';
  assert.equal(podDef.deletionGracePeriod!(pod, undefined), 30);
  assert.equal(podDef.deletionGracePeriod!(pod, 5), 5);
});
