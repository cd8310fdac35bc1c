/**
 * The Ingress controller's routes: subscribes to the cluster view (Ingresses, IngressClasses,
 * Services, EndpointSlices, Secrets, ConfigMaps), coalesces bursts of changes, and swaps in a new
 * immutable RouteTable. Parsing is cached per Ingress version (and per Secret, Service and ConfigMap
 * it reads), so a change recompiles one Ingress and reassembles the table.
 */
import type { Ingress } from '../../api/kinds/ingress.js';
import type { KObject } from '../../api/meta.js';
import { keyOf } from '../../client/informer.js';
import { SLICES_BY_SERVICE, type ClusterView } from '../../client/view.js';
import { sliceService } from '../../client/indexers.js';
import { acceptIngress, type Outcome } from './accept.js';
import { certificateFromSecret, type SecretCertificate } from './certs.js';
import { classVerdict, compareIngresses } from './class.js';
import { ServerCache, compileTable, type ParsedIngress } from './compile.js';
import { controllerConfig, type ControllerConfig } from './configmap.js';
import type { Certificate, PathMatch, RouteSource, RouteTable, Upstream } from './model.js';
import { Notices } from './notices.js';
import { CoalescedSync } from '../coalesce.js';
import { regexMatch } from './paths.js';
import { overlapError } from './overlap.js';
import { selectCertificates } from './tls.js';
import { buildUpstream, firstPort, missingServices, type BackendRef } from './upstreams.js';

/** Options of the routes (CONTRACTS.md §1). */
export interface IngressRoutesOptions {
  view: ClusterView;
  controllerClass: string;
  ingressClass: string;
  watchWithoutClass: boolean;
  configMap?: string;
  defaultCertificate: Certificate;
  /** Controller log lines; the image formats them as klog. */
  log(severity: 'I' | 'W' | 'E', message: string, kv?: Record<string, string>): void;
  /** Events on Ingresses (source component nginx-ingress-controller). */
  event(obj: KObject, type: 'Normal' | 'Warning', reason: string, message: string): void;
}

/** The live routes of one controller. */
export interface IngressRoutes extends RouteSource {
  /** The Ingresses served now (class matches and they compiled), oldest first. */
  served(): readonly Ingress[];
  /** Resolves when every change seen so far is in current(). */
  synced(): Promise<void>;
  /**
   * The validating admission webhook's verdict on an Ingress about to be written (ingress-nginx's
   * CheckIngress): why it is refused, or undefined (accepted, or another controller's).
   */
  check(ing: Ingress): string | undefined;
  stop(): void;
}


/** Starts compiling routes from the view; the first table (empty until the view delivers) is there at once. */
export function startIngressRoutes(o: IngressRoutesOptions): IngressRoutes {
  return new Routes(o);
}

class Routes implements IngressRoutes {
  private table: RouteTable;
  private config: ControllerConfig;
  private servedNow: Ingress[] = [];
  private readonly outcomes = new Map<string, Outcome & { rv: string }>();
  private readonly accepted = new Map<string, ParsedIngress>();
  private readonly certs = new Map<string, { rv: string; value: SecretCertificate | { error: string } }>();
  private readonly upstreams = new Map<string, Map<string, Upstream>>();
  private regexes = new Map<string, PathMatch | undefined>();
  private readonly serverCache = new ServerCache();
  private tlsSecrets = new Set<string>();
  private readonly notices = new Notices();
  /** Each Ingress version's backend Services (for the missing-Service warning). */
  private readonly backends = new WeakMap<Ingress, string[]>();
  private readonly listeners = new Set<(t: RouteTable) => void>();
  private readonly unsubscribe: (() => void)[] = [];
  private readonly syncer = new CoalescedSync(() => this.sync());

