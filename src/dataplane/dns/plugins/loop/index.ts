/** The loop plugin: CoreDNS sends itself a probe to detect forwarding loops; knet's upstream is the host's resolver, so there is no loop to find. */
import { argErr, type Setup } from '../../config/setup.js';

/** `loop` (no arguments). */
export const setup: Setup = (d) => {
  if (d.args.length || d.block.length) throw argErr('loop', d);
  return undefined;
};
