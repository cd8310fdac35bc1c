import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createNetwork } from '../../net/network.js';
import type { IngressAttachment, IngressReplica, IngressService } from '../../dataplane/ingress/service.js';
import type { IngressRoutes } from '../../dataplane/ingress/routes.js';
import { tableOf } from '../../dataplane/ingress/testkit.js';
import { createFakeCertificate } from '../../dataplane/ingress/certs.js';
import { ImageRegistry } from '../registry.js';
import { curl, rawTcp, run, until } from '../util/testkit.js';
import { ingressNginxImage, banner } from './index.js';
import { parseControllerFlags } from './flags.js';
import { decide } from './admission.js';
import type { Review } from '../util/admission.js';
import { klogHeader, Klog } from './klog.js';
import { PassThrough } from 'node:stream';

const IMAGE = 'registry.k8s.io/ingress-nginx/controller:v1.15.1@sha256:0000000000000000000000000000000000000000000000000000000000000000';
const ARGS = ['/nginx-ingress-controller', '--election-id=ingress-nginx-leader', '--controller-class=k8s.io/ingress-nginx', '--ingress-class=nginx',
  '--configmap=ingress-nginx/ingress-nginx-controller', '--validating-webhook=:8443', '--validating-webhook-certificate=/usr/local/certificates/cert',
  '--validating-webhook-key=/usr/local/certificates/key', '--watch-ingress-without-class=true', '--publish-service=ingress-nginx/ingress-nginx-controller'];

/** An ingress service that records attachments and hands out a routes object that never changes. */
function fakeService() {
  const fake = createFakeCertificate();
  const attached: IngressReplica[] = [];
  let released = 0;
  const empty = tableOf([]);
  const routes: IngressRoutes = { current: () => empty, subscribe: () => () => undefined, served: () => [], synced: async () => undefined, stop: () => undefined,
    check: (i) => (i.metadata.name === 'dup' ? 'host "_" and path "/" is already defined in ingress default/first' : undefined) };
  const service: IngressService = {
    attach: (r): IngressAttachment => { attached.push(r); return { routes, isLeader: () => true, podEvent: () => undefined, release: () => { released++; } }; },
    fakeCertificate: () => fake,
  };
  return { service, attached, released: () => released };
}

test('the image answers to registry.k8s.io/ingress-nginx/controller with any tag or digest', () => {
  const images = new ImageRegistry();
  for (const ref of [IMAGE, 'registry.k8s.io/ingress-nginx/controller:v1.9.4', 'registry.k8s.io/ingress-nginx/controller@sha256:abc']) {
    assert.deepEqual(images.resolve(ref)?.entrypoint, ['/usr/bin/dumb-init', '--']);
  }
  assert.deepEqual(ingressNginxImage.cmd, ['/nginx-ingress-controller']);
});

test('flags: upstream defaults, the deploy.yaml set, klog flags; unknown flags and bad names fail', () => {
  const d = parseControllerFlags([]);
  assert.ok(d.ok);
  assert.equal(d.flags.controllerClass, 'k8s.io/ingress-nginx');
  assert.equal(d.flags.ingressClass, 'nginx');
  assert.equal(d.flags.watchWithoutClass, false);
  assert.equal(d.flags.electionId, 'ingress-controller-leader');
  assert.deepEqual([d.flags.httpPort, d.flags.httpsPort, d.flags.healthzPort], [80, 443, 10254]);
  const f = parseControllerFlags([...ARGS.slice(1), '--v=2', '--http-port', '8080', '--enable-metrics=false', '--publish-status-address=localhost']);
  assert.ok(f.ok);
  assert.equal(f.flags.watchWithoutClass, true);
  assert.equal(f.flags.publishService, 'ingress-nginx/ingress-nginx-controller');
  assert.equal(f.flags.publishStatusAddress, 'localhost');
  assert.equal(f.flags.configMap, 'ingress-nginx/ingress-nginx-controller');
  assert.equal(f.flags.httpPort, 8080);
  assert.deepEqual(parseControllerFlags(['--no-such-flag']), { ok: false, pflag: true, error: 'unknown flag: --no-such-flag' });
  const bad = parseControllerFlags(['--configmap=nonamespace']);
  assert.ok(!bad.ok && !bad.pflag && bad.error.includes("invalid format (namespace/name) found in 'nonamespace'"));
});

