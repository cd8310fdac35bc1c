// Offline snapshots (`-f DIR_OR_FILE`): a folder of manifests becomes the objects a cluster would
// hold after `kubectl apply -f DIR -R`, with namespaces, a node, IPs and EndpointSlices synthesized
// deterministically, and bad input named by file and line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { loadFileSnapshot } from './files.js';
import { compileService } from '../dataplane/proxy/compile.js';
import { LABEL_SERVICE_NAME } from '../api/wellknown.js';

/** Writes `files` (relative path → text) under a fresh temp dir and returns it. */
function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'knet-files-'));
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, p)), { recursive: true });
    writeFileSync(join(dir, p), text);
  }
  return dir;
}

const WEB = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web, tier: front}}
    spec:
      containers:
      - name: web
        image: nginx
        ports: [{name: http, containerPort: 8080}]
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: http}, {name: admin, port: 9000}]
`;
const DB = `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, namespace: shop}
spec:
  serviceName: db
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec: {containers: [{name: pg, image: postgres, ports: [{containerPort: 5432}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: db, namespace: shop}
spec: {clusterIP: None, selector: {app: db}, ports: [{port: 5432}]}
`;
const POLICIES = JSON.stringify({
  apiVersion: 'v1', kind: 'List', items: [
    { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'deny' }, spec: { podSelector: {} } },
    { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'web-out', namespace: 'shop' },
      spec: { podSelector: { matchLabels: { app: 'web' } }, egress: [{ ports: [{ port: 5432 }] }] } },
  ],
});
const SHOP = `apiVersion: v1
kind: Namespace
metadata: {name: shop, labels: {team: a}}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web, namespace: shop}
spec: {defaultBackend: {service: {name: web, port: {number: 80}}}}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: c}
`;

const SHOP_FOLDER = { 'a-ns.yaml': SHOP, 'apps/web.yml': WEB, 'apps/db/db.yaml': DB, 'policies.json': POLICIES, 'README.md': '# not a manifest: [' };

test('a folder of manifests: namespaces, a pod per workload, IPs in order, node-1, ClusterIPs, defaulted policies', () => {
  const { snapshot: s, files, objects, ignored } = loadFileSnapshot(folder(SHOP_FOLDER));
  assert.equal(files, 4, 'README.md is not read');
  assert.equal(objects, 7, 'a Namespace, two workloads, two Services, two policies');
  assert.deepEqual([...ignored], [['networking.k8s.io/v1/Ingress', 1], ['v1/ConfigMap', 1]]);
  assert.deepEqual(s.namespaces.map((n) => [n.metadata.name, n.metadata.labels]), [
    ['default', { 'kubernetes.io/metadata.name': 'default' }],
    ['shop', { team: 'a', 'kubernetes.io/metadata.name': 'shop' }],
  ]);
  assert.deepEqual(s.pods.map((p) => [p.metadata.namespace, p.metadata.name, p.status?.podIP, p.spec?.nodeName, p.status?.phase]), [
    ['shop', 'db-0', '10.244.0.2', 'node-1', 'Running'],
    ['shop', 'web', '10.244.0.3', 'node-1', 'Running'],
  ]);
  assert.deepEqual(s.pods[1]!.metadata.labels, { app: 'web', tier: 'front' });
  assert.deepEqual(s.pods[1]!.spec?.containers.map((c) => c.ports), [[{ name: 'http', containerPort: 8080, protocol: 'TCP' }]]);
  assert.deepEqual(s.pods[0]!.metadata.labels, { app: 'db', 'statefulset.kubernetes.io/pod-name': 'db-0', 'apps.kubernetes.io/pod-index': '0' });
  assert.deepEqual([...s.workloads], [['shop/db-0', 'statefulset/db'], ['shop/web', 'deployment/web']]);
  assert.deepEqual(s.nodes.map((n) => [n.metadata.name, n.status?.addresses?.[0]]), [['node-1', { type: 'InternalIP', address: '172.18.0.2' }]]);
  assert.deepEqual(s.services.map((x) => [x.metadata.name, x.spec?.clusterIP, x.spec?.ports?.map((p) => [p.protocol, p.targetPort])]), [
    ['db', 'None', [['TCP', 5432]]],
    ['web', '10.96.0.2', [['TCP', 'http'], ['TCP', 9000]]],
  ]);
  assert.deepEqual(s.networkPolicies.map((p) => [p.metadata.namespace, p.metadata.name, p.spec?.policyTypes, p.spec?.egress?.[0]?.ports]), [
    ['default', 'deny', ['Ingress'], undefined],
    ['shop', 'web-out', ['Ingress', 'Egress'], [{ port: 5432, protocol: 'TCP' }]],
  ]);
});

test('EndpointSlices as the controller computes them: named targetPorts resolved on the pod, headless hostnames; the proxy compiles them', () => {
  const { snapshot: s } = loadFileSnapshot(folder(SHOP_FOLDER));
  const slicesOf = (svc: string) => s.endpointSlices.filter((x) => x.metadata.labels?.[LABEL_SERVICE_NAME] === svc);
  const [web] = slicesOf('web');
  assert.ok(web && slicesOf('web').length === 1);
  assert.match(web.metadata.name!, /^web-[0-9a-f]{5}$/);
  assert.deepEqual(web.ports, [{ name: 'http', protocol: 'TCP', port: 8080 }, { name: 'admin', protocol: 'TCP', port: 9000 }]);
  assert.deepEqual(web.endpoints.map((e) => [e.addresses, e.conditions?.ready, e.targetRef?.name, e.nodeName]), [[['10.244.0.3'], true, 'web', 'node-1']]);
  assert.deepEqual(slicesOf('db')[0]?.endpoints.map((e) => [e.addresses, e.hostname]), [[['10.244.0.2'], 'db-0']]);
  const svc = s.services.find((x) => x.metadata.name === 'web')!;
  const compiled = compileService(svc, slicesOf('web'));
  assert.deepEqual(compiled.map((p) => [p.port, p.clusterIPs, p.ready.map((e) => e.addr)]), [[80, ['10.96.0.2'], ['10.244.0.3:8080']], [9000, ['10.96.0.2'], ['10.244.0.3:9000']]]);
});

test('the same folder gives the same snapshot; a single file works; given IPs are kept and never handed out again', () => {
  const dir = folder(SHOP_FOLDER);
  const a = loadFileSnapshot(dir).snapshot, b = loadFileSnapshot(dir).snapshot;
  assert.deepEqual(b, a);
  const one = folder({ 'x.yaml': `apiVersion: v1
kind: Pod
metadata: {name: fixed, labels: {app: web}}
spec: {containers: [{name: c, image: nginx}]}
status: {podIP: 10.244.0.2}
---
apiVersion: v1
kind: Pod
metadata: {name: free, labels: {app: web}}
spec: {containers: [{name: c, image: nginx}]}
---
apiVersion: v1
kind: Service
metadata: {name: a}
spec: {clusterIP: 10.96.0.2, selector: {app: web}, ports: [{port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: b}
spec: {type: NodePort, selector: {app: web}, ports: [{port: 80}]}
` });
  const s = loadFileSnapshot(join(one, 'x.yaml')).snapshot;
  assert.deepEqual(s.pods.map((p) => [p.metadata.name, p.status?.podIP]), [['fixed', '10.244.0.2'], ['free', '10.244.0.3']]);
  assert.deepEqual(s.services.map((x) => [x.metadata.name, x.spec?.clusterIP, x.spec?.ports?.[0]?.nodePort]), [['a', '10.96.0.2', undefined], ['b', '10.96.0.3', 30000]]);
  assert.equal(s.workloads.size, 0, 'bare pods stand for no workload');
});

test('workloads: Jobs get the job-name labels, scaled-to-zero workloads have no pod, a taken name is told apart by kind', () => {
  const tpl = (labels: string) => `template: {metadata: {labels: ${labels}}, spec: {containers: [{name: c, image: busybox}], restartPolicy: Never}}`;
  const s = loadFileSnapshot(folder({ 'w.yaml': [
    `apiVersion: batch/v1\nkind: Job\nmetadata: {name: migrate}\nspec: {${tpl('{app: m}')}}`,
    `apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: nightly}\nspec: {schedule: "0 0 * * *", jobTemplate: {spec: {${tpl('{app: n}')}}}}`,
    `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: idle}\nspec: {replicas: 0, selector: {matchLabels: {app: i}}, ${tpl('{app: i}')}}`,
    `apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: agent}\nspec: {selector: {matchLabels: {app: a}}, ${tpl('{app: a}')}}`,
    `apiVersion: v1\nkind: Pod\nmetadata: {name: agent}\nspec: {containers: [{name: c, image: busybox}]}`,
  ].join('\n---\n') })).snapshot;
  assert.deepEqual(s.pods.map((p) => p.metadata.name), ['agent', 'agent-daemonset', 'migrate', 'nightly']);
  assert.deepEqual(s.pods.find((p) => p.metadata.name === 'migrate')?.metadata.labels, { app: 'm', 'batch.kubernetes.io/job-name': 'migrate', 'job-name': 'migrate' });
  assert.deepEqual([...s.workloads], [['default/agent-daemonset', 'daemonset/agent'], ['default/migrate', 'job/migrate'], ['default/nightly', 'cronjob/nightly']]);
});

test('selector: {} is stored as no selector (omitempty; kubernetes#25836): no EndpointSlices, no pods selected', () => {
  const s = loadFileSnapshot(folder({ 'x.yaml': `apiVersion: v1
