/** `registry.k8s.io/e2e-test-images/agnhost`: Kubernetes' multi-purpose test binary (cobra subcommands). */
import type { ImageDef, ProcessContext } from '../types.js';
import { parsePflags, type FlagKind, type FlagValues } from '../util/flags.js';
import { untilAborted } from '../util/proc.js';
import { connect } from './connect.js';
import { netexec } from './netexec.js';
import { porter } from './porter.js';
import { serveHostname } from './servehostname.js';
import { webhook } from './webhook.js';

const KNOWN = ['audit-proxy', 'connect', 'crd-conversion-webhook', 'dns-server-list', 'dns-suffix', 'entrypoint-tester', 'etc-hosts',
  'fake-gitserver', 'guestbook', 'inclusterclient', 'liveness', 'logs-generator', 'mounttest', 'net', 'netexec', 'nettest',
  'no-snat-test', 'no-snat-test-proxy', 'pause', 'porter', 'port-forward-tester', 'resource-consumer-controller', 'serve-hostname',
  'test-webserver', 'webhook', 'test-service-account-issuer-discovery'];

interface Sub { flags: Record<string, FlagKind>; defaults: FlagValues; args?: number; run(ctx: ProcessContext, v: FlagValues, args: string[]): Promise<number> }

const SUBS: Record<string, Sub> = {
  netexec: {
    flags: { 'http-port': 'int', 'udp-port': 'int', 'sctp-port': 'int', 'tls-cert-file': 'string', 'tls-private-key-file': 'string', 'http-override': 'string', 'udp-listen-addresses': 'string' },
    defaults: { 'http-port': 8080, 'udp-port': 8081, 'sctp-port': -1, 'http-override': '' }, args: 0,
    run: (ctx, v) => netexec(ctx, { httpPort: Number(v['http-port']), udpPort: Number(v['udp-port']), httpOverride: String(v['http-override']) }),
  },
  'serve-hostname': {
    flags: { tcp: 'bool', udp: 'bool', http: 'bool', close: 'bool', port: 'int' },
    defaults: { tcp: false, udp: false, http: true, close: false, port: 9376 }, args: 0,
    run: (ctx, v) => serveHostname(ctx, { tcp: !!v.tcp, udp: !!v.udp, http: !!v.http, close: !!v.close, port: Number(v.port) }),
  },
  connect: {
    flags: { timeout: 'duration', protocol: 'string', 'udp-data': 'string', 'sctp-data': 'string' },
    defaults: { timeout: 0, protocol: 'tcp', 'udp-data': 'hostname', 'sctp-data': 'hostname' }, args: 1,
    run: (ctx, v, a) => connect(ctx, a[0] ?? '', { timeoutMs: Number(v.timeout), protocol: String(v.protocol), udpData: String(v['udp-data']), sctpData: String(v['sctp-data']) }),
  },
  webhook: {
    flags: { port: 'int', 'tls-cert-file': 'string', 'tls-private-key-file': 'string', 'sidecar-image': 'string' },
    defaults: { port: 443, 'tls-cert-file': '', 'tls-private-key-file': '', 'sidecar-image': '' }, args: 0,
    run: (ctx, v) => webhook(ctx, { port: Number(v.port), certFile: String(v['tls-cert-file']), keyFile: String(v['tls-private-key-file']), sidecarImage: String(v['sidecar-image']) }),
  },
  porter: { flags: { 'json-response': 'bool' }, defaults: { 'json-response': false }, args: 0, run: (ctx, v) => porter(ctx, !!v['json-response']) },
  pause: {
    flags: {}, defaults: {}, args: 0,
    run: async (ctx) => {
      ctx.stdout.write('Paused\n');
      await untilAborted(ctx.signal);
      return ctx.signal.reason === 'SIGKILL' ? 137 : ctx.signal.reason === 'SIGINT' ? 1 : 2;
    },
  },
};

const LOGGING_FLAGS: Record<string, FlagKind> = { v: 'string', vmodule: 'string', logtostderr: 'bool', alsologtostderr: 'bool', stderrthreshold: 'string',
  log_dir: 'string', log_file: 'string', log_file_max_size: 'string', one_output: 'bool', skip_headers: 'bool', skip_log_headers: 'bool', add_dir_header: 'bool', log_backtrace_at: 'string', help: 'bool', h: 'bool' };

/** The agnhost binary: dispatches to a subcommand (cobra errors are printed; like upstream, they exit 0). */
export async function agnhost(ctx: ProcessContext): Promise<number> {
  const [cmd, ...rest] = ctx.argv.slice(1);
  if (cmd === undefined || cmd === 'help' || cmd === '--help' || cmd === '-h') {
    ctx.stdout.write(`Usage:\n  app [command]\n\nAvailable Commands:\n${KNOWN.map((k) => `  ${k}`).join('\n')}\n\nFlags:\n  -h, --help      help for app\n      --version   version for app\n\nUse "app [command] --help" for more information about a command.\n`);
    return 0;
  }
  if (cmd === '--version') { ctx.stdout.write('app version 2.53\n'); return 0; }
  const sub = SUBS[cmd];
  if (!sub) {
    if (KNOWN.includes(cmd)) {
      ctx.stderr.write(`knet: agnhost ${cmd} is not emulated; the container idles until stopped\n`);
      await untilAborted(ctx.signal);
      return 2;
    }
    ctx.stderr.write(`Error: unknown command "${cmd}" for "app"\nRun 'app --help' for usage.\n`);
    return 0;
  }
  const parsed = parsePflags(rest, { ...sub.flags, ...LOGGING_FLAGS }, sub.defaults);
  const usage = `Usage:\n  app ${cmd}${sub.args === 1 ? ' [host:port]' : ''} [flags]\n`;
  if (!parsed.ok) { ctx.stderr.write(`Error: ${parsed.error}\n${usage}`); return 0; }
  if (parsed.values.help || parsed.values.h) { ctx.stdout.write(usage); return 0; }
  if (sub.args !== undefined && parsed.args.length !== sub.args) {
    const msg = sub.args === 0 ? `accepts at most 0 arg(s), received ${parsed.args.length}` : `accepts ${sub.args} arg(s), received ${parsed.args.length}`;
    ctx.stderr.write(`Error: ${msg}\n${usage}`);
    return 0;
  }
  return sub.run(ctx, parsed.values, parsed.args);
}

/** The agnhost image (ENTRYPOINT /agnhost, CMD pause; alpine-based, exposes 80, 8080, 8081, 9376). */
export const agnhostImage: ImageDef = {
  repositories: ['e2e-test-images/agnhost', 'kubernetes-e2e-test-images/agnhost', 'agnhost'],
  entrypoint: ['/agnhost'],
  cmd: ['pause'],
  programs: { agnhost, 'agnhost-2': agnhost },
};
