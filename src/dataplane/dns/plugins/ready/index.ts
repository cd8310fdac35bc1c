/** The ready plugin: `/ready` on ADDRESS (default :8181), 200 once the plugins that report readiness (kubernetes) are ready. */
import { argErr, type Setup } from '../../config/setup.js';
import { addressPort } from '../health/index.js';

/** `ready [ADDRESS]`. */
export const setup: Setup = (d, ctx) => {
  if (d.args.length > 1 || d.block.length) throw argErr('ready', d);
  ctx.settings.ready = { port: addressPort('ready', d, d.args[0], 8181) };
  return undefined;
};
