/** Plugins knet accepts and does not act on (`minimal`, `any`): their syntax is checked, answers are unchanged. */
import { argErr, type Setup } from '../../config/setup.js';

/** A setup for a plugin that takes no arguments and changes nothing in knet. */
export function parseOnly(name: string): Setup {
  return (d) => {
    if (d.args.length || d.block.length) throw argErr(name, d);
    return undefined;
  };
}
