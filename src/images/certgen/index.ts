/**
 * `registry.k8s.io/ingress-nginx/kube-webhook-certgen` (any tag; also jettech's original): the
 * `/kube-webhook-certgen` cobra program with `create`, `patch` and `version`, talking to the API
 * server as an in-cluster client with the pod's service-account token. Logs go to stdout as logrus
 * JSON; a fatal error exits 1, so its Job retries.
 */
import type { ImageDef, ProcessContext } from '../types.js';
import { parsePflags, type FlagKind, type FlagValues } from '../util/flags.js';
import { inClusterClient, type ApiClient } from '../util/incluster.js';
import { Logrus, parseLevel } from './logrus.js';
import { create, Fatal, patch } from './commands.js';

/** The release `version` prints. */
const VERSION = 'v1.6.9';
const NAME = 'kube-webhook-certgen';

const GLOBAL: Record<string, FlagKind> = { 'log-level': 'string', 'log-format': 'string', kubeconfig: 'string', help: 'bool' };
const COMMANDS: Record<string, { flags: Record<string, FlagKind>; defaults: FlagValues; required: string[] }> = {
  create: {
    flags: { host: 'string', 'secret-name': 'string', namespace: 'string', 'cert-name': 'string', 'key-name': 'string' },
    defaults: { host: '', 'secret-name': '', namespace: '', 'cert-name': 'cert', 'key-name': 'key' },
    required: ['host', 'secret-name', 'namespace'],
  },
  patch: {
    flags: { 'secret-name': 'string', namespace: 'string', 'webhook-name': 'string', 'apiservice-name': 'string', 'patch-validating': 'bool', 'patch-mutating': 'bool', 'patch-failure-policy': 'string' },
    defaults: { 'secret-name': '', namespace: '', 'webhook-name': '', 'apiservice-name': '', 'patch-validating': true, 'patch-mutating': true, 'patch-failure-policy': '' },
    required: ['secret-name', 'namespace'],
  },
  version: { flags: {}, defaults: {}, required: [] },
};

const USAGE = `Use this to create a ca and signed certificates and patch admission webhooks to allow for quick
	           installation and configuration of validating and admission webhooks.

Usage:
  ${NAME} [flags]
  ${NAME} [command]

Available Commands:
  create      Generate a ca and server cert+key and store the results in a secret 'secret-name' in 'namespace'
  help        Help about any command
  patch       Patch a ValidatingWebhookConfiguration, MutatingWebhookConfiguration or APIService 'object-name' by using the ca from 'secret-name' in 'namespace'
  version     Prints the CLI version information

Flags:
  -h, --help                help for ${NAME}
      --kubeconfig string   Path to kubeconfig file: e.g. ~/.kube/kind-config-kind
      --log-format string   Log format: text|json (default "json")
      --log-level string    Log level: panic|fatal|error|warn|info|debug|trace (default "info")

Use "${NAME} [command] --help" for more information about a command.
`;

/** Runs kube-webhook-certgen; `client` replaces the in-cluster client (tests). */
export async function certgen(ctx: ProcessContext, client?: ApiClient): Promise<number> {
  const args = ctx.argv.slice(1);
  const command = args.find((a) => !a.startsWith('-'));
  const spec = command !== undefined ? COMMANDS[command] : undefined;
  if (command !== undefined && !spec) {
    ctx.stderr.write(`Error: unknown command "${command}" for "${NAME}"\nRun '${NAME} --help' for usage.\n`);
    return 1;
  }
  const parsed = parsePflags(args.filter((a) => a !== command), { ...GLOBAL, ...spec?.flags }, { 'log-level': 'info', 'log-format': 'json', kubeconfig: '', help: false, ...spec?.defaults });
  if (!parsed.ok) { ctx.stderr.write(`Error: ${parsed.error}\n`); return 1; }
  const f = parsed.values;
  if (!spec || f.help === true) { ctx.stdout.write(USAGE); return spec ? 0 : 1; }
  if (command === 'version') { ctx.stdout.write(`Version: ${VERSION}\n`); return 0; }
  const missing = spec.required.filter((n) => f[n] === '');
  if (missing.length > 0) { ctx.stderr.write(`Error: required flag(s) ${missing.map((n) => `"${n}"`).join(', ')} not set\n`); return 1; }
  const level = parseLevel(String(f['log-level']));
  const format = f['log-format'];
  const log = new Logrus(ctx.stdout, level ?? 'info', format === 'text' ? 'text' : 'json');
  if (!level) return fatal(log, new Fatal('Invalid error level', 'cmd/root.go:63', { err: `not a valid logrus Level: "${String(f['log-level'])}"` }));
  if (format !== 'json' && format !== 'text') return fatal(log, new Fatal(`invalid log format '${String(format)}'`, 'cmd/root.go:82'));
  const api = client ?? inClusterClient(ctx);
  if ('error' in api) return fatal(log, new Fatal('error building kubernetes config', 'cmd/root.go:89', { error: api.error }));
  try {
    if (command === 'create') {
      await create(api, log, { host: String(f.host), secretName: String(f['secret-name']), namespace: String(f.namespace), certName: String(f['cert-name']), keyName: String(f['key-name']) });
    } else {
      await patch(api, log, {
        secretName: String(f['secret-name']), namespace: String(f.namespace), webhookName: String(f['webhook-name']), apiServiceName: String(f['apiservice-name']),
        patchValidating: f['patch-validating'] === true, patchMutating: f['patch-mutating'] === true, patchFailurePolicy: String(f['patch-failure-policy']),
      });
    }
  } catch (e) {
    if (e instanceof Fatal) return fatal(log, e);
    throw e;
  }
  return 0;
}

/** Logs a fatal entry and returns logrus.Fatal's exit code. */
function fatal(log: Logrus, e: Fatal): number {
  log.log('fatal', e.source, e.message, e.fields);
  return 1;
}

/** The image (distroless: the program only). */
export const certgenImage: ImageDef = {
  repositories: ['registry.k8s.io/ingress-nginx/kube-webhook-certgen', 'k8s.gcr.io/ingress-nginx/kube-webhook-certgen', 'jettech/kube-webhook-certgen'],
  entrypoint: ['/kube-webhook-certgen'],
  cmd: [],
  programs: { [NAME]: (ctx) => certgen(ctx) },
};
