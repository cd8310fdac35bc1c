/**
 * TLS certificates: ingress-nginx's fake default certificate (`IN:internal/net/ssl/ssl.go`, notes §3)
 * and certificates from `kubernetes.io/tls` Secrets, checked as a pair before use.
 */
import 'reflect-metadata';
import { X509Certificate, createPrivateKey, generateKeyPair, webcrypto, type KeyObject } from 'node:crypto';
import { createSecureContext } from 'node:tls';
import { promisify } from 'node:util';
import * as x509 from '@peculiar/x509';
import type { Secret } from '../../api/kinds/secret.js';
import type { Certificate } from './model.js';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

const RSA = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as const;
/** The Certificate.source of the default certificate. */
export const FAKE_CERTIFICATE_SOURCE = 'default-fake-certificate';

/** The fake certificate's PEMs and its ready-to-serve form. */
export interface FakeCertificate { certPem: string; keyPem: string; certificate: Certificate }

/** The fake self-signed certificate ingress-nginx serves for unknown names: RSA 2048, O=Acme Co, SAN ingress.local, 365 days. */
export async function createFakeCertificate(): Promise<FakeCertificate> {
  const { privateKey, publicKey } = await promisify(generateKeyPair)('rsa', { modulusLength: 2048 }) as { privateKey: KeyObject; publicKey: KeyObject };
  const keys = {
    privateKey: await webcrypto.subtle.importKey('pkcs8', privateKey.export({ type: 'pkcs8', format: 'der' }), RSA, true, ['sign']),
    publicKey: await webcrypto.subtle.importKey('spki', publicKey.export({ type: 'spki', format: 'der' }), RSA, true, ['verify']),
  };
  const now = new Date();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: Buffer.from(webcrypto.getRandomValues(new Uint8Array(16))).toString('hex').replace(/^[89a-f]/, '1'),
    name: 'O=Acme Co, CN=Kubernetes Ingress Controller Fake Certificate',
    notBefore: now, notAfter: new Date(now.getTime() + 365 * 86400_000), signingAlgorithm: RSA, keys,
    extensions: [
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.SubjectAlternativeNameExtension([{ type: 'dns', value: 'ingress.local' }]),
    ],
  });
  const certPem = cert.toString('pem') + '\n';
  const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  return { certPem, keyPem, certificate: { source: FAKE_CERTIFICATE_SOURCE, context: createSecureContext({ cert: certPem, key: keyPem }) } };
}

/** A Secret's certificate ready for SNI, with its parsed leaf for host checks. */
export interface SecretCertificate { certificate: Certificate; leaf: X509Certificate }

/** The certificate of a `kubernetes.io/tls` Secret, or why it cannot be used (ingress-nginx's wording where it has one). */
export function certificateFromSecret(secret: Secret): SecretCertificate | { error: string } {
  const key = `${secret.metadata.namespace ?? ''}/${secret.metadata.name}`;
  const data = secret.data ?? {};
  if (data['tls.crt'] === undefined || data['tls.key'] === undefined) return { error: `no keys tls.crt and tls.key in secret ${key}` };
  const certPem = Buffer.from(data['tls.crt'], 'base64');
  const keyPem = Buffer.from(data['tls.key'], 'base64');
  try {
    const leaf = new X509Certificate(certPem);
    if (!leaf.checkPrivateKey(createPrivateKey(keyPem))) return { error: `unexpected error creating SSL Cert: private key does not match public key` };
    return { certificate: { source: key, context: createSecureContext({ cert: certPem, key: keyPem }) }, leaf };
  } catch (e) {
    return { error: `unexpected error creating SSL Cert: ${(e as Error).message}` };
  }
}

/** The DNS names a certificate is valid for (SANs, else its CN), for log lines. */
export function namesOf(leaf: X509Certificate): string[] {
  const sans = (leaf.subjectAltName ?? '').split(',').map((s) => s.trim()).filter((s) => s.startsWith('DNS:')).map((s) => s.slice(4));
  if (sans.length) return sans;
  const cn = /(?:^|\n)CN=([^\n]+)/.exec(leaf.subject)?.[1];
  return cn ? [cn] : [];
}
