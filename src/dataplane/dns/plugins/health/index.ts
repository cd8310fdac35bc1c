/** The health plugin: `/health` on ADDRESS (default :8080) and the lameduck delay at shutdown (the coredns image serves both). */
import { argErr, durationArg, lineErr, unknownProperty, type Setup } from '../../config/setup.js';
import type { Directive } from '../../corefile/parse.js';

/** The port of an `[HOST]:PORT` address argument, or the default. */
export function addressPort(plugin: string, d: Directive, addr: string | undefined, dflt: number): number {
  if (addr === undefined) return dflt;
  const m = /^(?:[\w.-]*|\[[0-9a-f:]+\]):(\d+)$/i.exec(addr);
  if (!m || Number(m[1]) > 65535) throw lineErr(plugin, d, `address ${addr}: missing port in address`);
  return Number(m[1]);
}

/** `health [ADDRESS] { lameduck DURATION }`. */
export const setup: Setup = (d, ctx) => {
  if (d.args.length > 1) throw argErr('health', d);
  let lameduckMs = 0;
  for (const o of d.block) {
    if (o.name !== 'lameduck') throw unknownProperty('health', o);
    if (o.args.length !== 1) throw argErr('health', o);
    lameduckMs = durationArg('health', o, o.args[0]!);
  }
  ctx.settings.health = { port: addressPort('health', d, d.args[0], 8080), lameduckMs };
  return undefined;
};
