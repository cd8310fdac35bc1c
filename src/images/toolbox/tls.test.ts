import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import https from 'node:https';
import { createNetwork } from '../../net/network.js';
import type { NetStack } from '../../net/types.js';
import { MemoryFileSystem } from '../fs.js';
import { runProgram } from '../shell/testkit.js';
import { generatePki, type Pki } from '../../apiserver/pki.js';
import { toolboxImages } from './index.js';

// A server with the API server's certificate (SANs kubernetes.default.svc, 10.96.0.1, …) on a pod address
// that is not among them, and a plain-HTTP server, both on the virtual network.
let pki: Pki;
let client: NetStack;
let server: https.Server;
const HOSTS = '127.0.0.1\tlocalhost\n10.244.0.20\tkubernetes.default.svc\n10.244.0.21\tplain\n';

before(async () => {
  pki = await generatePki();
  const net = createNetwork();
  client = net.addStack(['10.244.0.5'], { kind: 'pod', name: 'client', namespace: 'default' });
  server = https.createServer({ key: pki.serverKey, cert: pki.serverCert }, (req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ path: req.url, auth: req.headers.authorization ?? null }));
  });
  net.addStack(['10.244.0.20'], { kind: 'pod', name: 'api' }).listen(443, (c) => server.emit('connection', c));
  net.addStack(['10.244.0.21'], { kind: 'pod', name: 'plain' }).listen(443, (c) => c.once('data', () => c.end('HTTP/1.1 400 Bad Request\r\n\r\n')));
});
after(() => { server.close(); });

const image = (name: string) => toolboxImages.find((i) => i.repositories.includes(name))!;
const run = (img: string, argv: string[]) => {
  const fs = new MemoryFileSystem({ ...image(img).files, '/etc/hosts': HOSTS, '/etc/resolv.conf': 'nameserver 10.96.0.10\n', '/ca.crt': pki.caCert });
  return runProgram(image(img).programs, argv, { fs, net: client });
};

test('curl verifies the server against --cacert and the host name, as curl 8 reports it', async () => {
  const ok = await run('curlimages/curl', ['curl', '-sS', '--cacert', '/ca.crt', '-H', 'Authorization: Bearer t', 'https://kubernetes.default.svc/api']);
  assert.deepEqual(ok, { code: 0, stdout: '{"path":"/api","auth":"Bearer t"}', stderr: '' });
  const untrusted = await run('curlimages/curl', ['curl', '-sS', 'https://kubernetes.default.svc/version']);
  assert.equal(untrusted.code, 60);
  assert.match(untrusted.stderr, /^curl: \(60\) SSL certificate problem: unable to (get local issuer certificate|verify the first certificate)\nMore details here: https:\/\/curl\.se\/docs\/sslcerts\.html\n\n/);
  assert.match(untrusted.stderr, /please visit the webpage mentioned above\.\n$/);
  const insecure = await run('curlimages/curl', ['curl', '-sk', 'https://kubernetes.default.svc/version']);
  assert.equal(insecure.code, 0);
  assert.equal(insecure.stdout, '{"path":"/version","auth":null}');
  const byIp = await run('curlimages/curl', ['curl', '-sS', '--cacert', '/ca.crt', 'https://10.244.0.20/']);
  assert.equal(byIp.code, 60);
  assert.match(byIp.stderr, /^curl: \(60\) SSL: no alternative certificate subject name matches target host name '10\.244\.0\.20'\n/);
  const noFile = await run('curlimages/curl', ['curl', '-sS', '--cacert', '/nope.crt', 'https://kubernetes.default.svc/']);
  assert.deepEqual([noFile.code, noFile.stderr], [77, 'curl: (77) error setting certificate file: /nope.crt\n']);
  const plain = await run('curlimages/curl', ['curl', '-sS', 'https://plain/']);
  assert.equal(plain.code, 35);
  assert.match(plain.stderr, /^curl: \(35\) OpenSSL\/3\.3\.2: error:0A00010B:SSL routines::wrong version number\n$/);
});

test('curl -v tells the TLS session and the certificate', async () => {
  const r = await run('curlimages/curl', ['curl', '-sv', '--cacert', '/ca.crt', 'https://kubernetes.default.svc/version']);
  assert.equal(r.code, 0);
  assert.match(r.stderr, /\* ALPN: curl offers http\/1\.1\n\*  CAfile: \/ca\.crt\n\*  CApath: none\n\* SSL connection using TLSv1\.3 \/ TLS_\w+ \/ \w+ \/ id-ecPublicKey\n/);
  assert.match(r.stderr, /\* Server certificate:\n\*  subject: CN=kube-apiserver\n\*  start date: .+ GMT\n\*  expire date: .+ GMT\n\*  subjectAltName: host "kubernetes\.default\.svc" matched cert's "kubernetes\.default\.svc"\n\*  issuer: CN=knet-ca\n\*  SSL certificate verify ok\.\n/);
  const k = await run('curlimages/curl', ['curl', '-skv', 'https://kubernetes.default.svc/version']);
  assert.match(k.stderr, /\*  SSL certificate verify result: unable to (get local issuer certificate \(20\)|verify the first certificate \(21\)), continuing anyway\.\n/);
});

test('wget over https: verified with --ca-certificate, refused as ssl_client refuses, or unchecked', async () => {
  const ok = await run('busybox', ['wget', '-qO-', '--ca-certificate=/ca.crt', 'https://kubernetes.default.svc/version']);
  assert.deepEqual(ok, { code: 0, stdout: '{"path":"/version","auth":null}', stderr: '' });
  const bad = await run('busybox', ['wget', '-qO-', 'https://kubernetes.default.svc/version']);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /:error:0A000086:SSL routines:tls_post_process_server_certificate:certificate verify failed:.*\nssl_client: SSL_connect\nwget: error getting response: Connection reset by peer\n$/);
  const unchecked = await run('busybox', ['wget', '-qO-', '--no-check-certificate', 'https://kubernetes.default.svc/healthz']);
  assert.equal(unchecked.stdout, '{"path":"/healthz","auth":null}');
});
