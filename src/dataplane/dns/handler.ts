/**
 * The DNS handler: wire bytes in, wire bytes out. Parses the query, runs the plugin chain and
 * encodes the reply; cluster answers are kept by their exact query bytes (after the ID) until the
 * cluster changes, so repeated queries skip parsing and the chain.
 */
import { chain } from './chain.js';
import { encodeReply, headerReply, parseQuery } from './wire.js';
import type { DnsReply, DnsRequest, Plugin } from './types.js';

/** A transport-independent DNS server. */
export interface DnsHandler {
  /** Answers a query; resolves to undefined when it must be dropped. Never rejects. */
  handle(query: Buffer, transport: 'udp' | 'tcp', client?: string): Promise<Buffer | undefined>;
  /** The cached reply for exactly these query bytes, if any (synchronous fast path). */
  cached(query: Buffer, transport: 'udp' | 'tcp'): Buffer | undefined;
  /** Whether the cluster data has been listed (before that, cluster names get SERVFAIL). */
  synced(): boolean;
}

/** What the handler needs. */
export interface HandlerOptions {
  plugins: Plugin[];
  synced: () => boolean;
  /** Changes whenever cached answers may be stale (the cluster cache generation). */
  generation: () => number;
  /** Maximum cached replies (default 20,000). */
  cacheSize?: number;
}

/** Builds a handler over a plugin chain. */
export function createHandler(o: HandlerOptions): DnsHandler {
  const run = chain(o.plugins);
  const cache = new Map<string, Buffer>();
  const max = o.cacheSize ?? 20_000;
  let gen = o.generation();
  let wasSynced = o.synced();

  const request = (name: string, type: string, transport: 'udp' | 'tcp', depth: number, client?: string): DnsRequest => {
    const n = name.replace(/\.$/, '');
    return {
      name: n, lname: n.toLowerCase(), type, transport, depth, client,
      resolve: (next, t) => run(request(next, t, transport, depth + 1, client)),
    };
  };

  const key = (query: Buffer, transport: string): string => transport + query.toString('latin1', 2);

  const fresh = (): void => {
    const g = o.generation(), s = o.synced();
    if (g !== gen || s !== wasSynced) {
      cache.clear();
      gen = g;
      wasSynced = s;
    }
  };

  return {
    synced: o.synced,
    cached(query, transport) {
      if (query.length < 12) return undefined;
      fresh();
      const hit = cache.get(key(query, transport));
      if (!hit) return undefined;
      const out = Buffer.from(hit);
      out[0] = query[0] ?? 0;
      out[1] = query[1] ?? 0;
      return out;
    },
    async handle(query, transport, client) {
      try {
        const parsed = parseQuery(query);
        if ('drop' in parsed) return undefined;
        if ('reply' in parsed) return parsed.reply;
        const { question } = parsed.query;
        let reply: DnsReply;
        if (question.class !== 'IN') reply = { rcode: 'REFUSED', answers: [] };
        else {
          const g = o.generation();
          reply = await run(request(question.name, question.type, transport, 0, client));
          if (reply.cacheable && reply.rcode !== 'SERVFAIL' && g === o.generation()) {
            const out = encodeReply(parsed.query, reply, transport);
            fresh();
            if (cache.size >= max) cache.clear();
            cache.set(key(query, transport), out);
            return out;
          }
        }
        return encodeReply(parsed.query, reply, transport);
      } catch {
        return query.length >= 12 ? headerReply(query, 'SERVFAIL') : undefined;
      }
    },
  };
}
