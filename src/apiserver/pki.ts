/**
 * The cluster's certificates: a CA generated on first start and kept in the data dir, a serving
 * certificate for 127.0.0.1/localhost, and an admin client certificate for the kubeconfig.
 */
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as x509 from '@peculiar/x509';

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

/** PEM-encoded material the server and the kubeconfig need. */
export interface Pki {
  caCert: string;
  caKey: string;
  serverCert: string;
  serverKey: string;
  adminCert: string;
  adminKey: string;
  /** Bearer token accepted as an alternative to the client certificate. */
  token: string;
}

async function keyPem(key: CryptoKey): Promise<string> {
  const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', key));
  return `-----BEGIN PRIVATE KEY-----\n${der.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END PRIVATE KEY-----\n`;
}

async function importKey(pem: string): Promise<CryptoKey> {
  const b64 = pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
  return (await webcrypto.subtle.importKey('pkcs8', Buffer.from(b64, 'base64'), alg, true, ['sign']));
}

function serial(): string {
  return Buffer.from(webcrypto.getRandomValues(new Uint8Array(16))).toString('hex').replace(/^[89a-f]/, '1');
}

async function newKeys(): Promise<CryptoKeyPair> {
  return webcrypto.subtle.generateKey(alg, true, ['sign', 'verify']);
}

async function leaf(caCert: x509.X509Certificate, caKey: CryptoKey, subject: string, server: boolean): Promise<{ cert: string; key: string }> {
  const keys = await newKeys();
  const now = new Date(Date.now() - 60_000);
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(), subject, issuer: caCert.subject, notBefore: now,
    notAfter: new Date(now.getTime() + 3650 * 86400_000), signingAlgorithm: alg,
    publicKey: keys.publicKey, signingKey: caKey,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
      new x509.ExtendedKeyUsageExtension([server ? x509.ExtendedKeyUsage.serverAuth : x509.ExtendedKeyUsage.clientAuth]),
      ...(server ? [new x509.SubjectAlternativeNameExtension([
        { type: 'dns', value: 'localhost' }, { type: 'dns', value: 'kubernetes' }, { type: 'dns', value: 'kubernetes.default' },
        { type: 'dns', value: 'kubernetes.default.svc' }, { type: 'dns', value: 'kubernetes.default.svc.cluster.local' },
        { type: 'ip', value: '127.0.0.1' }, { type: 'ip', value: '10.96.0.1' },
      ])] : []),
    ],
  });
  return { cert: cert.toString('pem') + '\n', key: await keyPem(keys.privateKey) };
}

/** Creates a fresh CA, serving and admin certificates. */
export async function generatePki(): Promise<Pki> {
  const caKeys = await newKeys();
  const now = new Date(Date.now() - 60_000);
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(), name: 'CN=knet-ca', notBefore: now, notAfter: new Date(now.getTime() + 3650 * 86400_000),
    signingAlgorithm: alg, keys: caKeys,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature, true),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });
  const server = await leaf(ca, caKeys.privateKey, 'CN=kube-apiserver', true);
  const admin = await leaf(ca, caKeys.privateKey, 'CN=kubernetes-admin, O=system:masters', false);
  return {
    caCert: ca.toString('pem') + '\n', caKey: await keyPem(caKeys.privateKey),
    serverCert: server.cert, serverKey: server.key, adminCert: admin.cert, adminKey: admin.key,
    token: Buffer.from(webcrypto.getRandomValues(new Uint8Array(24))).toString('hex'),
  };
}

const files: Record<keyof Pki, string> = {
  caCert: 'ca.crt', caKey: 'ca.key', serverCert: 'apiserver.crt', serverKey: 'apiserver.key',
  adminCert: 'admin.crt', adminKey: 'admin.key', token: 'admin.token',
};

/** Loads the PKI from `<dir>/pki`, generating and saving it on first start. With no dir, generates in memory. */
export async function loadOrCreatePki(dir: string | undefined): Promise<Pki> {
  if (dir) {
    const d = join(dir, 'pki');
    if (Object.values(files).every((f) => existsSync(join(d, f)))) {
      const out = {} as Pki;
      for (const [k, f] of Object.entries(files)) out[k as keyof Pki] = readFileSync(join(d, f), 'utf8');
      out.token = out.token.trim();
      return out;
    }
  }
  const pki = await generatePki();
  if (dir) {
    const d = join(dir, 'pki');
    mkdirSync(d, { recursive: true, mode: 0o700 });
    for (const [k, f] of Object.entries(files)) writeFileSync(join(d, f), pki[k as keyof Pki], { mode: 0o600 });
  }
  return pki;
}

/** Checks that a PEM key parses (used by tests). */
export async function canImportKey(pem: string): Promise<boolean> {
  try { await importKey(pem); return true; } catch { return false; }
}
