/** Test helper: a CA and a serving certificate for webhook names, made with the openssl command as a user would. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** PEM texts of a CA and of a certificate it signed for `names` (DNS names or IPs). */
export interface WebhookCerts { caCert: string; cert: string; key: string }

/** Creates a CA and a serving certificate valid for `names`. */
export function makeWebhookCerts(names: string[]): WebhookCerts {
  const dir = mkdtempSync(join(tmpdir(), 'knet-webhook-certs-'));
  const f = (n: string): string => join(dir, n);
  const ssl = (...args: string[]): void => { execFileSync('openssl', args, { stdio: 'pipe' }); };
  try {
    ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', f('ca.key'), '-out', f('ca.crt'), '-days', '2', '-subj', '/CN=webhook-test-ca');
    ssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', f('tls.key'), '-out', f('tls.csr'), '-subj', `/CN=${names[0]}`);
    const san = names.map((n) => (/^[0-9.]+$/.test(n) ? `IP:${n}` : `DNS:${n}`)).join(',');
    writeFileSync(f('ext.cnf'), `subjectAltName=${san}\nextendedKeyUsage=serverAuth\n`);
    ssl('x509', '-req', '-in', f('tls.csr'), '-CA', f('ca.crt'), '-CAkey', f('ca.key'), '-CAcreateserial', '-out', f('tls.crt'), '-days', '2', '-extfile', f('ext.cnf'));
    return { caCert: readFileSync(f('ca.crt'), 'utf8'), cert: readFileSync(f('tls.crt'), 'utf8'), key: readFileSync(f('tls.key'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
