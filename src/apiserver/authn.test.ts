import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { ClientCertAuthenticator } from './authn.js';
import { generatePki } from './pki.js';

test('client certificates are verified by the CA\'s key, not by the issuer\'s name', async () => {
  const ours = await generatePki();
  const theirs = await generatePki(); // another CA, with the same subject CN=knet-ca
  assert.equal(new X509Certificate(theirs.caCert).subject, new X509Certificate(ours.caCert).subject);
  const authn = new ClientCertAuthenticator(ours.caCert);
  assert.equal(authn.verify(new X509Certificate(ours.adminCert)), true);
  assert.equal(authn.verify(new X509Certificate(theirs.adminCert)), false, 'a stranger CA sharing the name');
  assert.equal(authn.verify(new X509Certificate(ours.serverCert)), false, 'a serving certificate cannot authenticate a client');
  assert.equal(authn.verify(new X509Certificate(ours.adminCert), Date.now() + 20 * 365 * 86400_000), false, 'expired');
});