  constructor(private readonly o: IngressRoutesOptions) {
    this.config = this.readConfig();
    this.table = this.compile(0);
    const v = o.view;
    const all = <T>(fn: (x: T) => void) => ({ add: fn, update: (a: T, b: T) => { fn(a); fn(b); }, delete: fn });
    this.unsubscribe.push(
      v.ingresses.subscribe(all<Ingress>((i) => { this.outcomes.delete(keyOf(i)); this.schedule(); })),
      v.ingressClasses.subscribe(all(() => this.schedule())),
      v.services.subscribe(all<KObject>((s) => this.serviceChanged(keyOf(s)))),
      v.endpointSlices.subscribe(all((s) => { for (const k of sliceService(s)) this.serviceChanged(k); })),
      v.secrets.subscribe(all<KObject>((s) => this.secretChanged(keyOf(s)))),
      v.configMaps.subscribe(all<KObject>((c) => {
        if (keyOf(c) !== o.configMap) return;
        this.config = this.readConfig();
        this.outcomes.clear();
        this.schedule();
      })),
    );
    this.schedule();
  }

  current(): RouteTable { return this.table; }
  served(): readonly Ingress[] { return this.servedNow; }

  subscribe(onChange: (table: RouteTable) => void): () => void {
    this.listeners.add(onChange);
    return () => this.listeners.delete(onChange);
  }

  synced(): Promise<void> {
    return this.syncer.synced();
  }

  check(ing: Ingress): string | undefined {
    const o = this.o;
    if (ing.metadata.deletionTimestamp) return undefined;
    if (!classVerdict(ing, (name) => o.view.ingressClasses.get('', name), o).served) return undefined;
    const quiet = (): void => undefined;
    const out = acceptIngress(ing, { config: this.config, log: quiet, secret: (ns, name) => o.view.secrets.get(ns, name), once: quiet, event: quiet });
    if ('error' in out) return out.error;
    return overlapError(ing, this.servedNow);
  }

  stop(): void {
    for (const off of this.unsubscribe.splice(0)) off();
    this.syncer.stop();
  }

  private schedule(): void {
    this.syncer.schedule();
  }

  private sync(): void {
    try {
      this.table = this.compile(this.table.generation + 1);
      for (const l of this.listeners) l(this.table);
    } catch (e) {
      this.o.log('E', 'Unexpected failure compiling the Ingress configuration', { error: (e as Error).stack ?? String(e) });
    }
  }

  private serviceChanged(key: string): void {
    if (!this.upstreams.delete(key)) return;
    this.serverCache.changedServices.add(key);
    this.schedule();
  }

  private secretChanged(key: string): void {
    let used = this.certs.delete(key) || this.tlsSecrets.has(key);
    for (const [k, out] of this.outcomes) {
      if (!out.secrets.has(key)) continue;
      this.outcomes.delete(k);
      this.notices.reset(k);
      used = true;
    }
    if (used) this.schedule();
  }

  private readConfig(): ControllerConfig {
    const key = this.o.configMap;
    const cm = key ? this.o.view.configMaps.get(...(key.split('/', 2) as [string, string])) : undefined;
    return controllerConfig(cm?.data, (k, v) => this.o.log('W', `Unexpected value in ConfigMap ${key}: key ${k} contains invalid value ${v}; using the default`));
  }

