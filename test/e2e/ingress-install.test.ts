// End-to-end (issue 11, "the ingress-nginx install path"): on `knet up --no-ingress`, `kubectl apply -f`
// of a manifest with the kinds and structure of ingress-nginx's kind deploy.yaml
// (test/fixtures/ingress-nginx-kind-deploy.yaml) applies cleanly; its certgen Jobs run the built-in
// kube-webhook-certgen (`create` makes the Secret, `patch` puts its CA into the
// ValidatingWebhookConfiguration) and complete, then go (ttlSecondsAfterFinished: 0, as upstream's);
// the controller waits for its certificate Secret, becomes ready, serves an Ingress on the
// LoadBalancer IP and its hostPort, and its admission webhook is called for Ingress writes.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { join } from 'node:path';
import { Knet, kubectlPath, repoRoot, runCommand, until } from './harness.js';

const NS = 'ingress-nginx';
const MANIFEST = join(repoRoot, 'test', 'fixtures', 'ingress-nginx-kind-deploy.yaml');
const JOBS = ['job/ingress-nginx-admission-create', 'job/ingress-nginx-admission-patch'];

/** The HTTP status and body of a GET with curl from the host. */
async function get(url: string, host: string): Promise<{ status: string; body: string }> {
  const r = await runCommand('curl', ['-s', '--max-time', '5', '-H', `Host: ${host}`, '-w', '\n%{http_code}', url]);
  const i = r.stdout.lastIndexOf('\n');
  return { status: r.stdout.slice(i + 1), body: r.stdout.slice(0, i) };
}

