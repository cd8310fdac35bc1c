/** `knet up`: run a cluster in the foreground, or start one in the background with --detach. */
import { basename } from 'node:path';
import { Cluster, CLUSTER_NETWORK, type IngressReach } from '../cluster.js';
import { defaultKubeconfigPath, writeKubeconfig } from '../runtime/kubeconfig.js';
import { clearRunInfo, defaultDataDir, prepareDataDir, readRunInfo, writeRunInfo } from '../runtime/state.js';
import { startDetached } from '../runtime/detach.js';
import { POD_SHUTDOWN_GRACE_MS, SHUTDOWN_DEADLINE_MS, withDeadline } from '../runtime/shutdown.js';
import { claimHostNetwork, type HostNetworkClaim } from '../runtime/host-claim.js';
import { describeHostNetwork, hostNetwork, readHostNetworkIndex, recordHostNetworkIndex } from '../runtime/host-network.js';
import { describeNofile, raiseNofile } from '../runtime/nofile.js';
import { knetCommand } from '../runtime/self.js';

/** Parsed `up` flags. */
export interface UpFlags {
  dataDir?: string;
  ephemeral?: boolean;
  apiPort: number;
  kubeconfig?: string;
  nodes: number;
  detach?: boolean;
  logRequests?: boolean;
  logPolicy?: boolean;
  watchCacheSize?: number;
  unknownImages?: 'stand-in' | 'fail';
  dnsPort?: number;
  /** The kubelet's sync period for mounted ConfigMaps and Secrets (ms). */
  syncFrequency?: number;
  hostNetworkIndex?: number;
  /** False with --no-ingress. */
  ingress?: boolean;
  httpPort?: number;
  httpsPort?: number;
}

/** The context name for a data dir: `knet` for the default one, `knet-<folder>` otherwise. */
export function contextName(dataDir: string): string {
  return dataDir === defaultDataDir() ? 'knet' : `knet-${basename(dataDir).replace(/[^A-Za-z0-9-]/g, '-').toLowerCase()}`;
}

/** Runs `knet up`; resolves with the exit code. */
export async function up(flags: UpFlags, argv: string[]): Promise<number> {
  const dataDir = flags.dataDir ?? defaultDataDir();
  let tightened: string[]; // what a wide umask or an older knet left open to other users
  try {
    tightened = prepareDataDir(dataDir);
  } catch (e) {
    console.error(`error: ${(e as Error).message}`);
    return 1;
  }
  if (tightened.length) console.log(`knet: data dir ${dataDir}: ${tightened.length} files and folders were open to other users; they are owner-only now (folders 0700, files 0600)`);
  const running = readRunInfo(dataDir);
  if (running) {
    console.error(`knet is already running for data dir ${dataDir} (pid ${running.pid}, ${running.server}); stop it with: ${knetCommand()} down --data-dir ${dataDir}`);
    return 1;
  }
  if (flags.detach) return startDetached(dataDir, argv.filter((a) => a !== '--detach' && a !== '-d'));
  const t0 = performance.now();
  const log = (l: string) => console.log(` • ${l}`);
  console.log(`Starting knet (data dir ${dataDir}${flags.ephemeral ? ', ephemeral' : ''})`);
  log(describeNofile(raiseNofile()));
  const claim = await claimBlock(dataDir, flags, log);
  if (!claim) return 1;
  const hostNet = hostNetwork(claim.index, flags.nodes);
  const ingress = flags.ingress === false ? undefined : { httpPort: flags.httpPort ?? 80, httpsPort: flags.httpsPort ?? 443 };
  if (ingress && ingress.httpPort === ingress.httpsPort) {
    await claim.release();
    console.error(`error: --http-port and --https-port are both ${ingress.httpPort}; choose two different ports`);
    return 1;
  }
  let cluster: Cluster;
  try {
    cluster = await Cluster.start({
      dataDir, ephemeral: !!flags.ephemeral, apiPort: flags.apiPort, nodes: flags.nodes, log, hostNetworkIndex: claim.index,
      logRequests: flags.logRequests, logPolicy: flags.logPolicy, historySize: flags.watchCacheSize, unknownImages: flags.unknownImages, dnsPort: flags.dnsPort, syncFrequencyMs: flags.syncFrequency, ingress,
    });
  } catch (e) {
    await claim.release();
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'EADDRINUSE') console.error(`error: port ${flags.apiPort} on 127.0.0.1 is already in use; choose another with --api-port N (or stop what listens there, e.g. ${knetCommand()} down)`);
    else if (err.code === 'EACCES') console.error(`error: not allowed to listen on port ${flags.apiPort}; choose a port above 1023 with --api-port N`);
    else console.error(`error: ${err.message}`);
    return 1;
  }
  const server = `https://127.0.0.1:${cluster.port}`;
  const kubeconfig = flags.kubeconfig ?? defaultKubeconfigPath();
  const context = contextName(dataDir);
  let previousContext: string | undefined;
  try {
    previousContext = writeKubeconfig(kubeconfig, context, server, cluster.pki);
  } catch (e) {
    console.error(`error: cannot write kubeconfig ${kubeconfig}: ${(e as Error).message}; choose another file with --kubeconfig FILE`);
    await cluster.stop();
    await claim.release();
    return 1;
  }
  log(`kubeconfig: ${kubeconfig} (context ${context})`);
  if (ingress) log(describeIngress(await cluster.ingressReach(ingress), ingress));
  writeRunInfo(dataDir, {
    pid: process.pid, apiPort: cluster.port, server, kubeconfig, merged: !flags.kubeconfig, context, previousContext, ephemeral: !!flags.ephemeral,
    startedAt: new Date().toISOString(), hostNetwork: hostNet, dnsPort: cluster.dnsPort, network: CLUSTER_NETWORK,
  });
  console.log(`knet is ready: ${server} (${flags.nodes} node${flags.nodes === 1 ? '' : 's'}, started in ${Math.round(performance.now() - t0)} ms); try: kubectl get nodes`);
  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (sig: string) => {
      if (stopping) {
        console.log(`knet: ${sig} received again, exiting without waiting for the shutdown`);
        clearRunInfo(dataDir);
        resolve(1);
        return;
      }
      stopping = true;
      console.log(`knet: ${sig} received, shutting down`);
      const stopAll = () => cluster.stop({ podGraceMs: POD_SHUTDOWN_GRACE_MS }).catch((e: unknown) => console.error(`knet: shutdown: ${(e as Error).message}`)).then(() => claim.release());
      void withDeadline(stopAll, SHUTDOWN_DEADLINE_MS).then((r) => {
        clearRunInfo(dataDir);
        if (r === 'timeout') console.log(`knet: shutdown did not finish within ${SHUTDOWN_DEADLINE_MS / 1000} s; exiting anyway (acknowledged writes are on disk)`);
        console.log('knet stopped');
        resolve(r === 'done' ? 0 : 1);
      });
    };
    process.on('SIGINT', () => stop('SIGINT'));
    process.on('SIGTERM', () => stop('SIGTERM'));
  });
}

