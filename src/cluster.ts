/**
 * A whole knet cluster in one process: store, API server, controllers and emulated nodes.
 * `knet up` and the tests start clusters through this class.
 */
import { join } from 'node:path';
import { Registry } from './api/registry.js';
import { allKinds } from './api/kinds/index.js';
import { openStore } from './store/index.js';
import type { Store } from './store/types.js';
import { ApiServer } from './apiserver/server.js';
import { loadOrCreatePki, type Pki } from './apiserver/pki.js';
import { namespaceLifecycle } from './apiserver/admission.js';
import { defaultIngressClass } from './apiserver/default-ingress-class.js';
import type { WriteHooks } from './apiserver/storage/write.js';
import { Client } from './client/client.js';
import { ClusterView } from './client/view.js';
import { startNamespaceController } from './controllers/namespace/controller.js';
import { startGarbageCollector } from './controllers/gc/controller.js';
import { startServiceAccountController } from './controllers/serviceaccount/controller.js';
import { registerNodes, nodeName, nodeIP, podCIDR } from './node/registrar.js';
import { createNetwork } from './net/network.js';
import type { Network } from './net/types.js';
import { NodeAgent, type NodeInfo } from './node/kubelet/agent.js';
import { streamBackend } from './node/kubelet/streams.js';
import { streamHandlers } from './apiserver/streams/handlers.js';
import { createUpgradeHandler } from './apiserver/streams/upgrade.js';
import { EventRecorder } from './controllers/events.js';
import { startWorkloadControllers } from './controllers/workloads.js';
import { Batcher } from './controllers/util/batch.js';
import { serviceAllocation } from './apiserver/allocation/allocation.js';
import { composeHooks } from './apiserver/allocation/compose.js';
import { loadBalancerPool, startLoadBalancerController } from './controllers/loadbalancer/controller.js';
import { bootstrapClusterServices } from './controllers/bootstrap/bootstrap.js';
import { startEndpointControllers } from './controllers/endpoints/index.js';
import { startClusterDNS } from './dataplane/dns/index.js';
import { startServiceProxy } from './dataplane/proxy/index.js';
import { endpointsDeprecationWarning } from './api/kinds/endpoints.js';
import { ImageRegistry } from './images/registry.js';
import type { ClusterServices } from './images/types.js';

/** How to start a cluster. */
export interface ClusterOptions {
  /** Where the store and PKI live; required unless ephemeral. */
  dataDir?: string;
  ephemeral: boolean;
  apiPort: number;
  nodes: number;
  /** Cluster name, used for node names (`<name>-control-plane`). */
  name?: string;
  /** Watch history size (events kept for watch replay). */
  historySize?: number;
  log?: (line: string) => void;
  logRequests?: boolean;
  /** What pods with images knet does not know run: a stand-in (default) or nothing (ErrImagePull). */
  unknownImages?: 'stand-in' | 'fail';
  /** Port of the cluster DNS listener on 127.0.0.1 (0: any free port). */
  dnsPort?: number;
  /** Host network block: node IPs 127.1.N.x and load balancer pool 127.240.N.0/24 (default 0). */
  hostNetworkIndex?: number;
}

/** The cluster DNS Service address and domain pods are configured with. */
export const CLUSTER_DNS = { clusterDNS: '10.96.0.10', clusterDomain: 'cluster.local' };

const SYSTEM_NAMESPACES = ['default', 'kube-node-lease', 'kube-public', 'kube-system'];

/** A running cluster. */
export class Cluster {
  private stops: (() => void | Promise<void>)[] = [];
  /** The host port of the cluster DNS server (dig @127.0.0.1 -p <dnsPort>). */
  dnsPort = 0;
  /** The service proxy (for tests: `synced()`, `dumpTable()`). */
  proxy?: ReturnType<typeof startServiceProxy>;

  private constructor(readonly store: Store, readonly registry: Registry, readonly pki: Pki, readonly server: ApiServer, readonly port: number,
    readonly network: Network, readonly agent: NodeAgent, readonly hooks: WriteHooks, readonly nodes: NodeInfo[],
    /** The cluster's shared, indexed view of the API, which the network, proxy, DNS and controllers read. */
    readonly view: ClusterView) {
    this.stops.push(() => this.view.stop());
  }