  private compile(generation: number): RouteTable {
    const o = this.o;
    const served: ParsedIngress[] = [];
    const classes = (name: string) => o.view.ingressClasses.get('', name);
    const ingresses = o.view.ingresses.list();
    if (this.notices.size > ingresses.length) this.notices.prune((k) => !!o.view.ingresses.get(...(k.split('/', 2) as [string, string])));
    for (const ing of ingresses) {
      const key = keyOf(ing);
      const verdict = classVerdict(ing, classes, o);
      if (!verdict.served) {
        this.accepted.delete(key);
        this.notices.once(ing, 'class', () => o.log('I', 'Ignoring ingress because of error while validating ingress class', { ingress: key, error: verdict.error }));
        continue;
      }
      const out = this.outcome(ing);
      if ('parsed' in out) {
        this.accepted.set(key, out.parsed);
        this.notices.once(ing, 'sync', () => {
          o.log('I', 'Found valid IngressClass', { ingress: key, ingressclass: verdict.className });
          o.event(ing, 'Normal', 'Sync', 'Scheduled for sync');
        });
      }
      const p = this.accepted.get(key); // a refused update leaves the last accepted version serving
      if (p) { served.push(p); this.warnMissingServices(ing); }
    }
    for (const k of this.accepted.keys()) if (!o.view.ingresses.get(...(k.split('/', 2) as [string, string]))) this.accepted.delete(k);
    served.sort((a, b) => compareIngresses(a.ingress, b.ingress));
    this.servedNow = served.map((p) => p.ingress);
    this.tlsSecrets = new Set(served.flatMap((p) => (p.ingress.spec?.tls ?? []).flatMap((t) => (t.secretName ? [`${p.ref.namespace}/${t.secretName}`] : []))));
    const certificates = selectCertificates(this.servedNow, (ns, name) => this.certificate(ns, name), o.defaultCertificate, (ing, sev, msg, event) => {
      this.notices.once(ing, msg, () => { o.log(sev, msg); if (event) o.event(ing, 'Warning', 'InvalidTLSSecret', msg); });
    });
    const used = new Map<string, PathMatch | undefined>();
    const table = compileTable({
      ingresses: served, certificates, generation,
      upstream: (ref) => this.upstream(ref),
      firstPort: (ns, svc) => firstPort(o.view.services.get(ns, svc)),
      defaultCertificate: o.defaultCertificate,
      global: this.config.global,
      regex: (path) => {
        const m = used.has(path) ? used.get(path) : this.regexes.has(path) ? this.regexes.get(path) : regexMatch(path);
        used.set(path, m);
        return m;
      },
      log: o.log,
      warn: (ing, reason, message) => this.notices.once(ing, message, () => o.event(ing, 'Warning', reason, message)),
    }, this.serverCache);
    this.regexes = used;
    return table;
  }

  /** The parse outcome of the Ingress's current version (cached). */
  private outcome(ing: Ingress): Outcome {
    const key = keyOf(ing);
    const rv = ing.metadata.resourceVersion ?? '';
    const have = this.outcomes.get(key);
    if (have && have.rv === rv) return have;
    const o = this.o;
    const out = acceptIngress(ing, {
      config: this.config, log: o.log,
      secret: (ns, name) => o.view.secrets.get(ns, name),
      once: (text, say) => this.notices.once(ing, text, say),
      event: (reason, message) => o.event(ing, 'Warning', reason, message),
    });
    this.outcomes.set(key, { ...out, rv });
    if ('error' in out) {
      const error = out.error;
      this.notices.once(ing, error, () => { this.o.log('E', error); this.o.event(ing, 'Warning', 'Rejected', error); });
    }
    return out;
  }

  private certificate(ns: string, name: string): SecretCertificate | { error: string } | undefined {
    const key = `${ns}/${name}`;
    const secret = this.o.view.secrets.get(ns, name);
    if (!secret) return undefined;
    const rv = secret.metadata.resourceVersion ?? '';
    const have = this.certs.get(key);
    if (have && have.rv === rv) return have.value;
    const value = certificateFromSecret(secret);
    this.certs.set(key, { rv, value });
    return value;
  }

  /** A missing backend Service: a log line as ingress-nginx's and a Warning event (its requests get 503). */
  private warnMissingServices(ing: Ingress): void {
    for (const svc of missingServices(ing, (ns, name) => !!this.o.view.services.get(ns, name), this.backends)) {
      this.notices.once(ing, `service ${svc}`, () => {
        this.o.log('W', `Error obtaining Endpoints for Service "${svc}": no object matching key "${svc}" in local store`);
        this.o.event(ing, 'Warning', 'ServiceNotFound', `Service "${svc}" not found: requests routed to it get 503`);
      });
    }
  }

  private upstream(ref: BackendRef): Upstream {
    const svcKey = `${ref.namespace}/${ref.service}`;
    let ports = this.upstreams.get(svcKey);
    if (!ports) this.upstreams.set(svcKey, ports = new Map());
    const portKey = String(ref.port);
    let u = ports.get(portKey);
    if (!u) {
      u = buildUpstream(ref, this.o.view.services.get(ref.namespace, ref.service), this.o.view.endpointSlices.byIndex(SLICES_BY_SERVICE, svcKey));
      ports.set(portKey, u);
    }
    return u;
  }
}
