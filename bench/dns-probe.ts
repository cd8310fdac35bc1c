/** A tiny DNS client for benchmarks: asks 127.0.0.1:<port> for an A record until the expected address comes back. */
import dgram from 'node:dgram';
import dnsPacket from 'dns-packet';

/** Milliseconds from t0 until `name` resolves to `ip` at the DNS server on 127.0.0.1:port (gives up after 5 s). */
export async function firstDnsAnswer(port: number, name: string, ip: string, t0: number): Promise<number> {
  const sock = dgram.createSocket('udp4');
  try {
    for (let id = 1; performance.now() - t0 < 5000; id = (id % 65535) + 1) {
      const q = dnsPacket.encode({ type: 'query', id, flags: dnsPacket.RECURSION_DESIRED, questions: [{ type: 'A', name }] });
      const reply = new Promise<Buffer | undefined>((resolve) => {
        const timer = setTimeout(() => { sock.off('message', on); resolve(undefined); }, 50);
        const on = (m: Buffer) => { clearTimeout(timer); sock.off('message', on); resolve(m); };
        sock.on('message', on);
      });
      sock.send(q, port, '127.0.0.1');
      const m = await reply;
      if (m) {
        const r = dnsPacket.decode(m);
        if ((r.answers ?? []).some((a) => a.type === 'A' && a.data === ip)) return performance.now() - t0;
      }
      await new Promise((r) => setImmediate(r));
    }
    return NaN;
  } finally {
    sock.close();
  }
}
