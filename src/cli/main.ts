#!/usr/bin/env node
/** The knet command line: `knet up`, `knet down`, `knet status`, `knet explain`, `knet connectivity`. */
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { resolve } from 'node:path';
import { up } from './up.js';
import { down } from './down.js';
import { status } from './status.js';
import { explain } from './explain.js';
import { connectivity } from './connectivity.js';
import type { Protocol } from '../net/types.js';
import { HOST_NETWORK_BLOCKS } from '../runtime/host-network.js';
import { knetVersion } from '../runtime/self.js';
import { parseGoDuration } from '../images/util/flags.js';

function intIn(min: number, max: number, what: string) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`${what} must be a whole number from ${min} to ${max}.`);
    return n;
  };
}

const dir = (v: string) => resolve(v);
/** A Go duration option (`1m0s`, `5s`) in milliseconds. */
function goDuration(what: string) {
  return (v: string): number => {
    const ms = parseGoDuration(v);
    if (ms === undefined || ms < 1000) throw new InvalidArgumentError(`${what} must be a duration of at least 1s, such as 5s or 1m0s.`);
    return ms;
  };
}
/** A repeatable, comma-separated option's values, each checked by `one`. */
function list<T>(one: (v: string) => T) {
  return (v: string, prev: T[] = []): T[] => [...prev, ...v.split(',').map((s) => s.trim()).filter(Boolean).map(one)];
}
const protocol = (v: string): Protocol => {
  const p = v.toUpperCase();
  if (p !== 'TCP' && p !== 'UDP' && p !== 'SCTP') throw new InvalidArgumentError(`"${v}" is not a protocol; use tcp, udp or sctp.`);
  return p;
};
/** The analysis commands exit 2 on bad flags (0 for --help). */
const exitBadInput = (e: CommanderError) => process.exit(e.exitCode === 0 ? 0 : 2);
/** Adds the source flags of the analysis commands. */
function sourceOptions(cmd: Command): Command {
  return cmd.option('-f, --filename <path>', 'compute offline from a manifest file or a folder of them (no cluster)', dir)
    .option('--kubeconfig <file>', 'compute from the live objects of the cluster in this kubeconfig (read-only)')
    .option('--context <name>', 'the kubeconfig context to read (default: its current context)')
    .option('--data-dir <dir>', 'the running knet of this data dir (the default source: the default data dir\'s knet)', dir)
    .exitOverride(exitBadInput);
}
const program = new Command();
program.name('knet').description('Kubernetes Services & Networking in one process, driven by the real kubectl.')
  .version(`knet v${knetVersion()} (node ${process.version}, ${process.platform}/${process.arch})`, '-V, --version', 'print knet\'s version')
  .showHelpAfterError('(run with --help for usage)').exitOverride((e) => process.exit(e.exitCode));

program.command('up').description('Run a cluster (in the foreground until SIGINT/SIGTERM, or with --detach in the background).')
  .option('--data-dir <dir>', 'where the cluster keeps its state (default: a per-user state folder)', dir)
  .option('--ephemeral', 'keep everything in memory; nothing is written but the kubeconfig (and a run file for down/status)')
  .option('--api-port <port>', 'API server port on 127.0.0.1 (0 picks a free one)', intIn(0, 65535, '--api-port'), 6443)
  .option('--kubeconfig <file>', 'write the kubeconfig there instead of merging a context into the default kubeconfig')
  .option('--nodes <n>', 'number of emulated nodes', intIn(1, 100, '--nodes'), 1)
  .option('-d, --detach', 'start in the background and return once the cluster is ready')
  .addOption(new Option('--unknown-images <mode>', 'pods with images knet does not know: run a stand-in, or fail with ErrImagePull').choices(['stand-in', 'fail']).default('stand-in'))
  .option('--host-network-index <n>', 'use host network block N: node IPs 127.1.N.x, load balancer pool 127.240.N.0/24 (default: the block recorded in the data dir, else the lowest free one)', intIn(0, HOST_NETWORK_BLOCKS - 1, '--host-network-index'))
  .option('--dns-port <port>', 'cluster DNS port on 127.0.0.1 for host clients (0 picks a free one)', intIn(0, 65535, '--dns-port'), 0)
  .option('--no-ingress', 'do not install the ingress addon (ingress-nginx controller, its Service and IngressClass nginx)')
  .option('--http-port <port>', 'host port on 127.0.0.1 where the ingress addon serves HTTP', intIn(1, 65535, '--http-port'), 80)
  .option('--https-port <port>', 'host port on 127.0.0.1 where the ingress addon serves HTTPS', intIn(1, 65535, '--https-port'), 443)
  .option('--log-requests', 'log every API request')
  .option('--log-policy', 'log one line per connection NetworkPolicy drops (source, destination, port, the deciding policies)')
  .option('--sync-frequency <duration>', 'how often the kubelet refreshes mounted ConfigMaps and Secrets in running pods, a Go duration (kubelet --sync-frequency; default 1m0s)', goDuration('--sync-frequency'))
  .option('--watch-cache-size <n>', 'watch events kept for replay (older versions get 410 Expired)', intIn(10, 10_000_000, '--watch-cache-size'))
  // Exit explicitly: programs of stopped pods may still hold timers (as processes would be killed).
  .action(async (opts) => { process.exit(await up(opts, process.argv.slice(2))); });

program.command('down').description('Stop the cluster of a data dir.')
  .option('--data-dir <dir>', 'the data dir given to knet up', dir)
  .action(async (opts) => { process.exitCode = await down(opts); });

program.command('status').description('Say whether a cluster runs for a data dir, and where.')
  .option('--data-dir <dir>', 'the data dir given to knet up', dir)
  .action((opts) => { process.exitCode = status(opts); });

sourceOptions(program.command('explain').description('Why a connection is allowed or dropped: the path (DNS name, Service, endpoints, pod) and, per hop, the policies and rules that decided. Exit status 0 allowed, 1 dropped or rejected, 2 bad input.')
  .argument('<src>', 'the source: ns/pod, pod, deploy/NAME, svc/NAME, a DNS name or an IP')
  .argument('<dst>', 'the destination, as the source, with :PORT and /tcp, /udp or /sctp where needed')
  .option('-n, --namespace <ns>', 'namespace of names given without one (default: the context\'s, else default)'))
  .action(async (src: string, dst: string, opts) => { process.exitCode = await explain(src, dst, { ...opts, file: opts.filename }); });

sourceOptions(program.command('connectivity').description('The connectivity truth table (rows: sources, columns: destinations; . allowed, X blocked), one per port and protocol. Exit status 0, 1 when --expect or --probe differs, 2 bad input.')
  .option('-n, --namespace <ns>', 'namespaces whose pods to tabulate (repeatable, comma-separated; default: all but the system ones)', list(String))
  .option('--ports <list>', 'ports to tabulate, e.g. 80,3000 (default: every container port the pods declare)', list(intIn(1, 65535, 'a port')))
  .option('--protocols <list>', 'protocols to tabulate: tcp, udp, sctp (default: tcp with --ports, else those the pods declare)', list(protocol))
  .option('--expect <file>', 'compare with a saved table (the format printed, the e2e tab-separated form, or YAML); exit 1 listing every differing cell')
  .option('--probe', 'also send a real connection through the pod network for every cell (running knet only) and mark where it disagrees')
  .option('--probe-timeout <ms>', 'how long a probe waits for an answer', intIn(1, 30_000, '--probe-timeout'), 1000))
  .action(async (opts) => { process.exitCode = await connectivity({ ...opts, file: opts.filename }); });

await program.parseAsync(process.argv);
