// End-to-end: imperative kubectl commands (create, label, annotate, patch, scale, expose, explain,
// diff, dry-run, wait, describe) against `knet up`, for the default kubectl, 1.27 and 1.33.
// fixtures/dir has a NodePort Service with nodePort 30080, which also listens on 127.0.0.1 (nothing here checks it there):
// run-tests: binds host ports 30080
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { Knet, repoRoot, squash } from './harness.js';

const fx = (f: string) => join(repoRoot, 'test', 'e2e', 'fixtures', f);

for (const version of ['default', '1.27', '1.33']) {
  describe(`kubectl ${version}: imperative commands`, () => {
    const knet = new Knet();
    const k = (...args: string[]) => knet.kubectl(args, { version });
    before(async () => { await knet.start(); });
    after(async () => { await knet.cleanup(); });

    it('create namespace / configmap / secret generic / secret tls / deployment', async () => {
      assert.equal((await k('create', 'namespace', 'demo')).stdout.trim(), 'namespace/demo created');
      const ns = squash((await k('get', 'ns', 'demo', '--show-labels')).stdout);
      assert.match(ns, /^demo Active \d+s kubernetes\.io\/metadata\.name=demo$/m);
      assert.equal((await k('create', 'configmap', 'app', '--from-literal=a=1', '--from-literal=b=2')).stdout.trim(), 'configmap/app created');
      assert.match(squash((await k('get', 'cm', 'app')).stdout), /^app 2 \d+s$/m);
      assert.equal((await k('create', 'secret', 'generic', 'pw', '--from-literal=password=s3cr3t')).stdout.trim(), 'secret/pw created');
      assert.match(squash((await k('get', 'secret', 'pw')).stdout), /^pw Opaque 1 \d+s$/m);
      const pw = await k('get', 'secret', 'pw', '-o', 'jsonpath={.data.password}');
      assert.equal(Buffer.from(pw.stdout, 'base64').toString(), 's3cr3t');
      const dir = knet.dir;
      execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=shop.example.com',
        '-keyout', join(dir, 'tls.key'), '-out', join(dir, 'tls.crt')], { stdio: 'ignore' });
      const t = await k('create', 'secret', 'tls', 'shop-tls', `--cert=${join(dir, 'tls.crt')}`, `--key=${join(dir, 'tls.key')}`);
      assert.equal(t.stdout.trim(), 'secret/shop-tls created', t.stderr);
      assert.match(squash((await k('get', 'secret', 'shop-tls')).stdout), /^shop-tls kubernetes\.io\/tls 2 \d+s$/m);
      const d = await k('create', 'deployment', 'web', '--image=nginx', '--replicas=2', '--port=80');
      assert.equal(d.stdout.trim(), 'deployment.apps/web created', d.stderr);
      const spec = JSON.parse((await k('get', 'deploy', 'web', '-o', 'json')).stdout) as { spec: Record<string, unknown> };
      assert.deepEqual(spec.spec['strategy'], { rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' }, type: 'RollingUpdate' });
      assert.equal(spec.spec['revisionHistoryLimit'], 10);
      assert.equal(spec.spec['progressDeadlineSeconds'], 600);
    });

    it('default, kube-system and kube-public cannot be deleted (NamespaceLifecycle), as upstream', async () => {
      for (const ns of ['default', 'kube-system', 'kube-public']) {
        const r = await k('delete', 'namespace', ns);
        assert.equal(r.code, 1);
        assert.equal(r.stderr.trim(), `Error from server (Forbidden): namespaces "${ns}" is forbidden: this namespace may not be deleted`);
      }
      assert.match(squash((await k('get', 'ns', 'default')).stdout), /^default Active /m);
    });

    it('a tls secret without tls.key is refused like a real cluster', async () => {
      const bad = await knet.kubectl(['apply', '-f', '-'], { version, input: JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'bad-tls' }, type: 'kubernetes.io/tls', data: { 'tls.crt': 'YQ==' } }) });
      assert.equal(bad.code, 1);
      assert.match(bad.stderr, /The Secret "bad-tls" is invalid: data\[tls\.key\]: Required value/);
    });

    it('expose deployment', async () => {
      const r = await k('expose', 'deployment', 'web', '--port=8081', '--target-port=80');
      assert.equal(r.stdout.trim(), 'service/web exposed', r.stderr);
      const s = squash((await k('get', 'svc', 'web', '-o', 'wide')).stdout);
      assert.match(s, /^web ClusterIP \S+ <none> 8081\/TCP \d+s app=web$/m);
    });

    it('label, annotate', async () => {
      assert.equal((await k('label', 'svc', 'web', 'env=prod')).stdout.trim(), 'service/web labeled');
      // kubectl 1.27 itself prints "annotate" (a client-side wording it later fixed).
      assert.match((await k('annotate', 'svc', 'web', 'owner=team-a')).stdout.trim(), /^service\/web annotated?$/);
      const l = await k('label', 'svc', 'web', 'env=dev');
      assert.equal(l.code, 1);
      assert.match(l.stderr, /'env' already has a value \(prod\), and --overwrite is false/);
      const j = JSON.parse((await k('get', 'svc', 'web', '-o', 'json')).stdout) as { metadata: { labels: Record<string, string>; annotations: Record<string, string> } };
      assert.equal(j.metadata.labels['env'], 'prod');
      assert.equal(j.metadata.annotations['owner'], 'team-a');
      assert.equal((await k('label', 'svc', 'web', 'env-')).stdout.trim(), 'service/web unlabeled');
    });

    it('patch: strategic (default), merge, json', async () => {
      const s = await k('patch', 'deploy', 'web', '-p', '{"spec":{"template":{"spec":{"containers":[{"name":"nginx","image":"nginx:1.27"}]}}}}');
      assert.equal(s.stdout.trim(), 'deployment.apps/web patched', s.stderr);
      const img = await k('get', 'deploy', 'web', '-o', 'jsonpath={.spec.template.spec.containers[0].image} {.spec.template.spec.containers[0].ports[0].containerPort}');
      assert.equal(img.stdout, 'nginx:1.27 80');
      const m = await k('patch', 'svc', 'web', '--type', 'merge', '-p', '{"spec":{"sessionAffinity":"ClientIP"}}');
      assert.equal(m.stdout.trim(), 'service/web patched', m.stderr);
      const j = await k('patch', 'svc', 'web', '--type', 'json', '-p', '[{"op":"replace","path":"/spec/ports/0/port","value":9090}]');
      assert.equal(j.stdout.trim(), 'service/web patched', j.stderr);
      const got = await k('get', 'svc', 'web', '-o', 'jsonpath={.spec.sessionAffinity} {.spec.ports[0].port} {.spec.sessionAffinityConfig.clientIP.timeoutSeconds}');
      assert.equal(got.stdout, 'ClientIP 9090 10800');
      const same = await k('patch', 'svc', 'web', '--type', 'merge', '-p', '{"spec":{"sessionAffinity":"ClientIP"}}');
      assert.equal(same.stdout.trim(), 'service/web patched (no change)');
      const bad = await k('patch', 'svc', 'web', '--type', 'merge', '-p', '{"spec":{"ports":[{"port":80,"nodePort":80}],"type":"NodePort"}}');
      assert.equal(bad.code, 1);
      assert.match(bad.stderr, /The Service "web" is invalid: spec\.ports\[0\]\.nodePort: Invalid value: 80: provided port is not in the valid range\. The range of valid ports is 30000-32767/);
    });

    it('scale', async () => {
      assert.equal((await k('scale', 'deploy', 'web', '--replicas=3')).stdout.trim(), 'deployment.apps/web scaled');
      assert.equal((await k('get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}')).stdout, '3');
    });

    it('explain service.spec', async () => {
      const r = await k('explain', 'service.spec');
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /KIND:\s+Service/);
      assert.match(r.stdout, /FIELD:\s+spec <ServiceSpec>/);
      assert.match(r.stdout, /ports\s+<\[\]ServicePort>/);
      assert.match(r.stdout, /sessionAffinity\s+<string>/);
    });

    it('apply --dry-run=server and diff', async () => {
      await k('create', 'namespace', 'dry');
      assert.equal((await k('apply', '-n', 'dry', '-f', fx('svc.yaml'))).stdout.trim(), 'service/web created');
      const d = await k('apply', '-n', 'dry', '-f', fx('svc-changed.yaml'), '--dry-run=server');
      assert.equal(d.stdout.trim(), 'service/web configured (server dry run)', d.stderr);
      const after = await k('get', 'svc', 'web', '-n', 'dry', '-o', 'jsonpath={.spec.ports[*].port}');
      assert.equal(after.stdout, '80', 'dry run must not persist');
      const diff = await k('diff', '-n', 'dry', '-f', fx('svc-changed.yaml'));
      assert.equal(diff.code, 1, diff.stderr);
      assert.match(diff.stdout, /^\+\s+- name: https$/m);
      assert.match(diff.stdout, /^\+\s+tier: front$/m);
      await k('apply', '-n', 'dry', '-f', fx('svc-changed.yaml'));
      const none = await k('diff', '-n', 'dry', '-f', fx('svc-changed.yaml'));
      assert.equal(none.code, 0, none.stdout + none.stderr);
      const c = await k('create', 'configmap', 'dry', '--from-literal=a=b', '--dry-run=server');
      assert.equal(c.stdout.trim(), 'configmap/dry created (server dry run)', c.stderr);
      assert.equal((await k('get', 'cm', 'dry')).code, 1);
    });

    it('describe svc, deploy, pod, ingress, netpol, ns', async () => {
      await k('apply', '-f', fx('pod.yaml'));
      await k('apply', '-f', fx('ingress.yaml'));
      await k('apply', '-f', fx('dir'));
      const svc = await k('describe', 'svc', 'web');
      assert.equal(svc.code, 0, svc.stderr);
      assert.match(svc.stdout, /^Name:\s+web$/m);
      assert.match(svc.stdout, /^Namespace:\s+default$/m);
      assert.match(svc.stdout, /^Selector:\s+app=web$/m);
      assert.match(svc.stdout, /^Type:\s+ClusterIP$/m);
      assert.match(svc.stdout, /^TargetPort:\s+80\/TCP$/m);
      assert.match(svc.stdout, /^Events:\s+<none>$/m);
      const dep = await k('describe', 'deploy', 'web');
      assert.equal(dep.code, 0, dep.stderr);
      assert.match(dep.stdout, /^StrategyType:\s+RollingUpdate$/m);
      assert.match(dep.stdout, /^RollingUpdateStrategy:\s+25% max unavailable, 25% max surge$/m);
      assert.match(dep.stdout, /^\s+Image:\s+nginx:1\.27$/m);
      const pod = await k('describe', 'pod', 'box');
      assert.equal(pod.code, 0, pod.stderr);
      assert.match(pod.stdout, /^Name:\s+box$/m);
      assert.match(pod.stdout, /^\s+Image:\s+busybox:1\.36$/m);
      const ing = await k('describe', 'ingress', 'site');
      assert.equal(ing.code, 0, ing.stderr);
      assert.match(ing.stdout, /^Ingress Class:\s+nginx$/m);
      assert.match(ing.stdout, /shop-tls terminates shop\.example\.com/);
      assert.match(ing.stdout, /^\s+\/api\s+api:80 /m);
      const np = await k('describe', 'netpol', 'db', '-n', 'shop');
      assert.equal(np.code, 0, np.stderr);
      assert.match(np.stdout, /^\s+PodSelector:\s+app=db$/m);
      assert.match(np.stdout, /^\s+Allowing ingress traffic:$/m);
      assert.match(np.stdout, /^\s+To Port: 5432\/TCP$/m);
      const ns = await k('describe', 'ns', 'shop');
      assert.equal(ns.code, 0, ns.stderr);
      assert.match(ns.stdout, /^Status:\s+Active$/m);
      assert.match(ns.stdout, /^Labels:\s+kubernetes\.io\/metadata\.name=shop$/m);
      assert.match(ns.stdout, /\nNo resource quota\.\n\nNo LimitRange resource\.\n$/);
    });

    it('wait --for=delete', async () => {
      const w = knet.kubectl(['wait', '--for=delete', 'pod/box', '--timeout=20s'], { version, timeoutMs: 30_000 });
      await new Promise((r) => setTimeout(r, 500));
      await k('delete', 'pod', 'box', '--wait=false');
      const r = await w;
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout.trim(), 'pod/box condition met');
    });
  });
}
