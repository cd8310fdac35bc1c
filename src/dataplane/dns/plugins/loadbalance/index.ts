/**
 * The loadbalance plugin (round_robin): shuffles the A and AAAA records of each answer, CNAMEs and
 * other records first in their order, so clients spread over a headless Service's endpoints.
 */
import type { Answer } from 'dns-packet';
import { argErr, lineErr, type Setup } from '../../config/setup.js';
import type { Plugin } from '../../types.js';

/** Shuffles the address records of a section (Fisher–Yates); other records keep their place in front. */
export function shuffleAddresses(rrs: Answer[], random: () => number): Answer[] {
  const addr = rrs.filter((r) => r.type === 'A' || r.type === 'AAAA');
  if (addr.length < 2) return rrs;
  for (let i = addr.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [addr[i], addr[j]] = [addr[j]!, addr[i]!];
  }
  return [...rrs.filter((r) => r.type !== 'A' && r.type !== 'AAAA'), ...addr];
}

/** Creates the loadbalance plugin; shuffled replies are not reused byte for byte. */
export function loadbalancePlugin(random: () => number): Plugin {
  return {
    name: 'loadbalance',
    async serve(req, next) {
      const r = await next(req);
      const answers = shuffleAddresses(r.answers, random);
      return answers === r.answers ? r : { ...r, answers, additionals: r.additionals && shuffleAddresses(r.additionals, random), cacheable: false };
    },
  };
}

/** `loadbalance [round_robin]`. */
export const setup: Setup = (d, ctx) => {
  if (d.args.length > 1 || d.block.length) throw argErr('loadbalance', d);
  if (d.args[0] !== undefined && d.args[0] !== 'round_robin') throw lineErr('loadbalance', d, `unknown policy: ${d.args[0]}`);
  return loadbalancePlugin(ctx.random);
};
