// End-to-end: the API side of Ingress (issue 8) with the real kubectl: the DefaultIngressClass
// admission plugin, the class annotation/field mismatch refused on create, the deprecated-annotation
// warning, `kubectl get ingress` / `get ingressclass` columns and `kubectl describe ingress`, which
// kubectl builds client-side from the Ingress, its backends' Services and EndpointSlices, and events.
// The IngressClasses here name a controller nobody runs, so no controller touches these Ingresses.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Knet, squash, until } from './harness.js';

const CONTROLLER = 'example.com/ingress-api-test';
const backend = (name: string, port: number) => ({ service: { name, port: { number: port } } });
const prefix = (path: string, svc: string, port = 80) => ({ path, pathType: 'Prefix', backend: backend(svc, port) });

describe('ingress: API server side', () => {
  const knet = new Knet();
  const k = (args: string[], input?: unknown) => knet.kubectl(args, input === undefined ? {} : { input: JSON.stringify(input) });
  const ok = async (args: string[], input?: unknown): Promise<string> => {
    const r = await k(args, input);
    assert.equal(r.code, 0, `kubectl ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  const ingress = (name: string, spec: object, annotations?: Record<string, string>) => ({
    apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name, ...(annotations ? { annotations } : {}) }, spec,
  });
  const ingressClass = (name: string, isDefault: boolean) => ({
    apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass',
    metadata: { name, ...(isDefault ? { annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' } } : {}) },
    spec: { controller: CONTROLLER },
  });
  const classOf = (name: string) => ok(['get', 'ingress', name, '-o', 'jsonpath={.spec.ingressClassName}']);

  before(async () => { await knet.start(); });
  after(async () => { await knet.cleanup(); });

  it('DefaultIngressClass: a class-less Ingress gets the default class on create, never on update', async () => {
    // Whatever the cluster marked default at start (an ingress addon's class) stops being default.
    await ok(['annotate', 'ingressclass', '--all', 'ingressclass.kubernetes.io/is-default-class-']);
    await ok(['create', '-f', '-'], ingressClass('plain', false));
    await ok(['create', '-f', '-'], ingress('before-default', { defaultBackend: backend('web', 80) }));
    assert.equal(await classOf('before-default'), '', 'no class is marked default yet');
    // "a-default" sorts before any other default class created in the same second (the addon's "nginx").
    await ok(['create', '-f', '-'], ingressClass('a-default', true));
    await ok(['create', '-f', '-'], ingress('class-less', { defaultBackend: backend('web', 80) }));
    assert.equal(await classOf('class-less'), 'a-default');
    const dry = await ok(['create', '--dry-run=server', '-o', 'jsonpath={.spec.ingressClassName}', '-f', '-'], ingress('dry', { defaultBackend: backend('web', 80) }));
    assert.equal(dry, 'a-default', 'a dry-run create is admitted the same way');
    await ok(['apply', '--server-side', '-f', '-'], ingress('applied', { defaultBackend: backend('web', 80) }));
    assert.equal(await classOf('applied'), 'a-default', 'a server-side apply create too');
    await ok(['create', '-f', '-'], ingress('explicit', { ingressClassName: 'plain', defaultBackend: backend('web', 80) }));
    assert.equal(await classOf('explicit'), 'plain');
    await ok(['label', 'ingress', 'before-default', 'touched=yes']);
    assert.equal(await classOf('before-default'), '', 'updates are not defaulted');
  });

  it('the class annotation: deprecated (warned on create), honoured alone, refused when it differs from the field', async () => {
    const warning = 'Warning: annotation "kubernetes.io/ingress.class" is deprecated, please use \'spec.ingressClassName\' instead';
    const created = await k(['create', '-f', '-'], ingress('annotated', { defaultBackend: backend('web', 80) }, { 'kubernetes.io/ingress.class': 'other' }));
    assert.equal(created.code, 0, created.stderr);
    assert.equal(created.stderr.trim(), warning);
    assert.equal(await classOf('annotated'), '', 'the annotation key alone keeps the default class away');
    const applied = await k(['apply', '--server-side', '-f', '-'], ingress('annotated-ssa', { defaultBackend: backend('web', 80) }, { 'kubernetes.io/ingress.class': 'other' }));
    assert.equal(applied.stderr.trim(), warning);
    // pkg/registry/networking/ingress/strategy.go: no warning on update, none when the field is set too.
    const labelled = await k(['label', 'ingress', 'annotated', 'x=y']);
    assert.equal(labelled.stderr, '');
    const both = await k(['create', '-f', '-'], ingress('both', { ingressClassName: 'plain', defaultBackend: backend('web', 80) }, { 'kubernetes.io/ingress.class': 'plain' }));
    assert.equal(both.code, 0, both.stderr);
    assert.equal(both.stderr, '');
    const bad = await k(['create', '-f', '-'], ingress('mismatch', { ingressClassName: 'plain', defaultBackend: backend('web', 80) }, { 'kubernetes.io/ingress.class': 'traefik' }));
    assert.notEqual(bad.code, 0);
    assert.equal(bad.stderr.replace(/^Warning: .*\n/m, '').trim(),
      'The Ingress "mismatch" is invalid: annotations.kubernetes.io/ingress.class: Invalid value: "traefik": must match `ingressClassName` when both are specified');
    // ValidateIngressCreate only: an update may make them differ.
    await ok(['annotate', 'ingress', 'both', '--overwrite', 'kubernetes.io/ingress.class=traefik']);
  });

  it('kubectl get ingress / ingressclass print the upstream columns', async () => {
    await ok(['create', '-f', '-'], ingress('hosts', {
      ingressClassName: 'plain',
      tls: [{ hosts: ['a.localhost'], secretName: 'tls' }],
      rules: ['a.localhost', 'b.localhost', '', 'c.localhost', 'd.localhost'].map((host) => ({ ...(host ? { host } : {}), http: { paths: [prefix('/', 'web')] } })),
    }));
    await ok(['patch', 'ingress', 'hosts', '--subresource=status', '--type=merge', '-p',
      JSON.stringify({ status: { loadBalancer: { ingress: [{ ip: '127.0.0.2' }, { hostname: 'lb.localhost' }, { ip: '127.0.0.1' }, { ip: '127.0.0.2' }] } } })]);
    const rows = squash(await ok(['get', 'ingress', 'hosts', 'class-less'])).split('\n').map((l) => l.replace(/ \d+s$/, ' <age>'));
    assert.deepEqual(rows, [
      'NAME CLASS HOSTS ADDRESS PORTS AGE',
      'hosts plain a.localhost,b.localhost,c.localhost + 2 more... 127.0.0.1,127.0.0.2,lb.localhost 80, 443 <age>',
      'class-less a-default * 80 <age>',
    ]);
    const annotated = squash(await ok(['get', 'ingress', 'annotated', '--no-headers'])).replace(/ \d+s$/, '');
    assert.equal(annotated, 'annotated <none> * 80', 'CLASS shows the field only, never the annotation');
    const bad = await k(['patch', 'ingress', 'hosts', '--subresource=status', '--type=merge', '-p', JSON.stringify({ status: { loadBalancer: { ingress: [{ hostname: '10.0.0.1' }] } } })]);
    assert.match(bad.stderr, /status\.loadBalancer\.ingress\[0\]\.hostname: Invalid value: "10\.0\.0\.1": must be a DNS name, not an IP address/);
    await ok(['create', '-f', '-'], { ...ingressClass('with-params', false), spec: { controller: CONTROLLER, parameters: { apiGroup: 'k8s.example.com', kind: 'IngressParameters', name: 'lb' } } });
    const classes = squash(await ok(['get', 'ingressclass', 'a-default', 'with-params'])).split('\n').map((l) => l.replace(/ \d+s$/, ' <age>'));
    assert.deepEqual(classes, [
      'NAME CONTROLLER PARAMETERS AGE',
      `a-default ${CONTROLLER} <none> <age>`,
      `with-params ${CONTROLLER} IngressParameters.k8s.example.com/lb <age>`,
    ]);
  });

  it('kubectl describe ingress: backends with their ready endpoints, missing Services, events', async () => {
    await ok(['create', 'deployment', 'web', '--image=nginx', '--replicas=2']);
    await ok(['expose', 'deployment', 'web', '--port=80']);
    await ok(['create', 'service', 'clusterip', 'idle', '--tcp=80:8080']); // selects app=idle: no pods
    await ok(['create', '-f', '-'], { apiVersion: 'v1', kind: 'Service', metadata: { name: 'manual' }, spec: { ports: [{ port: 80 }] } }); // no selector: no slices
    await ok(['rollout', 'status', 'deployment/web', '--timeout=60s']);
    const podIPs = (await ok(['get', 'pods', '-l', 'app=web', '-o', 'jsonpath={.items[*].status.podIP}'])).split(' ').sort();
    assert.equal(podIPs.length, 2);
    // The endpoints as the EndpointSlice lists them (kubectl keeps the slice's order).
    const sliceIPs = await until('both pods ready in the EndpointSlice', async () => {
      const out = await ok(['get', 'endpointslices', '-l', 'kubernetes.io/service-name=web', '-o',
        'jsonpath={range .items[*].endpoints[?(@.conditions.ready==true)]}{.addresses[0]} {end}']);
      const ips = out.trim().split(' ').filter(Boolean);
      return ips.length === 2 ? ips : undefined;
    });
    assert.deepEqual([...sliceIPs].sort(), podIPs);
    await until('the idle Service has its (empty) EndpointSlice', async () =>
      (await ok(['get', 'endpointslices', '-l', 'kubernetes.io/service-name=idle', '-o', 'name'])).trim() || undefined);
    await ok(['create', '-f', '-'], ingress('web', {
      ingressClassName: 'plain',
      defaultBackend: backend('web', 80),
      tls: [{ hosts: ['web.localhost'], secretName: 'web-tls' }, { hosts: ['sni.localhost', 'x.localhost'] }],
      rules: [
        { host: 'web.localhost', http: { paths: [prefix('/', 'web'), prefix('/idle', 'idle'), prefix('/manual', 'manual')] } },
        { http: { paths: [prefix('/x', 'missing')] } },
      ],
    }, { 'nginx.ingress.kubernetes.io/rewrite-target': '/' }));
    await ok(['patch', 'ingress', 'web', '--subresource=status', '--type=merge', '-p', JSON.stringify({ status: { loadBalancer: { ingress: [{ ip: '127.0.0.1' }] } } })]);
    const uid = await ok(['get', 'ingress', 'web', '-o', 'jsonpath={.metadata.uid}']);
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    await ok(['create', '-f', '-'], {
      apiVersion: 'v1', kind: 'Event', metadata: { name: 'web.sync' },
      involvedObject: { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', name: 'web', namespace: 'default', uid },
      reason: 'Sync', message: 'Scheduled for sync', type: 'Normal', source: { component: 'nginx-ingress-controller' },
      count: 1, firstTimestamp: now, lastTimestamp: now,
    });
    const eps = sliceIPs.map((ip) => `${ip}:80`).join(',');
    const out = (await ok(['describe', 'ingress', 'web'])).replace(/^( {2}Normal {2}Sync {4})\d+s +/m, '$1<age>  ');
    // Go text/tabwriter (padding 2): the header block aligns on "Default backend:"; the Rules block
    // and Annotations share columns; a trailing empty cell still pads its column.
    assert.equal(out, [
      'Name:             web',
      'Labels:           <none>',
      'Namespace:        default',
      'Address:          127.0.0.1',
      'Ingress Class:    plain',
      `Default backend:  web:80 (${eps})`,
      'TLS:',
      '  web-tls terminates web.localhost',
      '  SNI routes sni.localhost,x.localhost',
      'Rules:',
      '  Host           Path  Backends',
      '  ----           ----  --------',
      '  web.localhost  ',
      `                 /         web:80 (${eps})`,
      '                 /idle     idle:80 ()',
      '                 /manual   manual:80 (<none>)',
      '  *              ',
      '                 /x   missing:80 (<error: services "missing" not found>)',
      'Annotations:     nginx.ingress.kubernetes.io/rewrite-target: /',
      'Events:',
      '  Type    Reason  Age   From                      Message',
      '  ----    ------  ----  ----                      -------',
      '  Normal  Sync    <age>  nginx-ingress-controller  Scheduled for sync',
      '',
    ].join('\n'));
    const plain = await ok(['describe', 'ingress', 'class-less']);
    assert.match(plain, /^Ingress Class:\s+a-default$/m);
    assert.match(plain, /^Default backend:\s+web:80 \(/m);
    assert.match(plain, /^ {2}\*\s+\*\s+web:80 \(/m, 'an Ingress without HTTP rules prints one "* *" row with the default backend');
    assert.match(plain, /^Events:\s+<none>$/m);
  });
});
