/**
 * Types shared by the cluster DNS server: a request as the plugin chain sees it, the reply a plugin
 * produces, and the plugin interface (CoreDNS-like: each plugin answers or hands over to the next).
 */
import type { Answer } from 'dns-packet';
import type { NetStack } from '../../net/types.js';

/** Response codes the server produces. */
export type Rcode = 'NOERROR' | 'FORMERR' | 'SERVFAIL' | 'NXDOMAIN' | 'NOTIMP' | 'REFUSED';

/** One DNS question in the server's terms. */
export interface DnsRequest {
  /** The query name as sent, without the trailing dot (answers echo it). */
  name: string;
  /** Lower-cased name, without the trailing dot. */
  lname: string;
  /** Record type (`A`, `SRV`, … or `UNKNOWN_n`). */
  type: string;
  transport: 'udp' | 'tcp';
  /** Who asked, when known (`ip:port`). */
  client?: string;
  /** How many CNAME chases led here (0 for a client's query). */
  depth: number;
  /** Resolves another name through the whole chain (ExternalName chasing). */
  resolve(name: string, type: string): Promise<DnsReply>;
  /** The query's message id, wire size and EDNS0 buffer size (the log plugin prints them). */
  id?: number;
  size?: number;
  bufsize?: number;
  /** Where this query's log lines go (the serving coredns pod's stdout; absent: the cluster's log). */
  log?: (line: string) => void;
  /** The serving pod's network stack: upstreams on the virtual network are asked from it. */
  net?: NetStack;
}

/** What a plugin answers. */
export interface DnsReply {
  rcode: Rcode;
  /** Authoritative answer (cluster zones). */
  authoritative?: boolean;
  answers: Answer[];
  authorities?: Answer[];
  additionals?: Answer[];
  /** False when the reply must not be reused for the same query bytes (upstream answers, failures). */
  cacheable?: boolean;
}

/** Calls the rest of the chain. */
export type Next = (req: DnsRequest) => Promise<DnsReply>;

/** One link of the chain. */
export interface Plugin {
  readonly name: string;
  serve(req: DnsRequest, next: Next): Promise<DnsReply>;
  /** Takes over a later instance of the same plugin in one server block (CoreDNS runs all `rewrite` rules in one plugin). */
  absorb?(later: Plugin): boolean;
}

/** A reply carrying only a response code. */
export function rcodeReply(rcode: Rcode, cacheable = false): DnsReply {
  return { rcode, answers: [], cacheable };
}

/** A record's TTL (0 when it has none, e.g. OPT). */
export function ttlOf(a: Answer): number {
  return (a as { ttl?: number }).ttl ?? 0;
}
