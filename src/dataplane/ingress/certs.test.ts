// ingress-nginx's fake certificate (notes §3, `IN:internal/net/ssl/ssl.go`) and Secret pairs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { certificateFromSecret, createFakeCertificate } from './certs.js';

test('the fake certificate: self-signed RSA 2048, O=Acme Co, CN=Kubernetes Ingress Controller Fake Certificate, SAN ingress.local, 365 days', async () => {
  const { certPem, keyPem, certificate } = await createFakeCertificate();
  const c = new X509Certificate(certPem);
  assert.equal(c.subject, 'O=Acme Co\nCN=Kubernetes Ingress Controller Fake Certificate');
  assert.equal(c.issuer, c.subject);
  assert.equal(c.subjectAltName, 'DNS:ingress.local');
  assert.equal(c.publicKey.asymmetricKeyDetails?.modulusLength, 2048);
  const days = (Date.parse(c.validTo) - Date.parse(c.validFrom)) / 86400_000;
  assert.ok(days >= 364.9 && days <= 365.1, String(days));
  assert.equal(certificate.source, 'default-fake-certificate');
  const fromSecret = certificateFromSecret({ metadata: { name: 's', namespace: 'ns' }, data: { 'tls.crt': Buffer.from(certPem).toString('base64'), 'tls.key': Buffer.from(keyPem).toString('base64') } });
  assert.ok('leaf' in fromSecret && fromSecret.certificate.source === 'ns/s');
});

test('a Secret without the keys or with garbage is refused with a reason', () => {
  assert.deepEqual(certificateFromSecret({ metadata: { name: 's', namespace: 'ns' }, data: {} }), { error: 'no keys tls.crt and tls.key in secret ns/s' });
  const bad = certificateFromSecret({ metadata: { name: 's', namespace: 'ns' }, data: { 'tls.crt': Buffer.from('nope').toString('base64'), 'tls.key': Buffer.from('nope').toString('base64') } });
  assert.ok('error' in bad && bad.error.startsWith('unexpected error creating SSL Cert'));
});

test('a valid certificate with another pair\'s key is refused: the key does not match', async () => {
  const [a, b] = await Promise.all([createFakeCertificate(), createFakeCertificate()]);
  const mixed = certificateFromSecret({ metadata: { name: 'mixed', namespace: 'ns' }, data: { 'tls.crt': Buffer.from(a.certPem).toString('base64'), 'tls.key': Buffer.from(b.keyPem).toString('base64') } });
  assert.deepEqual(mixed, { error: 'unexpected error creating SSL Cert: private key does not match public key' });
});
