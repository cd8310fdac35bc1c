/**
 * What a plugin's setup gets from the Corefile compiler (the server block's zones, the cluster's DNS
 * data, the serving pod's files) and the helpers that word setup errors as CoreDNS does.
 */
import { isIP } from 'node:net';
import type { Directive } from '../corefile/parse.js';
import { parseGoDuration } from '../../../images/util/flags.js';
import { CorefileError, parseError } from '../corefile/lexer.js';
import type { ClusterCache } from '../plugins/kubernetes/cache.js';
import type { Plugin } from '../types.js';

/** Settings of the plugins that configure the coredns process rather than answer queries. */
export interface ServerSettings {
  health?: { port: number; lameduckMs: number };
  ready?: { port: number };
  prometheus?: { port: number };
  reload?: { intervalMs: number; jitterMs: number };
}

/** The compiler's context for one plugin in one server block. */
export interface SetupContext {
  /** The server block's zones (lower case, no trailing dot; `''` is the root). */
  zones: string[];
  port: number;
  /** The cluster's DNS data (the kubernetes plugin's informer cache). */
  cache: ClusterCache;
  synced: () => boolean;
  /** Service and pod CIDRs. */
  cidrs: string[];
  /** Reads a file as the serving coredns pod sees it (hosts files); undefined when absent. */
  readFile: (path: string) => string | undefined;
  /** Falls back here when a query carries no log sink. */
  log: (line: string) => void;
  now: () => number;
  random: () => number;
  /** Process-level settings (health, ready, prometheus, reload) the plugins fill in. */
  settings: ServerSettings;
}

/** A plugin's setup: a chain link, or nothing for plugins that only configure the process. */
export type Setup = (d: Directive, ctx: SetupContext) => Plugin | undefined;

/** `plugin/NAME: MSG` as CoreDNS's plugin.Error words it. */
export function pluginError(name: string, msg: string): CorefileError {
  return new CorefileError(`plugin/${name}: ${msg}`);
}

/** CoreDNS's "Wrong argument count" error at a directive (or option line). */
export function argErr(plugin: string, d: Directive, after = d.name): CorefileError {
  return pluginError(plugin, parseError(d.file, d.line, `Wrong argument count or unexpected line ending after '${after}'`).message);
}

/** A dispenser-style error at a line (`plugin/NAME: FILE:LINE - Error during parsing: MSG`). */
export function lineErr(plugin: string, d: Directive, msg: string): CorefileError {
  return pluginError(plugin, parseError(d.file, d.line, msg).message);
}

/** An unknown option inside a plugin's block. */
export function unknownProperty(plugin: string, d: Directive): CorefileError {
  return lineErr(plugin, d, `unknown property '${d.name}'`);
}

/** A duration argument or CoreDNS-style error. */
export function durationArg(plugin: string, d: Directive, s: string): number {
  const ms = parseGoDuration(s);
  if (ms === undefined || ms < 0) throw pluginError(plugin, `time: invalid duration "${s}"`);
  return ms;
}

/** A non-negative integer argument or a CoreDNS-style error. */
export function intArg(plugin: string, d: Directive, s: string, max = Number.MAX_SAFE_INTEGER): number {
  if (!/^\d+$/.test(s)) throw lineErr(plugin, d, `strconv.Atoi: parsing "${s}": invalid syntax`);
  const n = Number(s);
  if (n > max) throw lineErr(plugin, d, `value ${s} out of range (max ${max})`);
  return n;
}

/** Normalizes a zone name: lower case, no trailing dot, the root as `''`; a CIDR becomes its reverse zone. */
export function normalizeZone(z: string): string {
  const cidr = /^([\d.]+)\/(8|16|24|32)$/.exec(z);
  if (cidr && isIP(cidr[1]!) === 4) {
    const octets = cidr[1]!.split('.').slice(0, Number(cidr[2]) / 8);
    return `${octets.reverse().join('.')}.in-addr.arpa`;
  }
  return z.toLowerCase().replace(/\.$/, '');
}

/** Whether a name (lower case, no trailing dot) is at or below a zone. */
export function inZone(name: string, zone: string): boolean {
  return zone === '' || name === zone || name.endsWith('.' + zone);
}

/** The most specific of zones containing name, or undefined. */
export function matchZone(name: string, zones: readonly string[]): string | undefined {
  let best: string | undefined;
  for (const z of zones) if (inZone(name, z) && (best === undefined || z.length > best.length)) best = z;
  return best;
}

/** The zones a plugin serves: its arguments (normalized), else the server block's. */
export function zonesOr(args: readonly string[], ctx: SetupContext): string[] {
  return args.length ? args.map(normalizeZone) : ctx.zones;
}

/** A `fallthrough [ZONES...]` option: which names pass to the next plugin instead of a negative answer. */
export interface Fall { through(name: string): boolean }

/** No fallthrough. */
export const NO_FALL: Fall = { through: () => false };

/** Builds a Fall from `fallthrough`'s arguments (none: every name). */
export function fallthrough(args: readonly string[]): Fall {
  const zones = args.map(normalizeZone);
  return { through: (name) => zones.length === 0 || zones.some((z) => inZone(name, z)) };
}
