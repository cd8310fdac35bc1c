/** `agnhost serve-hostname`: answers with the pod's hostname over HTTP, raw TCP and/or UDP. */
import { NetError } from '../../net/types.js';
import type { Listener } from '../../net/types.js';
import type { ProcessContext } from '../types.js';
import { goBadRequest, goReply, remoteAddr, serveHttp, type VirtualHttpServer } from '../util/http.js';
import { goLog, sleep, untilAborted } from '../util/proc.js';

/** Options of serve-hostname. */
export interface ServeHostnameOptions { tcp: boolean; udp: boolean; http: boolean; close: boolean; port: number }

/** Runs serve-hostname; on SIGTERM it logs, keeps serving for 60 s ("awaiting pod deletion"), then exits 0. */
export async function serveHostname(ctx: ProcessContext, o: ServeHostnameOptions): Promise<number> {
  const log = (m: string): void => goLog(ctx.stderr, m);
  if (o.http && (o.tcp || o.udp)) { log("Can't server TCP/UDP mode and HTTP mode at the same time"); return 1; }
  const hostname = ctx.pod.hostname;
  const listeners: Listener[] = [];
  let http: VirtualHttpServer | undefined;
  const closeAll = (): void => { for (const l of listeners) l.close(); http?.close(); };
  let step = 'tcp';
  try {
    if (o.tcp) {
      listeners.push(ctx.net.listen(o.port, (conn) => {
        log(`TCP request from ${conn.remote.ip}:${conn.remote.port}`);
        conn.on('error', () => undefined);
        conn.end(hostname);
      }));
    }
    step = 'udp';
    if (o.udp) {
      listeners.push(ctx.net.listenUdp(o.port, (_data, from, reply) => {
        log(`UDP request from ${from.ip}:${from.port}`);
        reply(Buffer.from(hostname));
      }));
    }
    step = 'http';
    if (o.http) {
      http = serveHttp(ctx.net, o.port, (req, res) => {
        log(`HTTP request from ${remoteAddr(req)}`);
        req.resume();
        goReply(req, res, 200, hostname, o.close ? { Connection: 'close' } : {});
      }, goBadRequest);
    }
  } catch (e) {
    closeAll();
    if (!(e instanceof NetError)) throw e;
    // Upstream log.Fatal's the first listen error (HTTP's comes from http.ListenAndServe).
    if (step === 'udp') log(`Error from ListenUDP(): listen udp :${o.port}: bind: address already in use`);
    else if (step === 'http') log(`listen tcp :${o.port}: bind: address already in use`);
    else log(`Error from net.Listen(): listen tcp :${o.port}: bind: address already in use`);
    return 1;
  }
  log(`Serving on port ${o.port}.\n`);
  await untilAborted(ctx.signal);
  if (ctx.signal.reason === 'SIGKILL') { closeAll(); return 137; }
  log('Shutting down after receiving signal: terminated.\n');
  log('Awaiting pod deletion.\n');
  await sleep(60_000);
  closeAll();
  return 0;
}
