/**
 * Assembles the RouteTable from the served Ingresses, already parsed (oldest first), as ingress-nginx's
 * `createServers`/`getBackendServers` do (notes §2): one server per host merging every Ingress's
 * rules, the oldest keeping a duplicate host/path/pathType, the host's root `/` from its oldest
 * Ingress (its `defaultBackend`, else the controller's 404), host-wide regex mode, canaries attached
 * to their mainline locations, `from-to-www-redirect` servers, and certificates.
 */
import type { Ingress } from '../../api/kinds/ingress.js';
import type { IngressAnnotationConfig } from './annotations/index.js';
import type { Certificate, GlobalConfig, IngressRef, Location, LocationConfig, PathMatch, RouteTable, Server, Upstream } from './model.js';
import { plainMatches, sortLocations } from './paths.js';
import type { BackendRef } from './upstreams.js';

/** An accepted Ingress with its parsed annotations. */
export interface ParsedIngress { ingress: Ingress; ref: IngressRef; anns: IngressAnnotationConfig }

/** What assembling needs besides the Ingresses. */
export interface CompileInput {
  ingresses: readonly ParsedIngress[];
  upstream(ref: BackendRef): Upstream;
  /** The first port of a Service (for `default-backend`). */
  firstPort(namespace: string, service: string): number | undefined;
  certificates: ReadonlyMap<string, Certificate>;
  defaultCertificate: Certificate;
  global: GlobalConfig;
  generation: number;
  /** Regex locations by path (a cache kept across compiles); undefined when the path does not compile. */
  regex(path: string): PathMatch | undefined;
  log(severity: 'I' | 'W' | 'E', message: string, kv?: Record<string, string>): void;
  /** A Warning event on an Ingress (said once per version of it): what the user must know, never silence. */
  warn?(ing: Ingress, reason: string, message: string): void;
}

type PathType = Location['pathType'];
interface RuleLocation { path: string; pathType: PathType; p: ParsedIngress; upstream: Upstream; config: LocationConfig }
interface HostDraft { host: string; first: ParsedIngress; rules: RuleLocation[]; seen: Set<string>; regex: boolean }

type Backend = NonNullable<NonNullable<Ingress['spec']>['defaultBackend']>;

function backendRef(p: ParsedIngress, b: Backend | undefined): BackendRef | undefined {
  const svc = b?.service;
  if (!svc) return undefined;
  return { namespace: p.ref.namespace, service: svc.name, port: svc.port?.number ?? svc.port?.name ?? 80 };
}

/** Servers kept between compiles: a host whose Ingresses, certificate and Services did not change keeps its Server. */
export class ServerCache {
  readonly hosts = new Map<string, CachedServer>();
  /** Services (`namespace/name`) changed since the last compile; the caller fills it, compile empties it. */
  readonly changedServices = new Set<string>();
}
interface CachedServer { members: readonly ParsedIngress[]; certificate: Certificate | undefined; root: CatchAllRoot | undefined; services: ReadonlySet<string>; server: Server; draft: HostDraft }
type CatchAllRoot = { p: ParsedIngress; upstream: Upstream };

/** The hosts of the served Ingresses and the Ingresses naming each (canaries included), in order. */
function group(ingresses: readonly ParsedIngress[]): { hosts: Map<string, ParsedIngress[]>; rootless: ParsedIngress[] } {
  const hosts = new Map<string, ParsedIngress[]>();
  const rootless: ParsedIngress[] = [];
  for (const p of ingresses) {
    const rules = p.ingress.spec?.rules ?? [];
    if (!rules.length && !p.anns.canary) rootless.push(p);
    for (const rule of rules) {
      const host = (rule.host ?? '').toLowerCase() || '_';
      const list = hosts.get(host);
      if (!list) hosts.set(host, [p]);
      else if (list[list.length - 1] !== p) list.push(p);
    }
  }
  return { hosts, rootless };
}