test('klog lines: header with microseconds and pid 7, quoted message and values, bare Go renderings', () => {
  const d = new Date(Date.UTC(2026, 11, 7, 2, 12, 18, 123));
  assert.equal(klogHeader('I', 'main.go:205', d), 'I1207 02:12:18.123000       7 main.go:205]');
  const out = new PassThrough();
  let s = '';
  out.on('data', (b: Buffer) => (s += b.toString()));
  new Klog(out, () => d).info('I', 'status.go:300', 'updating Ingress status', { namespace: 'default', newValue: '[{IP:1.2.3.4 Hostname: Ports:[]}]' });
  assert.equal(s, 'I1207 02:12:18.123000       7 status.go:300] "updating Ingress status" namespace="default" newValue=[{IP:1.2.3.4 Hostname: Ports:[]}]\n');
});

test('an unknown flag prints the error and usage and exits 2, as pflag does', async () => {
  const net = createNetwork().addStack(['10.244.0.9'], { kind: 'pod', name: 'c' });
  const p = run(ingressNginxImage, ['/nginx-ingress-controller', '--bogus'], net, { pod: { image: IMAGE }, cluster: { ingress: fakeService().service } });
  assert.equal(await p.done, 2);
  assert.match(p.err(), /^unknown flag: --bogus\nUsage of :\n/);
  assert.ok(p.out().startsWith(banner(IMAGE)));
});

test('the controller starts like ingress-nginx, attaches with its flags, serves its ports and /healthz, and exits 143 on SIGTERM', async () => {
  const network = createNetwork();
  const pod = network.addStack(['10.244.0.9'], { kind: 'pod', namespace: 'ingress-nginx', name: 'ingress-nginx-controller-abc' });
  const client = network.addStack(['10.244.0.10'], { kind: 'pod', name: 'client' });
  const fake = fakeService();
  const p = run(ingressNginxImage, ['/usr/bin/dumb-init', '--', ...ARGS], pod, { pod: { image: IMAGE, namespace: 'ingress-nginx', name: 'ingress-nginx-controller-abc' }, cluster: { ingress: fake.service } });
  await until(() => p.err().includes('Backend successfully reloaded'));
  assert.equal(p.out().split('\n').slice(0, 9).join('\n'), [
    '-'.repeat(79), 'NGINX Ingress controller', '  Release:       v1.15.1', '  Build:         knet',
    '  Repository:    https://github.com/kubernetes/ingress-nginx', '  nginx version: nginx/1.27.1', '', '-'.repeat(79), ''].join('\n'));
  const msgs = p.err().split('\n').filter(Boolean).map((l) => {
    assert.match(l, /^I\d{4} \d\d:\d\d:\d\d\.\d{6} {7}7 [a-z_]+\.go:\d+\] /);
    return l.replace(/^.*?\] /, '');
  });
  assert.deepEqual(msgs.slice(0, 4).map((m) => m.split(' ')[0]), ['"Creating', '"Running', '"SSL', '"Starting']);
  assert.ok(msgs[0]!.includes('host="https://10.96.0.1:443"'));
  assert.ok(msgs[1]!.includes('major="1" minor="32"'));
  assert.ok(msgs.includes('"Starting NGINX process"'));
  assert.equal(fake.attached.length, 1);
  const r = fake.attached[0]!;
  assert.deepEqual(r.pod, { namespace: 'ingress-nginx', name: 'ingress-nginx-controller-abc' });
  assert.equal(r.config.publishService, 'ingress-nginx/ingress-nginx-controller');
  assert.equal(r.config.watchWithoutClass, true);
  assert.equal(r.config.electionId, 'ingress-nginx-leader');
  assert.match(await curl(client, '10.244.0.9', 10254, '/healthz'), /^HTTP\/1\.1 200 OK\r\n[\s\S]*\r\n\r\nok$/);
  assert.match(await curl(client, '10.244.0.9', 10254, '/nope'), /^HTTP\/1\.1 404 /);
  (await client.connect({ ip: '10.244.0.9', port: 80 })).destroy();
  (await client.connect({ ip: '10.244.0.9', port: 443 })).destroy();
  assert.equal(await p.stop('SIGTERM'), 143);
  assert.equal(fake.released(), 1);
  assert.match(p.err(), /"Received SIGTERM, shutting down"/);
  await assert.rejects(client.connect({ ip: '10.244.0.9', port: 80 }), { code: 'ECONNREFUSED' });
});

