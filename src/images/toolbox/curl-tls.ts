/** curl's side of TLS: the CA options, its -v lines about the session, and its errors and exit codes (35, 60, 77). */
import type { PeerCertificate, TLSSocket } from 'node:tls';
import type { FileSystem } from '../types.js';
import type { Conn } from '../../net/types.js';
import { startTls } from './tls.js';

/** The OpenSSL version curl names in its TLS errors. */
export const OPENSSL_VERSION = 'OpenSSL/3.3.2';

/** curl's advice after a verification failure (tool_operate.c CURL_CA_CERT_ERRORMSG). */
const CA_ADVICE = 'More details here: https://curl.se/docs/sslcerts.html\n\n' +
  'curl failed to verify the legitimacy of the server and therefore could not\n' +
  'establish a secure connection to it. To learn more about this situation and\n' +
  'how to fix it, please visit the webpage mentioned above.';

/** OpenSSL's verify error numbers, for `-k -v`'s "verify result" line. */
const VERIFY_CODES: Record<string, number> = {
  CERT_HAS_EXPIRED: 10, CERT_NOT_YET_VALID: 9, DEPTH_ZERO_SELF_SIGNED_CERT: 18, SELF_SIGNED_CERT_IN_CHAIN: 19,
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 20, UNABLE_TO_VERIFY_LEAF_SIGNATURE: 21,
};

/** What the TLS step needs from curl. */
export interface CurlTlsInput {
  fs: FileSystem; cwd: string; host: string; port: number; insecure: boolean; cacert?: string;
  timeoutMs?: number; signal?: AbortSignal; verbose: (s: string) => void;
}

const dn = (n: Record<string, string | string[]> | undefined): string =>
  Object.entries(n ?? {}).flatMap(([k, v]) => (Array.isArray(v) ? v : [v]).map((x) => `${k}=${x}`)).join('; ');

function certLines(cert: PeerCertificate, host: string): string {
  const sans = (cert.subjectaltname ?? '').split(', ').map((s) => s.replace(/^(DNS|IP Address):/, ''));
  const match = sans.find((s) => s === host || (s.startsWith('*.') && host.endsWith(s.slice(1)) && !host.slice(0, -s.length + 1).includes('.')));
  return '* Server certificate:\n' + `*  subject: ${dn(cert.subject as never)}\n*  start date: ${cert.valid_from}\n*  expire date: ${cert.valid_to}\n` +
    (match ? `*  subjectAltName: host "${host}" matched cert's "${match}"\n` : '') + `*  issuer: ${dn(cert.issuer as never)}\n`;
}

/** Sets up TLS on a connected stream; resolves with the socket to speak HTTP on, or curl's exit code and message. */
export async function curlTls(conn: Conn, i: CurlTlsInput): Promise<{ socket: TLSSocket } | { code: number; msg: string }> {
  let ca: string | undefined;
  if (i.cacert !== undefined) {
    const path = i.cacert.startsWith('/') ? i.cacert : `${i.cwd.replace(/\/$/, '')}/${i.cacert}`;
    const pem = i.fs.read(path)?.toString('utf8');
    if (!pem || !pem.includes('-----BEGIN CERTIFICATE-----')) { conn.destroy(); return { code: 77, msg: `error setting certificate file: ${i.cacert}` }; }
    ca = pem;
  }
  i.verbose('* ALPN: curl offers http/1.1\n');
  i.verbose(ca ? `*  CAfile: ${i.cacert}\n*  CApath: none\n` : '*  CAfile: /etc/ssl/certs/ca-certificates.crt\n*  CApath: /etc/ssl/certs\n');
  const r = await startTls(conn, { host: i.host, ca, insecure: i.insecure, timeoutMs: i.timeoutMs, signal: i.signal });
  if ('socket' in r) {
    const s = r.socket;
    const group = s.getEphemeralKeyInfo() as { name?: string } | null;
    const keyType = (r.cert as PeerCertificate & { asn1Curve?: string }).asn1Curve ? 'id-ecPublicKey' : 'rsaEncryption';
    i.verbose(`* SSL connection using ${r.protocol} / ${r.cipher} / ${group?.name ?? 'none'} / ${keyType}\n`);
    if (r.alpn) i.verbose(`* ALPN: server accepted ${r.alpn}\n`);
    i.verbose(certLines(r.cert, i.host));
    if (r.verifyError) {
      i.verbose(`*  SSL certificate verify result: ${r.verifyError} (${VERIFY_CODES[r.verifyCode ?? ''] ?? 0}), continuing anyway.\n`);
    } else i.verbose('*  SSL certificate verify ok.\n');
    return { socket: s };
  }
  switch (r.kind) {
    case 'verify': return { code: 60, msg: `SSL certificate problem: ${r.message}\n${CA_ADVICE}` };
    case 'name': return { code: 60, msg: `SSL: no alternative certificate subject name matches target host name '${r.host}'\n${CA_ADVICE}` };
    case 'handshake': return { code: 35, msg: `${OPENSSL_VERSION}: ${r.message}` };
    case 'closed': return { code: 35, msg: `OpenSSL SSL_connect: SSL_ERROR_SYSCALL in connection to ${i.host}:${i.port} ` };
    case 'timeout': return { code: 28, msg: `SSL connection timeout` };
    case 'aborted': return { code: 130, msg: 'Interrupted' };
  }
}
