/**
 * kube-webhook-certgen's certificates (IN:images/kube-webhook-certgen/rootfs/pkg/certs/certs.go): an
 * ECDSA P-256 CA (organization `nil1`) and a serving certificate it signs (organization `nil2`) for
 * the comma-separated hosts (IPs as IP SANs, the rest as DNS SANs), valid from five minutes ago for
 * 100 years; the key in SEC1 PEM (`EC PRIVATE KEY`).
 */
import 'reflect-metadata';
import { createPrivateKey, webcrypto } from 'node:crypto';
import { isIP } from 'node:net';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const YEAR_MS = 365 * 86_400_000;

/** PEM texts, as the Secret's `ca`, `cert` and `key` hold them. */
export interface GeneratedCerts { ca: string; cert: string; key: string }

/** A random positive 128-bit serial number (hex). */
function serial(): string {
  return '0' + Buffer.from(webcrypto.getRandomValues(new Uint8Array(16))).toString('hex');
}

/** Creates the CA and the serving certificate for `host` (comma-separated names and IPs). */
export async function generateCerts(host: string): Promise<GeneratedCerts> {
  const notBefore = new Date(Date.now() - 5 * 60_000);
  const notAfter = new Date(notBefore.getTime() + 100 * YEAR_MS);
  const caKeys = await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify']);
  const serverAuth = new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]);
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(), name: 'O=nil1', notBefore, notAfter, signingAlgorithm: alg, keys: caKeys,
    extensions: [new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign, true), serverAuth, new x509.BasicConstraintsExtension(true, undefined, true)],
  });
  const leafKeys = await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify']);
  const names = host.split(',').map((h) => (isIP(h) ? { type: 'ip' as const, value: h } : { type: 'dns' as const, value: h }));
  const leaf = await x509.X509CertificateGenerator.create({
    serialNumber: serial(), subject: 'O=nil2', issuer: ca.subject, notBefore, notAfter, signingAlgorithm: alg,
    publicKey: leafKeys.publicKey, signingKey: caKeys.privateKey,
    extensions: [
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true), serverAuth,
      new x509.BasicConstraintsExtension(false, undefined, true), new x509.SubjectAlternativeNameExtension(names),
    ],
  });
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', leafKeys.privateKey));
  const key = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' }).export({ format: 'pem', type: 'sec1' }).toString();
  return { ca: ca.toString('pem') + '\n', cert: leaf.toString('pem') + '\n', key };
}
