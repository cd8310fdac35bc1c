/** A UDP request/answer exchange with a read deadline, as agnhost's Go code does it. */
import type { ProcessContext } from '../types.js';

/** Sends `payload` to ip:port from an ephemeral port and waits for one answer (Go's error text on timeout). */
export function udpRequest(ctx: ProcessContext, ip: string, port: number, payload: string, timeoutMs: number): Promise<{ data: string } | { error: string }> {
  const sock = ctx.net.udp(0);
  return new Promise((resolve) => {
    const fail = (): void => {
      sock.close();
      resolve({ error: `read udp ${ctx.pod.ip}:${sock.local.port}->${ip}:${port}: i/o timeout` });
    };
    const timer = timeoutMs > 0 ? setTimeout(fail, timeoutMs) : undefined;
    const onAbort = (): void => fail();
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    sock.onMessage((data) => {
      if (timer) clearTimeout(timer);
      ctx.signal.removeEventListener('abort', onAbort);
      sock.close();
      resolve({ data: data.toString() });
    });
    sock.send(Buffer.from(payload), { ip, port });
  });
}
