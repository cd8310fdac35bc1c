/**
 * What the middleware of one running ingress server shares: its listeners' ports, its random and
 * clock sources, its logs, and per-server state (limits, balancers, request ids, upstream pools).
 */
import type { NetStack } from '../../../net/types.js';
import type { Location, RouteTable } from '../model.js';
import type { Exchange } from './exchange.js';

/** A step of the request pipeline: answers (returns true) or lets the request go on (false). */
export type Step = (ex: Exchange, ctx: ProxyContext) => boolean;

/** Shared services of one ingress server. */
export interface ProxyContext {
  readonly net: NetStack;
  readonly httpPort: number;
  readonly httpsPort: number;
  readonly random: () => number;
  readonly now: () => number;
  errorLog(line: string): void;
}

/** Every location of a table (exact and wildcard servers, then the catch-all). */
export function* tableLocations(t: RouteTable): Iterable<Location> {
  for (const s of t.servers.values()) yield* s.locations;
  for (const s of t.wildcards.values()) yield* s.locations;
  yield* t.catchAll.locations;
}
