/**
 * wget over https as Alpine's busybox does it (the ssl_client helper on OpenSSL): the server is
 * verified against the system store (or `--ca-certificate`, GNU wget's option) unless
 * `--no-check-certificate`; a failed handshake prints OpenSSL's error line, `ssl_client: SSL_connect`
 * and `wget: error getting response: Connection reset by peer`, exit 1.
 */
import { posix } from 'node:path';
import type { ProcessContext } from '../types.js';
import type { Conn } from '../../net/types.js';
import { startTls } from './tls.js';

/** Sets up TLS; resolves with the stream to speak HTTP on, or wget's exit code after printing why. */
export async function wgetTls(ctx: ProcessContext, conn: Conn, o: { host: string; insecure: boolean; caFile?: string; timeoutMs?: number }): Promise<Conn | number> {
  let ca: string | undefined;
  if (o.caFile !== undefined) {
    ca = ctx.fs.read(posix.resolve(ctx.cwd || '/', o.caFile))?.toString('utf8');
    if (!ca?.includes('-----BEGIN CERTIFICATE-----')) {
      conn.destroy();
      ctx.stderr.write(`wget: can't open '${o.caFile}': No such file or directory\n`);
      return 1;
    }
  }
  const r = await startTls(conn, { host: o.host, ca, insecure: o.insecure, timeoutMs: o.timeoutMs, signal: ctx.signal });
  if ('socket' in r) return r.socket as unknown as Conn;
  if (r.kind === 'aborted') return 130;
  if (r.kind === 'timeout') { ctx.stderr.write('wget: download timed out\n'); return 1; }
  const thread = '7F2B5C1D0B740000';
  if (r.kind === 'verify' || r.kind === 'name') {
    ctx.stderr.write(`${thread}:error:0A000086:SSL routines:tls_post_process_server_certificate:certificate verify failed:ssl/statem/statem_clnt.c:2124:\n`);
  } else if (r.kind === 'handshake') {
    ctx.stderr.write(`${thread}:${r.message.replace('::', ':ssl3_get_record:')}:ssl/record/ssl3_record.c:354:\n`);
  }
  ctx.stderr.write('ssl_client: SSL_connect\nwget: error getting response: Connection reset by peer\n');
  return 1;
}
