/** Test helpers for the DNS server: a fixture cluster, a fake upstream resolver on loopback and query helpers. */
import dgram from 'node:dgram';
import { once } from 'node:events';
import dnsPacket from 'dns-packet';
import type { Answer } from 'dns-packet';
import type { KObject } from '../../api/meta.js';
import { LABEL_SERVICE_NAME } from '../../api/wellknown.js';
import { FakeWatchSource } from '../../client/fake-source.js';
import { ClusterView } from '../../client/view.js';
import { ClusterCache } from './plugins/kubernetes/cache.js';
import { kubernetesPlugin } from './plugins/kubernetes/index.js';
import { forwardPlugin } from './plugins/forward/index.js';
import { errorsPlugin } from './plugins/errors/index.js';
import { createHandler, type DnsHandler, type Routes } from './handler.js';
import { compileCorefile, serverFor, type CorefileConfig } from './config/compile.js';

/** A Service object with just a namespace, name and spec. */
export const svc = (ns: string, name: string, spec: Record<string, unknown>): KObject => ({ metadata: { namespace: ns, name }, spec } as KObject);

/** A slice of service `svc` with endpoints `[ip, hostname?, ready?]`. */
export function slice(ns: string, svcName: string, name: string, eps: [string, string?, boolean?][], ports = [{ name: 'http', port: 8080, protocol: 'TCP' }]): KObject {
  return {
    metadata: { namespace: ns, name, labels: { [LABEL_SERVICE_NAME]: svcName } }, addressType: 'IPv4', ports,
    endpoints: eps.map(([ip, hostname, ready]) => ({ addresses: [ip], ...(hostname ? { hostname } : {}), conditions: { ready: ready ?? true } })),
  } as unknown as KObject;
}

/** The fixture cluster of the handler tests: the DNS cache over a view of a fake API that tests may change. */
export function fixture(): { cache: ClusterCache; api: FakeWatchSource } {
  const api = new FakeWatchSource();
  for (const ns of ['default', 'kube-system', 'dns-a']) api.put('namespaces', { metadata: { name: ns } });
  const service = (o: KObject) => api.put('services', o);
  service(svc('default', 'kubernetes', { clusterIP: '10.96.0.1', clusterIPs: ['10.96.0.1'], ports: [{ name: 'https', port: 443, protocol: 'TCP' }] }));
  service(svc('kube-system', 'kube-dns', { clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'], ports: [
    { name: 'dns', port: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53, protocol: 'TCP' }, { name: 'metrics', port: 9153, protocol: 'TCP' }] }));
  service(svc('dns-a', 'web', { clusterIP: '10.96.5.5', clusterIPs: ['10.96.5.5'], ports: [{ name: 'http', port: 80, protocol: 'TCP' }, { name: 'metrics', port: 9090, protocol: 'TCP' }] }));
  service(svc('dns-a', 'noeps', { clusterIP: '10.96.5.6', clusterIPs: ['10.96.5.6'], ports: [{ port: 80, protocol: 'TCP' }] }));
  service(svc('dns-a', 'hl', { clusterIP: 'None', clusterIPs: ['None'], ports: [{ name: 'http', port: 80, protocol: 'TCP' }] }));
  service(svc('dns-a', 'hl-empty', { clusterIP: 'None', clusterIPs: ['None'], ports: [{ name: 'http', port: 80, protocol: 'TCP' }] }));
  service(svc('dns-a', 'ext', { type: 'ExternalName', externalName: 'foo.example.com' }));
  service(svc('dns-a', 'ext-in', { type: 'ExternalName', externalName: 'web.dns-a.svc.cluster.local' }));
  service(svc('dns-a', 'ext-ip', { type: 'ExternalName', externalName: '1.2.3.4' }));
  api.put('endpointslices', slice('dns-a', 'hl', 'hl-abc', [['10.244.1.5', 'web-0'], ['10.244.1.6'], ['10.244.1.7', undefined, false]]));
  api.put('endpointslices', slice('dns-a', 'web', 'web-abc', [['10.244.1.8']]));
  api.put('pods', { metadata: { namespace: 'dns-a', name: 'lone', uid: 'u1' }, status: { podIP: '10.244.2.9' } } as KObject);
  return { cache: new ClusterCache(new ClusterView(api)), api };
}

/** The fixture cluster's DNS cache. */
export function fixtureCache(): ClusterCache {
  return fixture().cache;
}

