/**
 * Compiles a Corefile into what the server runs: per port, one chain per server block (plugins in
 * CoreDNS's order), routed by the most specific zone. Compiled once per Corefile text; queries never
 * re-parse. Unknown directives are logged (CoreDNS's wording) and skipped; any other error throws.
 */
import { createHash } from 'node:crypto';
import { chain } from '../chain.js';
import { CorefileError, parseError } from '../corefile/lexer.js';
import { parseCorefile, type ParseOptions } from '../corefile/parse.js';
import type { Next, Plugin } from '../types.js';
import { pluginRank } from './order.js';
import { matchZone, normalizeZone, type ServerSettings, type SetupContext } from './setup.js';
import { setups } from './registry.js';
import type { ForwardOptions } from '../plugins/forward/index.js';

/** One server block on one zone and port. */
export interface ServerConfig {
  zone: string;
  port: number;
  /** The block's plugins in the order they run. */
  plugins: string[];
  run: Next;
}

/** A compiled Corefile. */
export interface CorefileConfig {
  text: string;
  /** Hex SHA512 of the text (the reload plugin logs it). */
  sha512: string;
  /** Port → server blocks. */
  servers: Map<number, ServerConfig[]>;
  settings: ServerSettings;
  /** Log lines for what was skipped (unknown directives). */
  warnings: string[];
  /** False when a block logs every query (the handler then never answers from its reply cache). */
  reuse: boolean;
}

/** What compiling needs besides the text. */
export type CompileDeps = Omit<SetupContext, 'zones' | 'port' | 'settings'> & Pick<ParseOptions, 'file' | 'env'> & {
  /** How `forward . /etc/resolv.conf` asks the host's resolver. */
  upstream?: ForwardOptions;
};

/** Parses a server block key `[dns://]zone[:port]`. */
export function parseKey(key: string, file: string, line: number): { zone: string; port: number } {
  let k = key;
  const scheme = /^([a-z]+):\/\//.exec(k);
  if (scheme) {
    if (scheme[1] !== 'dns') throw parseError(file, line, `unsupported scheme "${scheme[1]}" (knet serves dns:// only)`);
    k = k.slice(scheme[0].length);
  }
  let zone = k, port = 53;
  const m = /^(.*?):(\w+)$/.exec(k);
  if (m) {
    zone = m[1]!;
    if (!/^\d+$/.test(m[2]!) || Number(m[2]) > 65535) throw parseError(file, line, `invalid port "${m[2]}"`);
    port = Number(m[2]);
  }
  if (zone === '' || zone === '.') return { zone: '', port };
  return { zone: normalizeZone(zone), port };
}

/** Compiles Corefile text; throws CorefileError with CoreDNS's wording. */
export function compileCorefile(text: string, deps: CompileDeps): CorefileConfig {
  const file = deps.file ?? 'Corefile';
  const blocks = parseCorefile(text, { file, env: deps.env, readFile: deps.readFile });
  const servers = new Map<number, ServerConfig[]>();
  const settings: ServerSettings = {};
  const warnings: string[] = [];
  const SETUPS = setups(deps.upstream ?? {});
  let reuse = true;
  for (const b of blocks) {
    const keys = b.keys.map((k) => parseKey(k, file, b.line));
    const byPort = new Map<number, string[]>();
    for (const k of keys) byPort.set(k.port, [...(byPort.get(k.port) ?? []), k.zone]);
    const known = b.directives.filter((d) => {
      if (pluginRank(d.name) !== undefined) return true;
      warnings.push(`[WARNING] ${parseError(d.file, d.line, `Unknown directive '${d.name}'`).message}`);
      return false;
    });
    const ordered = known.map((d, i) => ({ d, i })).sort((a, b2) => (pluginRank(a.d.name)! - pluginRank(b2.d.name)!) || a.i - b2.i).map((x) => x.d);
    if (ordered.some((d) => d.name === 'log')) reuse = false;
    for (const [port, zones] of byPort) {
      const ctx: SetupContext = { ...deps, zones, port, settings };
      const plugins: Plugin[] = [];
      for (const d of ordered) {
        const setup = SETUPS[d.name];
        if (!setup) { warnings.push(`[WARNING] plugin/${d.name}: not supported by knet; ignored`); continue; }
        const p = setup(d, ctx);
        if (p && !plugins[plugins.length - 1]?.absorb?.(p)) plugins.push(p);
      }
      const run = chain(plugins);
      const list = servers.get(port) ?? [];
      for (const zone of zones) {
        if (list.some((s) => s.zone === zone)) throw new CorefileError(`cannot serve dns://${zone ? zone + '.' : '.'}:${port} - it is already defined`);
        list.push({ zone, port, plugins: plugins.map((p) => p.name), run });
      }
      servers.set(port, list);
    }
  }
  return { text, sha512: createHash('sha512').update(text).digest('hex'), servers, settings, warnings, reuse };
}

/** The server block answering a name on a port (the most specific zone), if any. */
export function serverFor(cfg: CorefileConfig, port: number, lname: string): ServerConfig | undefined {
  const list = cfg.servers.get(port);
  if (!list) return undefined;
  const zone = matchZone(lname, list.map((s) => s.zone));
  return zone === undefined ? undefined : list.find((s) => s.zone === zone);
}
