/** A UDP request/answer exchange with a read deadline, as agnhost's Go code does it over a connected UDP socket. */
import type { ProcessContext } from '../types.js';

/** The answer, or Go's read error: an i/o timeout, or (refused) the ICMP port unreachable a connected socket reports on its next read. */
export type UdpAnswer = { data: string } | { error: string; refused?: boolean };

/** Sends `payload` to ip:port from an ephemeral port and waits for one answer (no deadline when timeoutMs is 0). */
export function udpRequest(ctx: ProcessContext, ip: string, port: number, payload: string, timeoutMs: number): Promise<UdpAnswer> {
  const sock = ctx.net.udp(0);
  const conn = `${ctx.pod.ip}:${sock.local.port}->${ip}:${port}`;
  return new Promise((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    const done = (a: UdpAnswer): void => {
      if (timer) clearTimeout(timer);
      ctx.signal.removeEventListener('abort', onAbort);
      sock.close();
      resolve(a);
    };
    const onAbort = (): void => done({ error: `read udp ${conn}: i/o timeout` });
    if (timeoutMs > 0) timer = setTimeout(onAbort, timeoutMs);
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    sock.onMessage((data) => done({ data: data.toString() }));
    sock.onError?.(() => done({ error: `read udp ${conn}: read: connection refused`, refused: true }));
    sock.send(Buffer.from(payload), { ip, port });
  });
}
