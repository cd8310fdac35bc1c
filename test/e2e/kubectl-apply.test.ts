// End-to-end: apply / get / delete with the real kubectl (default, 1.27, 1.33) against `knet up`.
// Expected texts are what kubectl prints against a real cluster.
// fixtures/dir has a NodePort Service with nodePort 30080, which also listens on 127.0.0.1 (nothing here checks it there):
// run-tests: binds host ports 30080
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Knet, repoRoot, squash } from './harness.js';

const fx = (f: string) => join(repoRoot, 'test', 'e2e', 'fixtures', f);

for (const version of ['default', '1.27', '1.33']) {
  describe(`kubectl ${version}: apply and get`, () => {
    const knet = new Knet();
    const k = (...args: string[]) => knet.kubectl(args, { version });
    before(async () => { await knet.start(); });
    after(async () => { await knet.cleanup(); });

    it('version reports the server', async () => {
      const r = await k('version');
      assert.equal(r.code, 0, r.stderr);
      // kubectl 1.27 prints the version.Info struct, later ones the plain version.
      assert.match(r.stdout, /Server Version: (v1\.32\.5-knet|version\.Info\{.*GitVersion:"v1\.32\.5-knet")/);
    });

    it('api-resources lists our kinds with short names', async () => {
      const r = await k('api-resources');
      assert.equal(r.code, 0, r.stderr);
      const out = squash(r.stdout);
      assert.match(out, /^NAME SHORTNAMES APIVERSION NAMESPACED KIND$/m);
      assert.match(out, /^services svc v1 true Service$/m);
      assert.match(out, /^deployments deploy apps\/v1 true Deployment$/m);
      assert.match(out, /^networkpolicies netpol networking\.k8s\.io\/v1 true NetworkPolicy$/m);
      assert.match(out, /^namespaces ns v1 false Namespace$/m);
    });

    it('apply creates, leaves unchanged, then configures (strategic merge patch)', async () => {
      assert.equal((await k('apply', '-f', fx('svc.yaml'))).stdout.trim(), 'service/web created');
      assert.equal((await k('apply', '-f', fx('svc.yaml'))).stdout.trim(), 'service/web unchanged');
      const r = await k('apply', '-f', fx('svc-changed.yaml'));
      assert.equal(r.stdout.trim(), 'service/web configured', r.stderr);
      const ports = await k('get', 'svc', 'web', '-o', 'jsonpath={.spec.ports[*].name}');
      assert.equal(ports.stdout, 'http https');
      const labels = await k('get', 'svc', 'web', '-o', 'jsonpath={.metadata.labels.tier}');
      assert.equal(labels.stdout, 'front');
    });

    it('apply of a multi-document file and of a directory', async () => {
      const r = await k('apply', '-f', fx('multi.yaml'));
      assert.equal(r.stdout.trim(), 'configmap/settings created\ndeployment.apps/api created', r.stderr);
      const d = await k('apply', '-f', fx('dir'));
      assert.equal(d.stdout.trim(), 'namespace/shop created\nservice/cart created\nnetworkpolicy.networking.k8s.io/db created', d.stderr);
    });

    it('apply --server-side', async () => {
      const r = await k('apply', '--server-side', '-f', fx('ingress.yaml'));
      assert.equal(r.stdout.trim(), 'ingress.networking.k8s.io/site serverside-applied', r.stderr);
      const mf = await k('get', 'ingress', 'site', '-o', 'jsonpath={.metadata.managedFields[0].manager} {.metadata.managedFields[0].operation}');
      assert.equal(mf.stdout, 'kubectl Apply');
    });

    it('get: default and wide columns', async () => {
      const r = await k('get', 'svc');
      assert.equal(r.code, 0, r.stderr);
      const lines = squash(r.stdout).split('\n');
      assert.equal(lines[0], 'NAME TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE');
      assert.ok(lines.some((l) => /^web ClusterIP \S+ <none> 80\/TCP,443\/TCP \d+s$/.test(l)), r.stdout);
      const w = await k('get', 'svc', 'web', '-o', 'wide');
      assert.match(squash(w.stdout), /^NAME TYPE CLUSTER-IP EXTERNAL-IP PORT\(S\) AGE SELECTOR\nweb ClusterIP \S+ <none> 80\/TCP,443\/TCP \d+s app=web$/);
      const dep = await k('get', 'deploy', 'api', '-o', 'wide');
      assert.match(squash(dep.stdout), /^NAME READY UP-TO-DATE AVAILABLE AGE CONTAINERS IMAGES SELECTOR\napi \d\/2 \d \d \d+s api nginx:1\.27 app=api$/);
      const np = await k('get', 'svc', '-n', 'shop');
      assert.match(squash(np.stdout), /^cart NodePort \S+ <none> 80:30080\/TCP \d+s$/m);
    });

    it('get -o yaml, -o json, -o jsonpath', async () => {
      const y = await k('get', 'cm', 'settings', '-o', 'yaml');
      assert.match(y.stdout, /^apiVersion: v1\ndata:\n  mode: fast\nkind: ConfigMap\nmetadata:\n/);
      assert.match(y.stdout, /  resourceVersion: "\d+"\n/);
      assert.match(y.stdout, /  uid: [0-9a-f-]{36}\n/);
      const j = JSON.parse((await k('get', 'svc', 'web', '-o', 'json')).stdout) as { kind: string; spec: { type: string; sessionAffinity: string } };
      assert.equal(j.kind, 'Service');
      assert.equal(j.spec.type, 'ClusterIP');
      assert.equal(j.spec.sessionAffinity, 'None');
      const p = await k('get', 'svc', 'web', '-o', 'jsonpath={.spec.ports[0].targetPort}');
      assert.equal(p.stdout, '8080');
    });

    it('get -A, -l, --show-labels, --sort-by', async () => {
      const a = squash((await k('get', 'svc', '-A')).stdout);
      assert.match(a, /^NAMESPACE NAME TYPE CLUSTER-IP EXTERNAL-IP PORT\(S\) AGE$/m);
      assert.match(a, /^shop cart NodePort /m);
      assert.match(a, /^default web ClusterIP /m);
      const l = squash((await k('get', 'svc', '-l', 'tier=front')).stdout);
      assert.equal(l.split('\n').length, 2);
      assert.match(l, /^web /m);
      const none = await k('get', 'svc', '-l', 'tier=back');
      assert.equal(none.stderr.trim(), 'No resources found in default namespace.');
      const sl = squash((await k('get', 'svc', 'web', '--show-labels')).stdout);
      assert.match(sl, /^NAME TYPE CLUSTER-IP EXTERNAL-IP PORT\(S\) AGE LABELS\nweb .* app=web,tier=front$/);
      await k('create', 'configmap', 'b-conf', '--from-literal=x=1');
      await k('create', 'configmap', 'a-conf', '--from-literal=x=1');
      const s = squash((await k('get', 'cm', '--sort-by=.metadata.name', '-o', 'name')).stdout);
      const names = s.split('\n');
      assert.deepEqual(names, [...names].sort());
      const st = squash((await k('get', 'cm', '--sort-by=.metadata.name')).stdout).split('\n').slice(1).map((x) => x.split(' ')[0]);
      assert.deepEqual(st, [...st].sort());
    });

    it('get -w sees a change', async () => {
      const watch = knet.kubectl(['get', 'cm', 'settings', '-w', '--request-timeout=4s'], { version, timeoutMs: 8000 });
      await new Promise((r) => setTimeout(r, 1500));
      await k('label', 'cm', 'settings', 'seen=yes');
      const r = await watch;
      const rows = squash(r.stdout).split('\n');
      assert.equal(rows[0], 'NAME DATA AGE');
      assert.ok(rows.filter((x) => x.startsWith('settings 1 ')).length >= 2, r.stdout + r.stderr);
    });

    it('delete by name, -f, --all', async () => {
      assert.equal((await k('delete', 'cm', 'a-conf')).stdout.trim(), 'configmap "a-conf" deleted');
      assert.equal((await k('delete', '-f', fx('multi.yaml'))).stdout.trim(), 'configmap "settings" deleted\ndeployment.apps "api" deleted');
      const all = await k('delete', 'cm', '--all');
      assert.match(all.stdout, /configmap "b-conf" deleted/);
      const nf = await k('get', 'cm', 'settings');
      assert.equal(nf.code, 1);
      assert.equal(nf.stderr.trim(), 'Error from server (NotFound): configmaps "settings" not found');
    });

    it('delete a namespace with contents', async () => {
      const r = await k('delete', 'ns', 'shop');
      assert.equal(r.stdout.trim(), 'namespace "shop" deleted', r.stderr);
      const g = await k('get', 'ns', 'shop');
      assert.equal(g.stderr.trim(), 'Error from server (NotFound): namespaces "shop" not found');
      const s = await k('get', 'svc', 'cart', '-n', 'shop');
      assert.equal(s.code, 1);
    });
  });
}