test('/healthz listens at once and answers only when the controller serves, so the first readiness probe passes', async () => {
  const network = createNetwork();
  const pod = network.addStack(['10.244.0.9'], { kind: 'pod', namespace: 'ingress-nginx', name: 'c' });
  const client = network.addStack(['10.244.0.10'], { kind: 'pod', name: 'client' });
  const fake = fakeService();
  let release: () => void = () => undefined;
  const later = new Promise<void>((ok) => { release = ok; });
  const cert = fake.service.fakeCertificate();
  fake.service.fakeCertificate = async () => { await later; return cert; };
  const p = run(ingressNginxImage, ARGS, pod, { pod: { image: IMAGE }, cluster: { ingress: fake.service } });
  await until(() => p.err().includes('Running in Kubernetes cluster'));
  let answered = '';
  const probe = rawTcp(client, { ip: '10.244.0.9', port: 10254 }, 'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n', 2000).then((r) => { answered = r; });
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(answered, '', 'not answered before the controller serves');
  await assert.rejects(client.connect({ ip: '10.244.0.9', port: 80 }), { code: 'ECONNREFUSED' });
  release();
  await probe;
  assert.match(answered, /^HTTP\/1\.1 200 OK\r\n[\s\S]*\r\n\r\nok$/);
  (await client.connect({ ip: '10.244.0.9', port: 80 })).destroy();
  assert.equal(await p.stop('SIGTERM'), 143);
});

test('a taken http port is fatal as upstream (exit 255), and the replica detaches', async () => {
  const pod = createNetwork().addStack(['10.244.0.9'], { kind: 'pod', name: 'c' });
  const taken = pod.listen(80, (c) => c.destroy());
  const fake = fakeService();
  const p = run(ingressNginxImage, ARGS, pod, { pod: { image: IMAGE }, cluster: { ingress: fake.service } });
  assert.equal(await p.done, 255);
  assert.match(p.err(), /^F\d{4} .* main\.go:\d+\] port 80 is already in use\. Please check the flag --http-port$/m);
  assert.equal(fake.released(), 1);
  taken.close();
});

test('without the cluster ingress service the controller fails clearly', async () => {
  const pod = createNetwork().addStack(['10.244.0.9'], { kind: 'pod', name: 'c' });
  const p = run(ingressNginxImage, ARGS, pod, { pod: { image: IMAGE } });
  assert.equal(await p.done, 255);
  assert.match(p.err(), /ingress service/);
});

test('the validating webhook (--validating-webhook) denies what the controller refuses with 400 BadRequest and logs it', () => {
  const lines: string[] = [];
  const klog = new Klog({ write: (l: string) => { lines.push(l); return true; } } as unknown as import('node:stream').Writable);
  const check = (name: string) => (name === 'dup' ? 'host "_" and path "/" is already defined in ingress default/first' : undefined);
  const review = (name: string, resource = 'ingresses'): Review => ({
    apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview',
    request: { uid: 'u', name, namespace: 'default', resource: { group: 'networking.k8s.io', version: 'v1', resource }, object: { metadata: { name } } },
  });
  assert.deepEqual(decide(review('dup'), { check: (i) => check(i.metadata.name ?? '') }, klog),
    { allowed: false, status: { metadata: {}, status: 'Failure', code: 400, reason: 'BadRequest', message: 'host "_" and path "/" is already defined in ingress default/first' } });
  assert.match(lines.join(''), /^E\d{4} .* "invalid ingress configuration" err="host \\"_\\" and path \\"\/\\" is already defined in ingress default\/first" ingress="default\/dup"\n/);
  assert.deepEqual(decide(review('ok'), { check: (i) => check(i.metadata.name ?? '') }, klog), { allowed: true });
  assert.match(lines.join(''), /"successfully validated configuration, accepting" ingress="default\/ok"/);
  assert.equal(decide(review('x', 'services'), { check: () => undefined }, klog).status?.message,
    'rejecting admission review because the request does not contain an Ingress resource but networking.k8s.io/v1, Resource=services with name x in namespace default');
});