kind: Pod
metadata: {name: p, labels: {app: web}}
spec: {containers: [{name: c, image: nginx, ports: [{containerPort: 80}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: all}
spec: {selector: {}, ports: [{port: 80}]}
` })).snapshot;
  assert.equal(s.services[0]!.spec?.selector, undefined);
  assert.deepEqual(s.endpointSlices, []);
});

test('broken YAML names the file, line and column', () => {
  const dir = folder({ 'ok.yaml': SHOP, 'deploy/web.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n   labels: {a: b}\n' });
  assert.throws(() => loadFileSnapshot(dir), (e: Error) => {
    assert.equal(e.message, `${join(dir, 'deploy/web.yaml')}:4:9: Nested mappings are not allowed in compact mappings`);
    return true;
  });
  const flow = folder({ 'p.yaml': 'kind: Pod\napiVersion: v1\nmetadata: {name: [a}\n' });
  assert.throws(() => loadFileSnapshot(flow), { message: new RegExp(`^${join(flow, 'p.yaml')}:3:\\d+: Flow sequence`) });
});

test('an invalid NetworkPolicy is refused with the file, its line, and Kubernetes field paths and messages', () => {
  const np = (name: string, spec: string) => `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: ${name}}\nspec: ${spec}\n`;
  const dir = folder({ 'p.yaml': np('ok', '{podSelector: {}}') + '---\n' + np('bad', '{ingress: [{from: [{}]}]}') });
  assert.throws(() => loadFileSnapshot(dir), {
    message: `${join(dir, 'p.yaml')}:6:1: The NetworkPolicy "bad" is invalid: spec.ingress[0].from[0]: Required value: must specify a peer`,
  });
  const two = folder({ 'p.yaml': np('two', '{egress: [{ports: [{port: http, endPort: 90}], to: [{ipBlock: {cidr: 10.0.0.0/24, except: [10.1.0.0/28]}}]}]}') });
  assert.throws(() => loadFileSnapshot(two), {
    message: `${join(two, 'p.yaml')}:1:1: The NetworkPolicy "two" is invalid: \n`
      + '* spec.egress[0].ports[0].endPort: Invalid value: 90: may not be specified when `port` is non-numeric\n'
      + '* spec.egress[0].to[0].ipBlock.except[0]: Invalid value: "10.1.0.0/28": must be a strict subset of `cidr`',
  });
});

test('other bad input: List items are located, type errors, missing kind, missing path, no objects', () => {
  const list = folder({ 'l.yaml': 'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Service\n  metadata: {name: s}\n- apiVersion: v1\n  metadata: {name: t}\n' });
  assert.throws(() => loadFileSnapshot(list), { message: `${join(list, 'l.yaml')}:7:3: kind not set` });
  const typed = folder({ 's.yaml': 'apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {ports: [{port: eighty}]}\n' });
  assert.throws(() => loadFileSnapshot(typed), { message: `${join(typed, 's.yaml')}:1:1: Service in version "v1" cannot be handled as a Service: json: cannot unmarshal string into Go struct field ServicePort.spec.ports.port of type int32` });
  assert.throws(() => loadFileSnapshot('/nonexistent/knet'), { message: 'the path "/nonexistent/knet" does not exist' });
  const empty = folder({ 'notes.txt': 'hello', 'empty.yaml': '# nothing\n' });
  assert.throws(() => loadFileSnapshot(empty), { message: `no objects found in ${empty} (manifest files end in .yaml, .yml or .json)` });
  const old = folder({ 'd.yaml': SHOP + '---\napiVersion: extensions/v1beta1\nkind: NetworkPolicy\nmetadata: {name: old}\nspec: {podSelector: {}}\n' });
  assert.throws(() => loadFileSnapshot(old), { message: `${join(old, 'd.yaml')}:14:1: no matches for kind "NetworkPolicy" in version "extensions/v1beta1" (use networking.k8s.io/v1)` });
  const badName = folder({ 'n.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: {name: Bad_Name}\n' });
  assert.throws(() => loadFileSnapshot(badName), { message: /n\.yaml:1:1: The Namespace "Bad_Name" is invalid: metadata\.name: Invalid value: "Bad_Name": / });
});
