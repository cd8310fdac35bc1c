/** The prometheus plugin: `/metrics` on ADDRESS (default localhost:9153), served by the coredns image. */
import { argErr, type Setup } from '../../config/setup.js';
import { addressPort } from '../health/index.js';

/** `prometheus [ADDRESS]`. */
export const setup: Setup = (d, ctx) => {
  if (d.args.length > 1 || d.block.length) throw argErr('prometheus', d);
  ctx.settings.prometheus = { port: addressPort('prometheus', d, d.args[0], 9153) };
  return undefined;
};