const sameList = (a: readonly unknown[], b: readonly unknown[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/** Builds a new RouteTable, reusing the cached Server of every unchanged host. */
export function compileTable(input: CompileInput, cache = new ServerCache()): RouteTable {
  const { hosts: members, rootless } = group(input.ingresses);
  let catchAllRoot: CatchAllRoot | undefined;
  for (const p of rootless) {
    const ref = backendRef(p, p.ingress.spec?.defaultBackend);
    if (ref) { catchAllRoot = { p, upstream: input.upstream(ref) }; break; }
  }
  const servers = new Map<string, Server>();
  const wildcards = new Map<string, Server>();
  const drafts = new Map<string, HostDraft>();
  let catchAll: Server = { host: '_', locations: [], regexMode: false };
  const next = new Map<string, CachedServer>();
  for (const [host, list] of members) {
    const certificate = host === '_' ? undefined : input.certificates.get(host);
    const root = host === '_' ? catchAllRoot : undefined;
    let c = cache.hosts.get(host);
    if (!c || !sameList(c.members, list) || c.certificate !== certificate || c.root !== root || [...c.services].some((k) => cache.changedServices.has(k))) {
      const services = new Set<string>();
      const upstream = (ref: BackendRef) => { services.add(`${ref.namespace}/${ref.service}`); return input.upstream(ref); };
      const draft = hostDraft({ ...input, upstream }, host, list);
      if (!draft) continue;
      c = { members: list, certificate, root, services, draft, server: buildServer({ ...input, upstream }, draft, certificate, root) };
    }
    next.set(host, c);
    drafts.set(host, c.draft);
    if (host === '_') catchAll = c.server;
    else if (host.startsWith('*.')) wildcards.set(host.slice(2), c.server);
    else servers.set(host, c.server);
  }
  if (!members.has('_') && catchAllRoot) catchAll = buildServer(input, { host: '_', first: catchAllRoot.p, rules: [], seen: new Set(), regex: false }, undefined, catchAllRoot);
  cache.hosts.clear();
  for (const [h, c] of next) cache.hosts.set(h, c);
  cache.changedServices.clear();
  addWwwRedirects(drafts, servers);
  return { servers, wildcards, catchAll, defaultCertificate: input.defaultCertificate, global: input.global, generation: input.generation };
}

/** One host's rules from its Ingresses (oldest first), canaries attached; undefined when only canaries name it. */
function hostDraft(input: CompileInput, host: string, list: readonly ParsedIngress[]): HostDraft | undefined {
  const configOf = (p: ParsedIngress, path: string): LocationConfig => {
    const c: LocationConfig = { ...p.anns.location };
    if (c.rewriteTarget === path) delete c.rewriteTarget;
    const dbs = p.anns.defaultBackendService;
    if (dbs) c.defaultBackend = input.upstream({ namespace: p.ref.namespace, service: dbs, port: input.firstPort(p.ref.namespace, dbs) ?? 80 });
    return c;
  };
  let h: HostDraft | undefined;
  for (const p of list) {
    if (p.anns.canary) continue;
    h ??= { host, first: p, rules: [], seen: new Set(), regex: false };
    for (const rule of p.ingress.spec?.rules ?? []) {
      if (((rule.host ?? '').toLowerCase() || '_') !== host) continue;
      for (const hp of rule.http?.paths ?? []) {
        const path = hp.path || '/';
        const key = `${path} ${hp.pathType}`;
        const ref = backendRef(p, hp.backend);
        if (!ref) {
          input.log('W', 'Ignoring path: only Service backends are supported', { ingress: `${p.ref.namespace}/${p.ref.name}`, path });
          input.warn?.(p.ingress, 'UnsupportedBackend', `path ${path}: only Service backends are supported; the path is not served`);
          continue;
        }
        if (h.seen.has(key)) continue; // the oldest Ingress keeps an exact duplicate
        h.seen.add(key);
        const config = configOf(p, path);
        h.rules.push({ path, pathType: hp.pathType as PathType, p, upstream: input.upstream(ref), config });
        if (p.anns.useRegex || config.rewriteTarget !== undefined) h.regex = true;
      }
    }
  }
  if (h) attachCanaries(input, h, list);
  return h;
}

function attachCanaries(input: CompileInput, h: HostDraft, list: readonly ParsedIngress[]): void {
  for (const p of list) {
    const spec = p.anns.canary;
    if (!spec) continue;
    for (const rule of p.ingress.spec?.rules ?? []) {
      if (((rule.host ?? '').toLowerCase() || '_') !== h.host) continue;
      for (const hp of rule.http?.paths ?? []) {
        const ref = backendRef(p, hp.backend);
        const main = h.rules.find((r) => r.path === (hp.path || '/') && r.pathType === hp.pathType);
        if (!ref || !main) { input.log('W', `unable to find real backend for alternative backend ${p.ref.namespace}-${ref?.service ?? ''}-${ref?.port ?? ''}. Deleting.`); continue; }
        if (main.config.canary) continue; // at most one canary per rule: the oldest
        main.config = { ...main.config, canary: { ...spec, upstream: input.upstream(ref), ingress: p.ref } };
      }
    }
  }
}

function buildServer(input: CompileInput, h: HostDraft, certificate: Certificate | undefined, root: { p: ParsedIngress; upstream: Upstream } | undefined): Server {
  const exactPaths = new Set(h.rules.filter((r) => r.pathType === 'Exact').map((r) => r.path));
  const locations: Location[] = [];
  const add = (r: Omit<RuleLocation, 'upstream'> & { upstream?: Upstream }, m: PathMatch) => {
    const match = h.regex ? input.regex(m.path) : m;
    if (!match) {
      // re2js (linear time) has no lookaround or backreferences: such a PCRE path cannot be served.
      input.log('E', `invalid regular expression in path ${m.path}: location ignored`, { ingress: `${r.p.ref.namespace}/${r.p.ref.name}` });
      input.warn?.(r.p.ingress, 'InvalidPath', `path ${m.path} is not a regular expression knet can run (RE2 syntax: no lookaround or backreferences); the path is not served`);
      return;
    }
    locations.push({ match, path: r.path, pathType: r.pathType, ingress: r.p.ref, ...(r.upstream ? { upstream: r.upstream } : {}), config: r.config });
  };
  for (const r of h.rules) for (const m of plainMatches(r.path, r.pathType, exactPaths)) add(r, m);
  if (!h.rules.some((r) => r.path === '/' && r.pathType !== 'Exact')) {
    // The server's root location: the oldest Ingress's settings, its defaultBackend or the controller's 404.
    const first = root?.p ?? h.first;
    const ref = root ? undefined : backendRef(first, first.ingress.spec?.defaultBackend);
    const upstream = root?.upstream ?? (ref ? input.upstream(ref) : undefined);
    add({ path: '/', pathType: 'Prefix', p: first, config: { ...first.anns.location }, ...(upstream ? { upstream } : {}) }, { kind: 'prefix', path: '/' });
  }
  sortLocations(locations);
  if (!h.regex) locations.sort((a, b) => (a.match.kind === 'exact' ? 0 : 1) - (b.match.kind === 'exact' ? 0 : 1));
  return { host: h.host, locations, regexMode: h.regex, ...(certificate ? { certificate } : {}) };
}

function addWwwRedirects(hosts: ReadonlyMap<string, HostDraft>, servers: Map<string, Server>): void {
  for (const h of hosts.values()) {
    if (h.host === '_' || h.host.startsWith('*.')) continue;
    if (!h.rules.some((r) => r.p.anns.fromToWwwRedirect) && !h.first.anns.fromToWwwRedirect) continue;
    const other = h.host.startsWith('www.') ? h.host.slice(4) : `www.${h.host}`;
    if (hosts.has(other) || servers.has(other)) continue; // another Ingress owns the other name
    servers.set(other, { host: other, locations: [], regexMode: false, redirectTo: h.host });
  }
}
