/**
 * `/nginx-ingress-controller`'s command line (IN:pkg/flags/flags.go, the final release): pflag
 * flags plus the Go flag set klog adds. Every upstream flag is accepted; the ones knet acts on are
 * read into ControllerFlags, the others are parsed and ignored. An unknown flag fails as pflag's
 * ExitOnError does (the error, the usage, exit 2).
 */
import type { IngressControllerConfig } from '../../dataplane/ingress/service.js';
import { parsePflags, type FlagKind, type FlagValues } from '../util/flags.js';

/** The flags knet's controller acts on: what the ingress service needs, plus the ports and the rest. */
export interface ControllerFlags extends IngressControllerConfig {
  httpPort: number;
  httpsPort: number;
  healthzPort: number;
  healthCheckPath: string;
  defaultSslCertificate?: string;
  validatingWebhook?: string;
  validatingWebhookCertificate?: string;
  validatingWebhookKey?: string;
  version: boolean;
}

const S: FlagKind = 'string';
const B: FlagKind = 'bool';
const I: FlagKind = 'int';
const D: FlagKind = 'duration';

/** Every flag of the controller, with its pflag type (float and slice flags are kept as text). */
const SPEC: Record<string, FlagKind> = {
  'apiserver-host': S, 'certificate-authority': S, kubeconfig: S, 'default-backend-service': S, 'ingress-class': S,
  'controller-class': S, 'watch-ingress-without-class': B, 'ingress-class-by-name': B, configmap: S, 'publish-service': S,
  'tcp-services-configmap': S, 'udp-services-configmap': S, 'sync-period': D, 'watch-namespace': S, 'watch-namespace-selector': S,
  profiling: B, 'default-ssl-certificate': S, 'health-check-path': S, 'health-check-timeout': I, 'update-status': B,
  'election-id': S, 'election-ttl': D, 'update-status-on-shutdown': B, 'report-node-internal-ip-address': B, version: B,
  'enable-ssl-passthrough': B, 'disable-leader-election': B, 'disable-svc-external-name': B, 'annotations-prefix': S,
  'enable-annotation-validation': B, 'enable-ssl-chain-completion': B, 'sync-rate-limit': S, 'publish-status-address': S,
  'enable-metrics': B, 'metrics-per-host': B, 'metrics-per-undefined-host': B, 'report-status-classes': B, 'time-buckets': S,
  'length-buckets': S, 'size-buckets': S, 'bucket-factor': S, 'max-buckets': I, 'exclude-socket-metrics': S,
  'monitor-max-batch-size': I, 'http-port': I, 'https-port': I, 'ssl-passthrough-proxy-port': I, 'default-server-port': I,
  'healthz-port': I, 'healthz-host': S, 'disable-catch-all': B, 'validating-webhook': S, 'validating-webhook-certificate': S,
  'validating-webhook-key': S, 'disable-full-test': B, 'status-port': I, 'stream-port': I, 'internal-logger-address': S,
  'profiler-port': I, 'profiler-address': S, 'status-update-interval': I, 'shutdown-grace-period': I,
  'post-shutdown-grace-period': I, 'deep-inspect': B, 'dynamic-configuration-retries': I, 'disable-sync-events': B,
  'enable-topology-aware-routing': B, 'maxmind-mirror': S, 'maxmind-license-key': S, 'maxmind-edition-ids': S,
  'maxmind-retries-count': I, 'maxmind-retries-timeout': D, 'enable-aggressive-certificate-validation': B,
  // klog's Go flags (pflag.AddGoFlagSet; one-letter names get a shorthand).
  v: I, vmodule: S, logtostderr: B, alsologtostderr: B, stderrthreshold: S, log_dir: S, log_file: S, log_file_max_size: I,
  add_dir_header: B, skip_headers: B, skip_log_headers: B, one_output: B, log_backtrace_at: S,
};

const DEFAULTS: FlagValues = {
  'ingress-class': 'nginx', 'controller-class': 'k8s.io/ingress-nginx', 'watch-ingress-without-class': false, 'update-status': true,
  'election-id': 'ingress-controller-leader', 'update-status-on-shutdown': true, 'http-port': 80, 'https-port': 443,
  'healthz-port': 10254, 'health-check-path': '/healthz', version: false,
};

/** pflag's usage text for the flags (`Usage of :` and one line per flag, as PrintDefaults). */
export function usage(): string {
  const lines = Object.entries(SPEC).filter(([n]) => n.length > 1).sort(([a], [b]) => a.localeCompare(b)).map(([n, k]) => {
    const d = DEFAULTS[n];
    const type = k === 'bool' ? '' : ` ${k}`;
    return `      --${n}${type}${d !== undefined && d !== false ? `   (default ${typeof d === 'string' ? `"${d}"` : String(d)})` : ''}`;
  });
  return `Usage of :\n${lines.join('\n')}\n`;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** Parses the controller's arguments (without argv[0]); `pflag` errors end with the usage and exit 2, others are fatal (exit 255). */
export function parseControllerFlags(args: string[]): { ok: true; flags: ControllerFlags } | { ok: false; error: string; pflag: boolean } {
  const r = parsePflags(args, SPEC, DEFAULTS);
  if (!r.ok) return { ...r, pflag: true };
  const v = r.values;
  for (const [flag, name] of [['http-port', 'httpPort'], ['https-port', 'httpsPort'], ['healthz-port', 'healthzPort']] as const) {
    const n = v[flag] as number;
    if (n < 1 || n > 65535) return { ok: false, pflag: false, error: `port ${n} is not valid. Please check the flag --${flag} (${name})` };
  }
  for (const flag of ['configmap', 'publish-service', 'default-ssl-certificate', 'default-backend-service', 'tcp-services-configmap', 'udp-services-configmap']) {
    const x = str(v[flag]);
    if (x !== undefined && !/^[^/]+\/[^/]+$/.test(x)) return { ok: false, pflag: false, error: `${flag}: invalid format (namespace/name) found in '${x}'` };
  }
  return {
    ok: true,
    flags: {
      controllerClass: v['controller-class'] as string, ingressClass: v['ingress-class'] as string,
      watchWithoutClass: v['watch-ingress-without-class'] as boolean, configMap: str(v.configmap),
      publishService: str(v['publish-service']), publishStatusAddress: str(v['publish-status-address']),
      updateStatus: v['update-status'] as boolean, updateStatusOnShutdown: v['update-status-on-shutdown'] as boolean,
      electionId: v['election-id'] as string, httpPort: v['http-port'] as number, httpsPort: v['https-port'] as number,
      healthzPort: v['healthz-port'] as number, healthCheckPath: v['health-check-path'] as string,
      defaultSslCertificate: str(v['default-ssl-certificate']), validatingWebhook: str(v['validating-webhook']), validatingWebhookCertificate: str(v['validating-webhook-certificate']),
      validatingWebhookKey: str(v['validating-webhook-key']), version: v.version as boolean,
    },
  };
}
