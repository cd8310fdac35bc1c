/**
 * Client-certificate authentication as kube-apiserver's x509 authenticator does it: the certificate
 * must be signed by the cluster CA's key (not merely name it as issuer), be within its validity
 * period and allow client authentication; anything else is anonymous, hence a 401.
 *
 * The TLS layer is given no CA to build chains with: when OpenSSL finds a CA by the issuer's name
 * and the signature does not verify, Node (20) leaves the error on OpenSSL's queue and the next read
 * fails, so a stranger's certificate from another "CN=knet-ca" got its connection closed instead of
 * a 401. The peer certificate is read as soon as the handshake completes, which also clears that
 * queue when a client sends a chain whose signatures do not verify.
 */
import { X509Certificate } from 'node:crypto';
import type { TLSSocket } from 'node:tls';

/** The extended key usage OID for TLS client authentication. */
const CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';

/** Verifies client certificates against one CA, once per connection. */
export class ClientCertAuthenticator {
  private readonly ca: X509Certificate;
  private readonly verdicts = new WeakMap<TLSSocket, boolean>();

  constructor(caPem: string) {
    this.ca = new X509Certificate(caPem);
  }

  /** Whether a certificate was issued and signed by the CA, is valid now and may authenticate a client. */
  verify(cert: X509Certificate, now = Date.now()): boolean {
    const within = (c: X509Certificate): boolean => now >= Date.parse(c.validFrom) && now <= Date.parse(c.validTo);
    if (!cert.checkIssued(this.ca) || !cert.verify(this.ca.publicKey)) return false;
    if (!within(cert) || !within(this.ca)) return false;
    const usages = cert.keyUsage as string[] | undefined;
    return !usages || usages.includes(CLIENT_AUTH);
  }

  /** Records the verdict for a connection whose handshake just completed (call from 'secureConnection'). */
  onSecureConnection(sock: TLSSocket): void {
    let v = false;
    try {
      const cert = sock.getPeerX509Certificate();
      v = cert !== undefined && this.verify(cert);
    } catch { v = false; }
    this.verdicts.set(sock, v);
  }

  /** Whether the connection presented a certificate of the CA. */
  authenticated(sock: TLSSocket): boolean {
    if (!this.verdicts.has(sock)) this.onSecureConnection(sock);
    return this.verdicts.get(sock) ?? false;
  }
}