describe('ingress-nginx installed from its kind manifest', () => {
  const knet = new Knet(['--no-ingress']);
  const k = async (...args: string[]) => { const r = await knet.kubectl(args); assert.equal(r.code, 0, `kubectl ${args.join(' ')}: ${r.stderr}`); return r.stdout; };
  let watch: ChildProcess | undefined;
  let watched = '';
  /**
   * Starts `kubectl get jobs -A -w` (the Jobs are deleted once finished, so their completion is
   * watched for, as a user would) and resolves once it delivers a marker Job created after it started.
   */
  const watchJobs = async (marker: string): Promise<void> => {
    watch?.kill();
    watched = '';
    watch = spawn(kubectlPath(), ['--kubeconfig', knet.kubeconfig, 'get', 'jobs', '-A', '-w', '-o', 'jsonpath={.metadata.name} {.status.conditions[?(@.type=="Complete")].status}{"\\n"}'],
      { env: { ...process.env, HOME: knet.dir }, stdio: ['ignore', 'pipe', 'ignore'] });
    watch.stdout!.on('data', (d: Buffer) => { watched += d.toString(); });
    await k('create', 'job', marker, '--image=busybox', '--', 'true');
    await until('the Job watch to deliver the marker Job', async () => (watched.split('\n').some((l) => l.startsWith(`${marker} `)) ? true : undefined), 30_000);
  };
  const completed = (name: string) => watched.split('\n').includes(`${name} True`);
  before(async () => { await knet.start(); });
  after(async () => { watch?.kill(); await knet.cleanup(); });

  it('applies cleanly, and its certgen Jobs create the Secret, patch the webhook, complete and go', async () => {
    await watchJobs('watch-marker');
    const r = await knet.kubectl(['apply', '-f', MANIFEST]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    for (const line of ['namespace/ingress-nginx created', 'role.rbac.authorization.k8s.io/ingress-nginx-admission created',
      'clusterrolebinding.rbac.authorization.k8s.io/ingress-nginx created', 'service/ingress-nginx-controller-admission created',
      'deployment.apps/ingress-nginx-controller created', 'job.batch/ingress-nginx-admission-create created', 'job.batch/ingress-nginx-admission-patch created',
      'ingressclass.networking.k8s.io/nginx created', 'validatingwebhookconfiguration.admissionregistration.k8s.io/ingress-nginx-admission created']) {
      assert.ok(r.stdout.split('\n').includes(line), `${line} in:\n${r.stdout}`);
    }
    assert.equal(r.stdout.trim().split('\n').length, 19, 'every object of the manifest');
    await until('both Jobs to complete', async () => (completed('ingress-nginx-admission-create') && completed('ingress-nginx-admission-patch') ? true : undefined), 90_000);
    const w = await knet.kubectl(['wait', '--for=delete', ...JOBS, '-n', NS, '--timeout=60s']);
    assert.equal(w.code, 0, `ttlSecondsAfterFinished: 0 removes the finished Jobs: ${w.stderr}`);
    const events = await k('get', 'events', '-n', NS, '--field-selector', 'involvedObject.kind=Job,reason=Completed', '-o', 'jsonpath={range .items[*]}{.involvedObject.name} {.message}{"\\n"}{end}');
    assert.deepEqual(events.trim().split('\n').sort(), ['ingress-nginx-admission-create Job completed', 'ingress-nginx-admission-patch Job completed']);

    const data = JSON.parse(await k('get', 'secret', 'ingress-nginx-admission', '-n', NS, '-o', 'jsonpath={.data}')) as Record<string, string>;
    assert.deepEqual(Object.keys(data).sort(), ['ca', 'cert', 'key']);
    const pem = (s: string) => Buffer.from(s, 'base64').toString();
    const ca = new X509Certificate(pem(data.ca!)), cert = new X509Certificate(pem(data.cert!));
    assert.ok(cert.verify(ca.publicKey), 'the serving certificate is signed by the CA');
    assert.equal(cert.subjectAltName, 'DNS:ingress-nginx-controller-admission, DNS:ingress-nginx-controller-admission.ingress-nginx.svc');
    assert.match(pem(data.key!), /^-----BEGIN EC PRIVATE KEY-----/);
    const hook = await k('get', 'validatingwebhookconfiguration', 'ingress-nginx-admission', '-o', 'jsonpath={.webhooks[0].clientConfig.caBundle} {.webhooks[0].failurePolicy}');
    assert.equal(hook, `${data.ca!} Fail`);
  });

  it('runs the controller once its certificate Secret exists; it serves an Ingress on the LoadBalancer IP and its hostPort', async () => {
    const ready = await knet.kubectl(['wait', '--for=condition=ready', 'pod', '-l', 'app.kubernetes.io/component=controller', '-n', NS, '--timeout=120s'], { timeoutMs: 130_000 });
    assert.equal(ready.code, 0, ready.stderr);
    await k('create', 'deployment', 'web', '--image=nginx', '--port=80');
    await k('expose', 'deployment', 'web', '--port=80');
    await k('rollout', 'status', 'deployment/web', '--timeout=60s');
    await k('create', 'ingress', 'web', '--class=nginx', '--rule=demo.localhost/=web:80');
    assert.equal(await until('the Ingress status', async () => (await k('get', 'ingress', 'web', '-o', 'jsonpath={.status.loadBalancer.ingress[0].hostname}')) || undefined, 30_000), 'localhost',
      '--publish-status-address=localhost');
    const lb = await k('get', 'svc', 'ingress-nginx-controller', '-n', NS, '-o', 'jsonpath={.status.loadBalancer.ingress[0].ip}');
    assert.equal(lb, `127.240.${knet.hostNetwork.index}.1`);
    for (const url of [`http://${lb}/`, `http://${knet.hostNetwork.nodeIPs[0]!}/`]) {
      const res = await until(`${url} to route demo.localhost`, async () => { const g = await get(url, 'demo.localhost'); return g.status === '200' ? g : undefined; }, 30_000);
      assert.match(res.body, /<title>Welcome to nginx!<\/title>/);
      assert.equal((await get(url, 'other.localhost')).status, '404');
    }
  });

  it('calls its admission webhook for Ingress writes: a second Ingress for the same host and path is denied', async () => {
    const r = await knet.kubectl(['create', 'ingress', 'web-again', '--class=nginx', '--rule=demo.localhost/=web:80']);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'error: failed to create ingress: admission webhook "validate.nginx.ingress.kubernetes.io" denied the request: host "demo.localhost" and path "/" is already defined in ingress default/web\n');
    const applied = await knet.kubectl(['apply', '-f', '-'], {
      input: JSON.stringify({
        apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'web-copy', namespace: 'default' },
        spec: { ingressClassName: 'nginx', rules: [{ host: 'demo.localhost', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } }] },
      }),
    });
    assert.equal(applied.code, 1);
    assert.match(applied.stderr, /^Error from server \(BadRequest\): error when creating "STDIN": admission webhook "validate\.nginx\.ingress\.kubernetes\.io" denied the request: host "demo\.localhost" and path "\/" is already defined in ingress default\/web\n$/);
    assert.equal(await k('get', 'ingress', '-o', 'name'), 'ingress.networking.k8s.io/web\n');
    const logs = await k('logs', '-n', NS, 'deploy/ingress-nginx-controller');
    assert.match(logs, /"Starting validation webhook" address=":8443" certPath="\/usr\/local\/certificates\/cert" keyPath="\/usr\/local\/certificates\/key"/);
    assert.match(logs, /"successfully validated configuration, accepting" ingress="default\/web"/);
  });

  it('applied again, it re-runs the Jobs: create keeps the Secret, patch sets the same CA', async () => {
    const before = await k('get', 'secret', 'ingress-nginx-admission', '-n', NS, '-o', 'jsonpath={.data.ca}');
    await watchJobs('watch-marker-again');
    const r = await knet.kubectl(['apply', '-f', MANIFEST]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^job\.batch\/ingress-nginx-admission-create created$/m);
    assert.match(r.stdout, /^deployment\.apps\/ingress-nginx-controller unchanged$/m);
    await until('both Jobs to complete again', async () => (completed('ingress-nginx-admission-create') && completed('ingress-nginx-admission-patch') ? true : undefined), 60_000);
    assert.equal(await k('get', 'secret', 'ingress-nginx-admission', '-n', NS, '-o', 'jsonpath={.data.ca}'), before);
    assert.equal(await k('get', 'validatingwebhookconfiguration', 'ingress-nginx-admission', '-o', 'jsonpath={.webhooks[0].clientConfig.caBundle}'), before);
  });
});
