#!/usr/bin/env node
/** The knet command line: `knet up`, `knet down`, `knet status`. */
import { Command, InvalidArgumentError, Option } from 'commander';
import { resolve } from 'node:path';
import { up } from './up.js';
import { down } from './down.js';
import { status } from './status.js';
import { HOST_NETWORK_BLOCKS } from '../runtime/host-network.js';

function intIn(min: number, max: number, what: string) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`${what} must be a whole number from ${min} to ${max}.`);
    return n;
  };
}

const dir = (v: string) => resolve(v);
const program = new Command();
program.name('knet').description('Kubernetes Services & Networking in one process, driven by the real kubectl.')
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
  .option('--watch-cache-size <n>', 'watch events kept for replay (older versions get 410 Expired)', intIn(10, 10_000_000, '--watch-cache-size'))
  // Exit explicitly: programs of stopped pods may still hold timers (as processes would be killed).
  .action(async (opts) => { process.exit(await up(opts, process.argv.slice(2))); });

program.command('down').description('Stop the cluster of a data dir.')
  .option('--data-dir <dir>', 'the data dir given to knet up', dir)
  .action(async (opts) => { process.exitCode = await down(opts); });

program.command('status').description('Say whether a cluster runs for a data dir, and where.')
  .option('--data-dir <dir>', 'the data dir given to knet up', dir)
  .action((opts) => { process.exitCode = status(opts); });

await program.parseAsync(process.argv);
