/**
 * The reload plugin's settings: how often the coredns image checks its Corefile for changes
 * (`reload [INTERVAL] [JITTER]`, default 30s and 15s; the interval is at least 2s, the jitter at
 * least 1s and at most half the interval, as CoreDNS enforces).
 */
import { argErr, durationArg, pluginError, type Setup } from '../../config/setup.js';

/** CoreDNS's defaults. */
export const DEFAULT_RELOAD = { intervalMs: 30_000, jitterMs: 15_000 };

/** `reload [INTERVAL] [JITTER]`. */
export const setup: Setup = (d, ctx) => {
  if (d.args.length > 2 || d.block.length) throw argErr('reload', d);
  const intervalMs = d.args[0] !== undefined ? durationArg('reload', d, d.args[0]) : DEFAULT_RELOAD.intervalMs;
  let jitterMs = d.args[1] !== undefined ? durationArg('reload', d, d.args[1]) : DEFAULT_RELOAD.jitterMs;
  if (intervalMs < 2000) throw pluginError('reload', 'interval value must be greater or equal to 2s');
  if (jitterMs < 1000) throw pluginError('reload', 'jitter value must be greater or equal to 1s');
  if (jitterMs > intervalMs / 2) jitterMs = intervalMs / 2;
  ctx.settings.reload = { intervalMs, jitterMs };
  return undefined;
};
