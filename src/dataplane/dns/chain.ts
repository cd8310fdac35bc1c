/** Builds the plugin chain: each plugin gets a `next` that runs the rest; past the end the answer is SERVFAIL. */
import { rcodeReply, type Next, type Plugin } from './types.js';

/** Composes plugins in order into one request function. */
export function chain(plugins: readonly Plugin[]): Next {
  const at = (i: number): Next => {
    const p = plugins[i];
    if (!p) return async () => rcodeReply('SERVFAIL');
    const rest = at(i + 1);
    return (req) => p.serve(req, rest);
  };
  return at(0);
}