  /** Starts everything; resolves when the API answers and the system objects exist. */
  static async start(opts: ClusterOptions): Promise<Cluster> {
    const log = opts.log ?? (() => undefined);
    const registry = new Registry(allKinds);
    log(opts.ephemeral ? 'store: in memory (--ephemeral)' : `store: ${join(opts.dataDir!, 'store')}`);
    const store = await openStore({ dir: opts.ephemeral ? undefined : join(opts.dataDir!, 'store'), ephemeral: opts.ephemeral, historySize: opts.historySize });
    let server: ApiServer | undefined;
    let cluster: Cluster | undefined;
    let view: ClusterView | undefined;
    try {
      const pki = await loadOrCreatePki(opts.ephemeral ? undefined : opts.dataDir);
      const alloc = serviceAllocation(store, { serviceCIDR: '10.96.0.0/12', nodePortRange: [30000, 32767] });
      alloc.repair();
      const hooks = composeHooks(namespaceLifecycle(store), defaultIngressClass(store), alloc);
      const kubelet = new Client(store, registry, hooks, 'kubelet');
      const pods = (view = new ClusterView(new Client(store, registry, hooks, 'knet-view'))).pods;
      const network = createNetwork({ pods: { labels: (ns, name) => pods.get(ns, name)?.metadata.labels, get version() { return pods.changes; } } });
      const recorder = new EventRecorder(kubelet, 'kubelet');
      const nodes = Array.from({ length: opts.nodes }, (_, i) => ({ name: nodeName(opts.name ?? 'knet', i), ip: nodeIP(i, opts.hostNetworkIndex), podCIDR: podCIDR(i) }));
      const agent = new NodeAgent({
        client: kubelet, network, nodes, dns: CLUSTER_DNS, unknownImages: opts.unknownImages ?? 'stand-in',
        images: new ImageRegistry(), cluster: {}, recordEvent: (o, t, r, m) => recorder.event(o, t, r, m),
      });
      const backend = streamBackend(agent);
      server = new ApiServer({
        store, registry, pki, port: opts.apiPort, hooks,
        resourceContext: {
          warningsFor: (d) => (d.kind === 'Endpoints' && d.group === '' ? [endpointsDeprecationWarning] : []),
          connect: streamHandlers(backend, { store, registry }),
        },
        upgrade: createUpgradeHandler({ backend, store, registry }),
        onRequest: opts.logRequests ? (m, u, c, ms) => log(`${m} ${u} ${c} ${ms.toFixed(1)}ms`) : undefined,
      });
      const port = await server.listen();
      log(`api server: https://127.0.0.1:${port}`);
      cluster = new Cluster(store, registry, pki, server, port, network, agent, hooks, nodes, view);
      await cluster.bootstrap(opts);
      return cluster;
    } catch (e) {
      if (cluster) await cluster.stop().catch(() => undefined);
      else { view?.stop(); await server?.close(); await store.close(); }
      throw e;
    }
  }

  /** This cluster's images (`register` adds one that only this cluster's pods can run). */
  get images(): ImageRegistry {
    return this.agent.opts.images;
  }

  /** The handle to this cluster's services that every process in its pods gets (filled in as they start). */
  get services(): ClusterServices {
    return this.agent.opts.cluster;
  }

  /** A client acting as the given field manager. */
  client(manager: string): Client {
    return new Client(this.store, this.registry, this.hooks, manager);
  }

  private async bootstrap(opts: ClusterOptions): Promise<void> {
    const sys = this.client('kube-apiserver');
    for (const ns of SYSTEM_NAMESPACES) {
      if (!sys.get({ resource: 'namespaces' }, '', ns)) await sys.create({ resource: 'namespaces' }, { metadata: { name: ns } });
    }
    const gc = startGarbageCollector(this.client('kube-controller-manager'));
    const nsc = startNamespaceController(this.client('kube-controller-manager'));
    const sac = startServiceAccountController(this.client('kube-controller-manager'), this.pki.caCert);
    this.stops.push(() => gc.stop(), () => nsc.stop(), () => sac.stop());
    await registerNodes(this.client('kubelet'), opts.name ?? 'knet', opts.nodes, opts.hostNetworkIndex);
    const svcs = await bootstrapClusterServices(this.client('kube-apiserver'), { apiPort: this.port, controlPlaneNodeIP: this.nodes[0]!.ip });
    const lbc = startLoadBalancerController(this.client('service-controller'), this.view, { pool: loadBalancerPool(opts.hostNetworkIndex ?? 0) });
    this.stops.push(() => svcs.stop(), () => lbc.stop());
    let dns: Awaited<ReturnType<typeof startClusterDNS>>;
    try {
      dns = await startClusterDNS({ view: this.view, hostPort: opts.dnsPort ?? 0 });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new Error(`cannot listen for DNS on 127.0.0.1:${opts.dnsPort ?? 0} (${code ?? (e as Error).message}); choose another port with --dns-port N`);
    }
    this.dnsPort = dns.port ?? 0;
    opts.log?.(`dns: 127.0.0.1:${dns.port} (dig @127.0.0.1 -p ${dns.port} kubernetes.default.svc.cluster.local)`);
    this.services.dns = dns.handler;
    this.stops.push(() => { delete this.services.dns; return dns.stop(); });
    const kp = new EventRecorder(this.client('kube-proxy'), 'kube-proxy');
    const proxy = startServiceProxy({
      view: this.view, network: this.network, apiPort: this.port,
      nodes: this.nodes.map((n) => ({ name: n.name, ip: n.ip })),
      recordEvent: (o, t, r, m) => kp.event(o, t, r, m), log: opts.log,
    });
    this.stops.push(() => proxy.stop());
    this.proxy = proxy;
    const controllers = { view: this.view, batcher: new Batcher() };
    const workloads = startWorkloadControllers((m) => this.client(m), controllers);
    const endpoints = startEndpointControllers(() => this.client('kube-controller-manager'), controllers);
    this.stops.push(() => endpoints.stop());
    this.agent.start();
    this.stops.push(() => workloads.stop(), () => this.agent.stop());
    await sac.queue.idle();
  }

  /** Stops controllers, the server and the store. */
  async stop(): Promise<void> {
    for (const s of this.stops.splice(0).reverse()) await s();
    await this.server.close();
    await this.store.close();
  }
}
