// End-to-end (issue 8, "Deployed as a user finds it on kind + ingress-nginx", acceptance 5): `knet
// up` installs the ingress addon (namespace ingress-nginx, controller Deployment running the
// built-in image, LoadBalancer Service, ConfigMap, default IngressClass nginx), prints where
// Ingress is served, and the controller answers on its host ports and on the LoadBalancer IP;
// `--no-ingress` has none of it, and applying the addon's objects from a manifest brings it back.
// (Routing itself is checked by the controller's own tests; here an unmatched request gets the
// controller's default 404.)
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net, { createServer, type AddressInfo, type Server } from 'node:net';
import { once } from 'node:events';
import { Knet, freePort, knetCmd, runCommand, squash, until } from './harness.js';
import { ingressAddonObjects } from '../../src/controllers/bootstrap/ingress-addon.js';

/** The HTTP status of a GET with curl (`000` when nothing answers). */
async function status(url: string, host?: string, extra: string[] = []): Promise<string> {
  const r = await runCommand('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code}', '--max-time', '5', ...extra, ...(host ? ['-H', `Host: ${host}`] : []), url]);
  return r.stdout.trim();
}

/** Whether a TCP connect to ip:port is refused. */
async function refused(ip: string, port: number): Promise<boolean> {
  const s = net.connect({ host: ip, port });
  return new Promise((resolve) => {
    s.on('connect', () => { s.destroy(); resolve(false); });
    s.on('error', (e: NodeJS.ErrnoException) => resolve(e.code === 'ECONNREFUSED'));
  });
}

describe('the ingress addon', () => {
  let knet: Knet;
  const k = async (...args: string[]) => { const r = await knet.kubectl(args); assert.equal(r.code, 0, r.stderr); return r.stdout; };
  before(async () => { knet = await new Knet(['--ingress']).start(); });
  after(() => knet.cleanup());

  it('is installed by knet up, which says where Ingress is served', async () => {
    const lb = `127.240.${knet.hostNetwork.index}.1`;
    assert.match(knet.output, new RegExp(` • ingress: http://127\\.0\\.0\\.1:${knet.ingressPorts.http} https://127\\.0\\.0\\.1:${knet.ingressPorts.https} and the LoadBalancer IP ${lb.replace(/\./g, '\\.')}\\n`));
    const out = squash(await until('the controller to be ready', async () => {
      const o = await k('get', 'pods,svc,cm', '-n', 'ingress-nginx');
      return /ingress-nginx-controller-\S+ 1\/1 Running/.test(squash(o)) ? o : undefined;
    }));
    assert.match(out, new RegExp(`^service/ingress-nginx-controller LoadBalancer \\S+ ${lb.replace(/\./g, '\\.')} 80:\\d+/TCP,443:\\d+/TCP`, 'm'));
    assert.match(out, /^configmap\/ingress-nginx-controller 1 /m);
    assert.match(squash(await k('get', 'ingressclass')), /^nginx k8s\.io\/ingress-nginx <none> /m);
    assert.equal(await k('get', 'ingressclass', 'nginx', '-o', 'jsonpath={.metadata.annotations.ingressclass\\.kubernetes\\.io/is-default-class}'), 'true');
    assert.equal(await k('get', 'node', 'knet-control-plane', '-o', 'jsonpath={.metadata.labels.ingress-ready}'), 'true');
  });

  it('logs like ingress-nginx and answers on its host ports and the LoadBalancer IP', async () => {
    const logs = await until('the controller logs', async () => {
      const o = await k('logs', '-n', 'ingress-nginx', 'deploy/ingress-nginx-controller');
      return o.includes('Backend successfully reloaded') ? o : undefined;
    });
    assert.match(logs, /^-{79}\nNGINX Ingress controller\n {2}Release: {7}v1\.15\.1\n/);
    assert.match(logs, /^I\d{4} [\d:.]+ +7 main\.go:\d+\] "Creating API client" host="https:\/\/10\.96\.0\.1:443"$/m);
    assert.equal(await status(`http://127.0.0.1:${knet.ingressPorts.http}/`, 'nothing.localhost'), '404');
    assert.equal(await status(`http://127.240.${knet.hostNetwork.index}.1/`, 'nothing.localhost'), '404');
    assert.equal(await status(`http://${knet.hostNetwork.nodeIPs[0]!}:${knet.ingressPorts.http}/`), '404');
  });

  it('publishes the LoadBalancer IP in the status of the Ingresses it serves, not of other classes', async () => {
    await k('create', 'ingress', 'mine', '--class=nginx', '--rule=demo.localhost/=web:80');
    await k('create', 'ingress', 'theirs', '--class=other', '--rule=other.localhost/=web:80');
    const lb = `127.240.${knet.hostNetwork.index}.1`;
    await until('the ADDRESS column', async () => ((await k('get', 'ingress', 'mine', '-o', 'jsonpath={.status.loadBalancer.ingress[0].ip}')) === lb ? true : undefined));
    assert.equal(await k('get', 'ingress', 'theirs', '-o', 'jsonpath={.status.loadBalancer}'), '');
  });

  it('is ordinary objects: a second replica waits for the host ports held on the one node; deleting the Deployment stops serving', async () => {
    await k('scale', '-n', 'ingress-nginx', 'deploy/ingress-nginx-controller', '--replicas=2');
    const pending = await until('the second replica to be unschedulable', async () => {
      const o = squash(await k('get', 'pods', '-n', 'ingress-nginx', '--field-selector=status.phase=Pending', '-o', 'name'));
      return o ? o : undefined;
    });
    const why = await k('get', '-n', 'ingress-nginx', pending.split('\n')[0]!, '-o', 'jsonpath={.status.conditions[?(@.type=="PodScheduled")].message}');
    assert.match(why, /^0\/1 nodes are available: 1 node\(s\) didn't have free ports for the requested pod ports\./);
    assert.equal(await status(`http://127.0.0.1:${knet.ingressPorts.http}/`, 'nothing.localhost'), '404', 'the first replica keeps serving');
    await k('delete', '-n', 'ingress-nginx', 'deploy/ingress-nginx-controller', '--wait=true');
    await until('the host port to be released', async () => ((await refused('127.0.0.1', knet.ingressPorts.http)) ? true : undefined), 20_000);
    await until('the LoadBalancer IP to stop answering', async () => ((await status(`http://127.240.${knet.hostNetwork.index}.1/`)) !== '404' ? true : undefined), 20_000);
  });
});

