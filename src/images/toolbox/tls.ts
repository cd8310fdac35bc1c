/**
 * TLS for the toolbox's curl and wget over a virtual pod connection, with Node's tls on the
 * in-memory stream: the CA from a file in the container or Node's root store, SNI for names,
 * verification (chain and host name) done after the handshake so each tool can word its failure
 * as the real one does.
 */
import tls, { type TLSSocket } from 'node:tls';
import type { Duplex } from 'node:stream';
import { isIP } from 'node:net';
import type { Conn } from '../../net/types.js';
import { closeWithTls } from '../../net/tls.js';

/** curl's default connect timeout (DEFAULT_CONNECT_TIMEOUT, 300 s, which covers the TLS handshake): a handshake never waits longer unless told. */
export const DEFAULT_TLS_TIMEOUT_MS = 300_000;

/** How to set up the session. */
export interface TlsOptions {
  host: string;
  /** PEM bundle to trust; undefined means the default root store. */
  ca?: string;
  /** Do not verify the chain nor the name (curl -k, wget --no-check-certificate). */
  insecure: boolean;
  /** How long the handshake may take (default DEFAULT_TLS_TIMEOUT_MS). */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** Why a session could not be used. */
export type TlsFailure =
  | { kind: 'handshake'; message: string }
  | { kind: 'closed' }
  | { kind: 'verify'; message: string; code: string }
  | { kind: 'name'; host: string }
  | { kind: 'timeout' }
  | { kind: 'aborted' };

/** OpenSSL's texts for the verify results Node reports by code (X509_verify_cert_error_string). */
const VERIFY_TEXT: Record<string, string> = {
  UNABLE_TO_GET_ISSUER_CERT: 'unable to get issuer certificate', UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'unable to get local issuer certificate',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'unable to verify the first certificate', DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed certificate',
  SELF_SIGNED_CERT_IN_CHAIN: 'self-signed certificate in certificate chain', CERT_HAS_EXPIRED: 'certificate has expired',
  CERT_NOT_YET_VALID: 'certificate is not yet valid', CERT_SIGNATURE_FAILURE: 'certificate signature failure', CERT_REVOKED: 'certificate revoked',
};

/** An established session and what curl -v tells about it. */
export interface TlsSession { socket: TLSSocket; protocol: string; cipher: string; alpn: string; cert: tls.PeerCertificate; verifyError?: string; verifyCode?: string }

/** The OpenSSL-style text of a handshake error, as curl prints after `OpenSSL/x.y.z: `. */
export function opensslError(e: Error & { code?: string; reason?: string; library?: string }): string {
  const hex = /error:([0-9A-F]{8})/.exec(e.message)?.[1];
  if (hex && e.reason) return `error:${hex}:${e.library ?? 'SSL routines'}::${e.reason}`;
  return e.message;
}

/** Runs the handshake over `conn`; resolves with the session or the reason it failed (the connection is then closed). */
export function startTls(conn: Conn, o: TlsOptions): Promise<TlsSession | TlsFailure> {
  return new Promise((resolve) => {
    let done = false;
    const sock = tls.connect({
      // The name is checked below against o.host; Node's own check would use `localhost` when no host is given.
      socket: conn as unknown as Duplex, ca: o.ca, rejectUnauthorized: false, ALPNProtocols: ['http/1.1'], checkServerIdentity: () => undefined,
      ...(isIP(o.host) ? {} : { servername: o.host }),
    });
    closeWithTls(sock, conn);
    const finish = (r: TlsSession | TlsFailure): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      o.signal?.removeEventListener('abort', onAbort);
      sock.off('error', onError);
      if (!('socket' in r)) { sock.destroy(); conn.destroy(); }
      resolve(r);
    };
    const onError = (e: Error & { code?: string }): void => {
      if (e.code === 'ECONNRESET' || /socket disconnected/.test(e.message)) finish({ kind: 'closed' });
      else finish({ kind: 'handshake', message: opensslError(e) });
    };
    const onAbort = (): void => finish({ kind: 'aborted' });
    const timer = setTimeout(() => finish({ kind: 'timeout' }), o.timeoutMs ?? DEFAULT_TLS_TIMEOUT_MS);
    o.signal?.addEventListener('abort', onAbort, { once: true });
    sock.on('error', onError);
    sock.once('close', () => finish({ kind: 'closed' }));
    sock.once('secureConnect', () => {
      const cert = sock.getPeerCertificate();
      const err = sock.authorizationError as (Error & { code?: string }) | string | null | undefined;
      const code = err ? (typeof err === 'string' ? err : err.code ?? err.message) : '';
      const verifyError = err ? VERIFY_TEXT[code] ?? (typeof err === 'string' ? err : err.message) : undefined;
      if (!o.insecure) {
        if (verifyError) return finish({ kind: 'verify', message: verifyError, code });
        if (tls.checkServerIdentity(o.host, cert)) return finish({ kind: 'name', host: o.host });
      }
      const c = sock.getCipher();
      sock.on('error', () => undefined);
      finish({ socket: sock, protocol: sock.getProtocol() ?? '', cipher: c.standardName ?? c.name, alpn: sock.alpnProtocol || '', cert, verifyError, verifyCode: code });
    });
  });
}