/** A fake upstream DNS server on 127.0.0.1 answering from a table (`name TYPE` → answers, or an rcode). */
export async function fakeUpstream(table: Record<string, Answer[] | 'NXDOMAIN'>): Promise<{ server: string; close(): void }> {
  const sock = dgram.createSocket('udp4');
  sock.on('message', (msg, r) => {
    const q = dnsPacket.decode(msg);
    const question = q.questions?.[0];
    const hit = question ? table[`${question.name.toLowerCase()} ${question.type}`] : undefined;
    const rcode = hit === 'NXDOMAIN' ? 3 : 0;
    const answers = Array.isArray(hit) ? hit.map((a) => ({ ...a, name: question?.name ?? '' })) : [];
    sock.send(dnsPacket.encode({ id: q.id, type: 'response', flags: 0x0180 | rcode, questions: q.questions, answers } as dnsPacket.Packet), r.port, r.address);
  });
  sock.bind(0, '127.0.0.1');
  await once(sock, 'listening');
  return { server: `127.0.0.1:${sock.address().port}`, close: () => sock.close() };
}

/** A handler over a cache with the errors → kubernetes → forward chain. */
export function testHandler(cache: ClusterCache, upstream: string, synced = () => true): DnsHandler {
  const plugins = [errorsPlugin(), kubernetesPlugin({ cache, synced }), forwardPlugin({ servers: [upstream], timeoutMs: 200, deadlineMs: 600 })];
  return createHandler({ plugins, synced, generation: () => cache.generation });
}

/** Encodes a query (with EDNS0 when `edns` is a size). */
export function query(name: string, type: string, opts: { id?: number; edns?: number } = {}): Buffer {
  const additionals = opts.edns ? [{ type: 'OPT', name: '.', udpPayloadSize: opts.edns, flags: 0, options: [] }] : [];
  return dnsPacket.encode({ id: opts.id ?? 4242, type: 'query', flags: dnsPacket.RECURSION_DESIRED, questions: [{ name, type, class: 'IN' }], additionals } as unknown as dnsPacket.Packet);
}

/** One answer as text: `TYPE data` (SRV `prio weight port target`, SOA `mname`). */
export function rr(a: Answer): string {
  const d = (a as { data?: unknown }).data;
  if (a.type === 'SRV') { const s = d as dnsPacket.SrvData; return `SRV ${s.priority} ${s.weight} ${s.port} ${s.target}`; }
  if (a.type === 'SOA') return `SOA ${(d as dnsPacket.SoaData).mname}`;
  if (a.type === 'TXT') return `TXT ${(d as Buffer[]).map((b) => b.toString()).join(' ')}`;
  return `${a.type} ${String(d)}`;
}

/** A decoded reply with its rcode. */
export type Reply = dnsPacket.DecodedPacket & { rcode: string };

/** Decodes a reply (throws when there is none). */
export function decodeReply(b: Buffer | undefined): Reply {
  if (!b) throw new Error('no reply');
  return dnsPacket.decode(b) as Reply;
}

/** Sends one query over a connected stream with the 2-byte length prefix of DNS over TCP; resolves with the reply message. */
export async function exchangeOverStream(c: import('node:stream').Duplex, q: Buffer): Promise<Buffer> {
  const len = Buffer.alloc(2);
  len.writeUInt16BE(q.length);
  c.write(Buffer.concat([len, q]));
  let buf = Buffer.alloc(0);
  for await (const d of c) {
    buf = Buffer.concat([buf, d as Buffer]);
    if (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) break;
  }
  c.destroy();
  return buf.subarray(2, 2 + buf.readUInt16BE(0));
}

/** What a Corefile test compiles against. */
export interface CorefileTestOptions {
  cache?: ClusterCache;
  files?: Record<string, string>;
  /** The host resolver `forward . /etc/resolv.conf` asks (a fake upstream). */
  upstream?: string;
  now?: () => number;
  random?: () => number;
  log?: (line: string) => void;
  port?: number;
}

/** A Corefile compiled over the fixture cluster, with a handler and a one-call query helper. */
export function corefileHandler(text: string, o: CorefileTestOptions = {}): { config: CorefileConfig; handler: DnsHandler; ask(name: string, type?: string): Promise<Reply> } {
  const cache = o.cache ?? fixtureCache();
  const config = compileCorefile(text, {
    cache, synced: () => true, cidrs: ['10.96.0.0/12', '10.244.0.0/16'], readFile: (p) => o.files?.[p], log: o.log ?? (() => undefined),
    now: o.now ?? (() => Date.now()), random: o.random ?? Math.random, upstream: o.upstream ? { servers: [o.upstream], timeoutMs: 200, deadlineMs: 600 } : { servers: [] },
  });
  const port = o.port ?? 53;
  const routes: Routes = { generation: 1, reuse: config.reuse, route: (n) => serverFor(config, port, n)?.run };
  const handler = createHandler({ routes: () => routes, synced: () => true, generation: () => cache.generation });
  return { config, handler, ask: async (name, type = 'A') => decodeReply(await handler.handle(query(name, type), 'udp', '10.244.0.9:5353')) };
}