describe('knet up --no-ingress', () => {
  let knet: Knet;
  const k = async (...args: string[]) => { const r = await knet.kubectl(args); assert.equal(r.code, 0, r.stderr); return r.stdout; };
  before(async () => { knet = await new Knet(['--no-ingress']).start(); });
  after(() => knet.cleanup());

  it('has no controller and nothing on its port, and kubectl apply of the addon objects brings it back', async () => {
    assert.doesNotMatch(knet.output, / • ingress:/);
    assert.equal(await k('get', 'pods,svc,cm', '-n', 'ingress-nginx', '-o', 'name'), '');
    assert.equal((await knet.kubectl(['get', 'ingressclass', 'nginx'])).code, 1);
    const node = knet.hostNetwork.nodeIPs[0]!;
    for (const port of [80, 443]) assert.ok(await refused(node, port), `nothing listens on ${node}:${port}`);
    const http = await freePort();
    const https = await freePort();
    const manifest = JSON.stringify({ apiVersion: 'v1', kind: 'List', items: ingressAddonObjects({ httpPort: http, httpsPort: https }).map((o) => o.obj) });
    const applied = await knet.kubectl(['apply', '-f', '-'], { input: manifest });
    assert.equal(applied.code, 0, applied.stderr);
    await until('the re-created controller to answer on its hostPort', async () => ((await status(`http://127.0.0.1:${http}/`)) === '404' ? true : undefined), 30_000);
    assert.equal(await status(`http://${node}:${http}/`), '404');
    assert.equal(await status(`http://127.240.${knet.hostNetwork.index}.1/`), '404');
  });
});

describe('knet up with its http port taken', () => {
  let knet: Knet;
  let blocker: Server;
  let port = 0;
  before(async () => {
    blocker = createServer((c) => c.destroy()).listen(0, '127.0.0.1');
    await once(blocker, 'listening');
    port = (blocker.address() as AddressInfo).port;
    knet = await new Knet(['--ingress', '--http-port', String(port)]).start();
  });
  after(async () => { await knet.cleanup(); blocker.close(); });

  it('says so in one line with the fix, and the cluster starts and serves HTTPS and the LoadBalancer IP', async () => {
    const lines = knet.output.split('\n').filter((l) => l.includes(`127.0.0.1:${port}`));
    assert.ok(lines.some((l) => new RegExp(String.raw`can't listen on .*127\.0\.0\.1:\d+.*; pick other ports with ${knetCmd} up --http-port N --https-port N`).test(l)), knet.output);
    assert.match(knet.output, /knet is ready/);
    await until('the LoadBalancer IP to answer', async () => ((await status(`http://127.240.${knet.hostNetwork.index}.1/`)) === '404' ? true : undefined), 20_000);
    assert.equal(await status(`https://127.0.0.1:${knet.ingressPorts.https}/`, undefined, ['-k']), '404');
  });
});