/** The `ingress:` line of `knet up`: where Ingress is served, or why a host port is not. */
export function describeIngress(r: IngressReach, ports: { httpPort: number; httpsPort: number }): string {
  const lb = r.loadBalancer.length ? `the LoadBalancer IP ${r.loadBalancer.join(', ')}` : 'the LoadBalancer IP (once assigned)';
  const parts: string[] = [];
  if (r.urls.length) parts.push(`${r.urls.join(' ')} and ${lb}`);
  else parts.push(`${lb}`);
  if (r.refused.length) parts.push(`can't listen on ${r.refused.join(', ')}; pick other ports with ${knetCommand()} up --http-port N --https-port N`);
  else if (r.urls.length < 2) parts.push(`127.0.0.1:${ports.httpPort}/${ports.httpsPort} once the controller runs (kubectl get pods -n ingress-nginx)`);
  return `ingress: ${parts.join('; ')}`;
}

/** Claims the host network block (pinned, recorded, or the lowest free one), records and prints it; undefined after printing an error. */
async function claimBlock(dataDir: string, flags: UpFlags, log: (l: string) => void): Promise<HostNetworkClaim | undefined> {
  const recorded = flags.ephemeral ? undefined : readHostNetworkIndex(dataDir);
  let claim: HostNetworkClaim;
  try {
    claim = await claimHostNetwork({ dataDir, pinned: flags.hostNetworkIndex, preferred: recorded });
  } catch (e) {
    console.error(`error: ${(e as Error).message}`);
    return undefined;
  }
  if (recorded !== undefined && recorded !== claim.index) {
    const h = claim.displaced?.holder;
    const why = !claim.displaced ? 'as --host-network-index asks'
      : `block ${recorded} is in use by ${h ? `another knet, pid ${h.pid}, data dir ${h.dataDir}` : 'another process'}`;
    log(`host network: this data dir used block ${recorded}; it moves to block ${claim.index} (${why}), and LoadBalancer Services get addresses from the new pool`);
  }
  if (!flags.ephemeral) recordHostNetworkIndex(dataDir, claim.index);
  log(`host network ${describeHostNetwork(hostNetwork(claim.index, flags.nodes))}`);
  return claim;
}
