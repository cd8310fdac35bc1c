// End-to-end: kubectl 1.27 and 1.28 read /openapi/v2 (gnostic protobuf) before apply, create and
// explain. Expected texts are what kubectl prints against a real cluster.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import https from 'node:https';
import { readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { parse } from 'yaml';
import { Knet, kubectlPath, repoRoot, runCommand } from './harness.js';

const fx = (f: string) => join(repoRoot, 'test', 'e2e', 'fixtures', f);
const v2 = (f: string) => fx(join('openapi-v2', f));

interface KubeConfig { clusters: { cluster: { server: string } }[]; users: { user: Record<string, string> }[] }

/**
 * A plain-HTTP proxy to knet that removes the `fieldValidation` parameter from the OpenAPI v3
 * documents, as an API server without server-side field validation would serve them: kubectl
 * then validates on the client against the /openapi/v2 models.
 */
async function startProxy(kubeconfig: string): Promise<http.Server> {
  const kc = parse(readFileSync(kubeconfig, 'utf8')) as KubeConfig;
  const target = new URL(kc.clusters[0]!.cluster.server);
  const user = kc.users[0]!.user;
  const cert = Buffer.from(user['client-certificate-data'] ?? '', 'base64');
  const key = Buffer.from(user['client-key-data'] ?? '', 'base64');
  const server = http.createServer((req, res) => {
    const headers = { ...req.headers, host: target.host, 'accept-encoding': 'identity' };
    const up = https.request({ host: '127.0.0.1', port: target.port, path: req.url, method: req.method, headers, cert, key, rejectUnauthorized: false }, (ur) => {
      if (!req.url?.startsWith('/openapi/v3/')) { res.writeHead(ur.statusCode ?? 502, ur.headers); ur.pipe(res); return; }
      const chunks: Buffer[] = [];
      ur.on('data', (d: Buffer) => chunks.push(d));
      ur.on('end', () => {
        const doc = JSON.parse(Buffer.concat(chunks).toString()) as { paths?: Record<string, Record<string, { parameters?: { name: string }[] }>> };
        for (const item of Object.values(doc.paths ?? {})) {
          for (const op of Object.values(item)) if (Array.isArray(op.parameters)) op.parameters = op.parameters.filter((p) => p.name !== 'fieldValidation');
        }
        const body = Buffer.from(JSON.stringify(doc));
        res.writeHead(ur.statusCode ?? 502, { 'Content-Type': 'application/json', 'Content-Length': body.length });
        res.end(body);
      });
    });
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return server;
}

for (const version of ['1.27', '1.28']) {
  describe(`kubectl ${version}: OpenAPI v2`, () => {
    const knet = new Knet();
    const k = (...args: string[]) => knet.kubectl(args, { version });
    let proxy: http.Server | undefined;
    let proxyConfig = '';
    /** kubectl through the proxy (client-side validation). */
    const kp = (...args: string[]) => runCommand(kubectlPath(version), ['--kubeconfig', proxyConfig, '--cache-dir', join(knet.dir, `pcache-${version}`), ...args], { env: { HOME: knet.dir } });
    before(async () => {
      await knet.start();
      proxy = await startProxy(knet.kubeconfig);
      proxyConfig = join(knet.dir, 'kubeconfig-proxy');
      const server = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
      writeFileSync(proxyConfig, `apiVersion: v1\nkind: Config\nclusters: [{name: p, cluster: {server: "${server}"}}]\nusers: [{name: p, user: {}}]\ncontexts: [{name: p, context: {cluster: p, user: p}}]\ncurrent-context: p\n`);
    });
    after(async () => { proxy?.closeAllConnections(); proxy?.close(); await knet.cleanup(); });

    it('apply fetches /openapi/v2 and creates', async () => {
      const r = await k('apply', '-f', fx('svc.yaml'), '-v=6');
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, /GET https:\/\/127\.0\.0\.1:\d+\/openapi\/v2\?timeout=32s 200 OK/);
      assert.match(r.stdout, /^service\/web created$/m);
      const d = await k('apply', '-f', v2('deploy.yaml'));
      assert.equal(d.stdout.trim(), 'deployment.apps/api created', d.stderr);
      assert.equal(d.stderr, '');
    });

    it('re-apply of changed manifests configures them (strategic merge patch)', async () => {
      const s = await k('apply', '-f', fx('svc-changed.yaml'));
      assert.equal(s.stdout.trim(), 'service/web configured', s.stderr);
      assert.equal(s.stderr, '');
      assert.equal((await k('get', 'svc', 'web', '-o', 'jsonpath={.spec.ports[*].name}')).stdout, 'http https');
      const d = await k('apply', '-f', v2('deploy-changed.yaml'));
      assert.equal(d.stdout.trim(), 'deployment.apps/api configured', d.stderr);
      assert.equal(d.stderr, '');
      const c = await k('get', 'deploy', 'api', '-o', 'jsonpath={.spec.template.spec.containers[0].env[*].name} {.spec.template.spec.containers[0].ports[*].containerPort} {.spec.replicas}');
      assert.equal(c.stdout, 'A C 8080 3');
      assert.equal((await k('apply', '-f', v2('deploy-changed.yaml'))).stdout.trim(), 'deployment.apps/api unchanged');
    });

    it('create -f works and reports AlreadyExists', async () => {
      const r = await k('create', '-f', fx('svc.yaml'));
      assert.equal(r.code, 1);
      assert.equal(r.stderr.trim(), `Error from server (AlreadyExists): error when creating "${fx('svc.yaml')}": services "web" already exists`);
      const p = await k('create', '-f', fx('pod.yaml'));
      assert.equal(p.code, 0, p.stderr);
    });

    it('unknown field: server-side strict validation (the server supports fieldValidation)', async () => {
      const r = await k('apply', '-f', v2('bad-field.yaml'));
      assert.equal(r.code, 1);
      assert.equal(r.stderr.trim(), `Error from server (BadRequest): error when creating "${v2('bad-field.yaml')}": Service in version "v1" cannot be handled as a Service: strict decoding error: unknown field "spec.portz"`);
    });

    it('unknown field and wrong type: client-side validation against the v2 models', async () => {
      for (const verb of ['apply', 'create']) {
        const r = await kp(verb, '-f', v2('bad-field.yaml'));
        assert.equal(r.code, 1);
        assert.equal(r.stderr.trim(), `error: error validating "${v2('bad-field.yaml')}": error validating data: ValidationError(Service.spec): unknown field "portz" in io.k8s.api.core.v1.ServiceSpec; if you choose to ignore these errors, turn validation off with --validate=false`);
      }
      const t = await kp('apply', '-f', v2('bad-type.yaml'));
      assert.equal(t.stderr.trim(), `error: error validating "${v2('bad-type.yaml')}": error validating data: ValidationError(Deployment.spec.replicas): invalid type for io.k8s.api.apps.v1.DeploymentSpec.replicas: got "string", expected "integer"; if you choose to ignore these errors, turn validation off with --validate=false`);
      const ok = await kp('apply', '--dry-run=client', '-f', v2('mixed.yaml'), '-f', v2('deploy.yaml'), '-R', '-f', fx('dir'), '-f', fx('ingress.yaml'));
      assert.equal(ok.code, 0, ok.stderr);
      assert.equal(ok.stderr, '');
    });

    it('explain service.spec (default and from the v2 models)', async () => {
      const r = await k('explain', 'service.spec');
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^KIND:\s+Service$/m);
      assert.match(r.stdout, /^\s+allocateLoadBalancerNodePorts\s+<boolean>$/m);
      assert.match(r.stdout, /Virtual IP of the Service, allocated when empty; "None" makes it headless\./);
      const o = await k('explain', 'service.spec', '--output=plaintext-openapiv2');
      assert.equal(o.code, 0, o.stderr);
      assert.match(o.stdout, /^RESOURCE: spec <Object>$/m);
      assert.match(o.stdout, /^ {3}ports\t<\[\]Object>$/m);
      assert.match(o.stdout, /^ {5}Ports the Service exposes\.$/m);
      const f = await k('explain', 'svc.spec.ports.targetPort', '--output=plaintext-openapiv2');
      assert.match(f.stdout, /^FIELD: {4}targetPort <string>$/m);
    });
  });
}
