/**
 * The DNS handler: wire bytes in, wire bytes out. Parses the query, runs the plugin chain and
 * encodes the reply; cluster answers are kept by their exact query bytes (after the ID) until the
 * cluster changes, so repeated queries skip parsing and the chain.
 */
import { chain } from './chain.js';
import { encodeReply, headerReply, parseQuery } from './wire.js';
import type { NetStack } from '../../net/types.js';
import type { DnsReply, DnsRequest, Next, Plugin } from './types.js';

/** Where a query came in: the serving pod's log sink and network stack. */
export interface QueryContext {
  log?: (line: string) => void;
  net?: NetStack;
}

/** The chains a handler answers with: per name, the server block serving it (a Corefile generation). */
export interface Routes {
  /** The chain for a name (lower case), undefined when no server block's zone holds it (REFUSED). */
  route(lname: string): Next | undefined;
  /** Changes with the configuration (reused replies are dropped). */
  generation: number;
  /** False when every query must run the chain (a `log` plugin). */
  reuse: boolean;
}

/** A transport-independent DNS server. */
export interface DnsHandler {
  /** Answers a query; resolves to undefined when it must be dropped. Never rejects. */
  handle(query: Buffer, transport: 'udp' | 'tcp', client?: string, via?: QueryContext): Promise<Buffer | undefined>;
  /** The cached reply for exactly these query bytes, if any (synchronous fast path). */
  cached(query: Buffer, transport: 'udp' | 'tcp'): Buffer | undefined;
  /** Whether the cluster data has been listed (before that, cluster names get SERVFAIL). */
  synced(): boolean;
}

/** What the handler needs: a fixed plugin chain, or the current routes of a Corefile. */
export interface HandlerOptions {
  plugins?: Plugin[];
  routes?: () => Routes;
  synced: () => boolean;
  /** Changes whenever cached answers may be stale (the cluster cache generation). */
  generation: () => number;
  /** Maximum cached replies (default 20,000). */
  cacheSize?: number;
}

/** Builds a handler over a plugin chain. */
export function createHandler(o: HandlerOptions): DnsHandler {
  const fixed: Routes = { route: ((run: Next) => () => run)(chain(o.plugins ?? [])), generation: 0, reuse: true };
  const routes = o.routes ?? (() => fixed);
  const cache = new Map<string, Buffer>();
  const max = o.cacheSize ?? 20_000;
  let gen = o.generation();
  let cfgGen = routes().generation;
  let wasSynced = o.synced();

  const refused: Next = async () => ({ rcode: 'REFUSED', answers: [] });
  const run = (req: DnsRequest): Promise<DnsReply> => (routes().route(req.lname) ?? refused)(req);
  const request = (name: string, type: string, transport: 'udp' | 'tcp', depth: number, client?: string, via?: QueryContext): DnsRequest => {
    const n = name.replace(/\.$/, '');
    return {
      name: n, lname: n.toLowerCase(), type, transport, depth, client, log: via?.log, net: via?.net,
      resolve: (next, t) => run(request(next, t, transport, depth + 1, client, via)),
    };
  };

  const key = (query: Buffer, transport: string): string => transport + query.toString('latin1', 2);

  const fresh = (): void => {
    const g = o.generation(), s = o.synced(), c = routes().generation;
    if (g !== gen || s !== wasSynced || c !== cfgGen) {
      cache.clear();
      gen = g;
      wasSynced = s;
      cfgGen = c;
    }
  };

  return {
    synced: o.synced,
    cached(query, transport) {
      if (query.length < 12 || !routes().reuse) return undefined;
      fresh();
      const hit = cache.get(key(query, transport));
      if (!hit) return undefined;
      const out = Buffer.from(hit);
      out[0] = query[0] ?? 0;
      out[1] = query[1] ?? 0;
      return out;
    },
    async handle(query, transport, client, via) {
      try {
        const parsed = parseQuery(query);
        if ('drop' in parsed) return undefined;
        if ('reply' in parsed) return parsed.reply;
        const { question } = parsed.query;
        let reply: DnsReply;
        if (question.class !== 'IN') reply = { rcode: 'REFUSED', answers: [] };
        else {
          const g = o.generation(), rt = routes();
          const req = request(question.name, question.type, transport, 0, client, via);
          req.id = parsed.query.id;
          req.size = query.length;
          req.bufsize = parsed.query.edns;
          reply = await run(req);
          if (reply.cacheable && rt.reuse && reply.rcode !== 'SERVFAIL' && g === o.generation() && rt === routes()) {
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
