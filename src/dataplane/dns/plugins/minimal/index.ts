/**
 * The minimal plugin (CoreDNS plugin/minimal): a NOERROR reply that has answers (not a referral, not
 * NODATA, not an error) goes out with its answer section only: authority and additional records are
 * dropped (the EDNS OPT record, added when the reply is encoded, stays). Also `parseOnly` for plugins
 * knet accepts and does not act on (`any`).
 */
import { argErr, type Setup } from '../../config/setup.js';
import type { DnsReply, Plugin } from '../../types.js';

/** A setup for a plugin that takes no arguments and changes nothing in knet. */
export function parseOnly(name: string): Setup {
  return (d) => {
    if (d.args.length || d.block.length) throw argErr(name, d);
    return undefined;
  };
}

/** Drops authority and additional records of a successful answer (CoreDNS response.Typify: NoError). */
export function minimize(r: DnsReply): DnsReply {
  if (r.rcode !== 'NOERROR' || r.answers.length === 0) return r;
  return { ...r, authorities: [], additionals: (r.additionals ?? []).filter((a) => a.type === 'OPT') };
}

/** Creates the minimal plugin. */
export function minimalPlugin(): Plugin {
  return { name: 'minimal', serve: async (req, next) => minimize(await next(req)) };
}

/** `minimal` (no arguments). */
export const setup: Setup = (d) => {
  if (d.args.length || d.block.length) throw argErr('minimal', d);
  return minimalPlugin();
};
