/**
 * A whole knet cluster in one process: store, API server, controllers and emulated nodes.
 * `knet up` and the tests start clusters through this class.
 */
import { join } from 'node:path';
import { Registry } from './api/registry.js';
import { allKinds } from './api/kinds/index.js';
import { serveCustomResources } from './apiextensions/serving.js';
import { startCRDController } from './controllers/crd/controller.js';
import { openStore } from './store/index.js';
import type { Store } from './store/types.js';
import { ApiServer } from './apiserver/server.js';
import { loadOrCreatePki, type Pki } from './apiserver/pki.js';
import { ServiceAccountTokens } from './apiserver/tokens.js';
import { podTokenSource } from './apiserver/token-request.js';
import { serviceAccountAdmission } from './apiserver/serviceaccount-admission.js';
import { ensureBootstrapPolicy } from './apiserver/authz/bootstrap.js';
import { startClusterRoleAggregation } from './controllers/clusterroleaggregation/controller.js';
import { namespaceLifecycle } from './apiserver/admission.js';
import { defaultIngressClass } from './apiserver/default-ingress-class.js';
import { storageAdmission } from './apiserver/storage-admission.js';
import { webhookAdmission } from './apiserver/webhooks/index.js';
import { policyAdmission } from './apiserver/policy/index.js';
import { admitConnect } from './apiserver/storage/connect.js';
import type { WriteHooks } from './apiserver/storage/write.js';
import { Client } from './client/client.js';
import { ClusterView } from './client/view.js';
import { startNamespaceController } from './controllers/namespace/controller.js';
import { startGarbageCollector } from './controllers/gc/controller.js';
import { startServiceAccountController } from './controllers/serviceaccount/controller.js';
import { registerNodes, nodeName, nodeIP, podCIDR } from './node/registrar.js';
import { createNetwork } from './net/network.js';
import { describePlan, type ConnectionBudget } from './net/budget.js';
import { processConnectionBudget } from './runtime/nofile.js';
import type { Network } from './net/types.js';
import { NodeAgent, type NodeInfo } from './node/kubelet/agent.js';
import { streamBackend } from './node/kubelet/streams.js';
import { serveKubeletApi } from './node/kubelet/server.js';
import { streamHandlers } from './apiserver/streams/handlers.js';
import { createUpgradeHandler } from './apiserver/streams/upgrade.js';
import { proxySubresources, withProxyUpgrades } from './apiserver/proxy/index.js';
import { EventRecorder } from './controllers/events.js';
import { startWorkloadControllers } from './controllers/workloads.js';
import { startPodAutoscalerController } from './controllers/podautoscaler/controller.js';
import { startDisruptionController } from './controllers/disruption/controller.js';
import { evictionHandler } from './apiserver/eviction.js';
import { startVolumeController } from './controllers/volume/controller.js';
import { VolumeStore } from './controllers/volume/store.js';
import { Batcher } from './controllers/util/batch.js';
import { serviceAllocation } from './apiserver/allocation/allocation.js';
import { composeHooks } from './apiserver/allocation/compose.js';
import { loadBalancerPool, startLoadBalancerController } from './controllers/loadbalancer/controller.js';
import { bootstrapClusterServices } from './controllers/bootstrap/bootstrap.js';
import { startEndpointControllers } from './controllers/endpoints/index.js';
import { startClusterDNS } from './dataplane/dns/index.js';
import { startServiceProxy } from './dataplane/proxy/index.js';
import { formatDrop, startNetworkPolicy } from './dataplane/policy/index.js';
import { endpointsDeprecationWarning } from './api/kinds/endpoints.js';
import { ImageRegistry } from './images/registry.js';
import type { ClusterServices } from './images/types.js';
import { startIngressService } from './dataplane/ingress/service.js';
import { startHostPorts, type HostPortBind, type HostPorts } from './dataplane/proxy/hostports.js';
import { probeEndpoint } from './analysis/probe-endpoint.js';
import { PROBE_PATH } from './analysis/probe.js';
import { INGRESS_CONTROLLER, INGRESS_NAMESPACE, installIngressAddon, labelIngressReady, type IngressAddonOptions } from './controllers/bootstrap/ingress-addon.js';
import { knetCommand } from './runtime/self.js';

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
  /** Logs one line per flow NetworkPolicy drops (`knet up --log-policy`). */
  logPolicy?: boolean;
  /** What pods with images knet does not know run: a stand-in (default) or nothing (ErrImagePull). */
  unknownImages?: 'stand-in' | 'fail';
  /** Port of the cluster DNS listener on 127.0.0.1 (0: any free port). */
  dnsPort?: number;
  /** How often the kubelet refreshes mounted ConfigMaps and Secrets (default 1m). */
  syncFrequencyMs?: number;
  /** Host network block: node IPs 127.1.N.x and load balancer pool 127.240.N.0/24 (default 0). */
  hostNetworkIndex?: number;
  /** Installs the ingress addon with these host ports (`knet up` does unless --no-ingress); absent: not installed. */
  ingress?: IngressAddonOptions;
  /** The host connection budget (caps per listener, the API server's reserve); by default from this process's open-files limit. */
  connections?: ConnectionBudget;
}

/** Where the ingress addon's controller is reachable from the host, as far as known. */
export interface IngressReach {
  /** `http://127.0.0.1:80` style URLs of the host ports that are bound. */
  urls: string[];
  /** Refused host ports and why (`127.0.0.1:80 EACCES`). */
  refused: string[];
  /** The controller Service's LoadBalancer addresses. */
  loadBalancer: string[];
}

/** The cluster DNS Service address and domain pods are configured with. */
export const CLUSTER_DNS = { clusterDNS: '10.96.0.10', clusterDomain: 'cluster.local' };

/** The cluster's virtual address blocks: pods (a /24 per node) and Services. */
export const CLUSTER_NETWORK = { podCIDR: '10.244.0.0/16', serviceCIDR: '10.96.0.0/12' };

const SYSTEM_NAMESPACES = ['default', 'kube-node-lease', 'kube-public', 'kube-system'];

/** A running cluster. */
export class Cluster {
  private stops: (() => void | Promise<void>)[] = [];
  /** The host port of the cluster DNS server (dig @127.0.0.1 -p <dnsPort>). */
  dnsPort = 0;
  /** The service proxy (for tests: `synced()`, `dumpTable()`). */
  proxy?: ReturnType<typeof startServiceProxy>;
  /** The pods' hostPort listeners. */
  hostPorts?: HostPorts;
  /** The longest grace period pods get when the cluster stops. */
  private podGraceMs = 0;
  /** The host connection budget every listener of this cluster counts against. */
  connections?: ConnectionBudget;

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
    const customResources = serveCustomResources(store, registry, log);
    let server: ApiServer | undefined;
    let cluster: Cluster | undefined;
    let view: ClusterView | undefined;
    try {
      const pki = await loadOrCreatePki(opts.ephemeral ? undefined : opts.dataDir);
      const tokens = ServiceAccountTokens.load(opts.ephemeral ? undefined : opts.dataDir);
      const alloc = serviceAllocation(store, { serviceCIDR: CLUSTER_NETWORK.serviceCIDR, nodePortRange: [30000, 32767] });
      alloc.repair();
      const apiServerNet: { stack?: ReturnType<Network['stackFor']> } = {};
      const webhooks = webhookAdmission(store, { stack: () => apiServerNet.stack, log });
      const hooks = composeHooks(namespaceLifecycle(store), defaultIngressClass(store), serviceAccountAdmission(store), storageAdmission(store), alloc, policyAdmission(store, log), webhooks);
      const kubelet = new Client(store, registry, hooks, 'kubelet');
      const pods = (view = new ClusterView(new Client(store, registry, hooks, 'knet-view'))).pods;
      const network = createNetwork({
        pods: { labels: (ns, name) => pods.get(ns, name)?.metadata.labels, get version() { return pods.changes; } },
        onDrop: opts.logPolicy ? (p) => log(formatDrop(p)) : undefined,
      });
      const recorder = new EventRecorder(kubelet, 'kubelet');
      const nodes = Array.from({ length: opts.nodes }, (_, i) => ({ name: nodeName(opts.name ?? 'knet', i), ip: nodeIP(i, opts.hostNetworkIndex), podCIDR: podCIDR(i) }));
      const agent = new NodeAgent({
        client: kubelet, network, nodes, dns: CLUSTER_DNS, unknownImages: opts.unknownImages ?? 'stand-in',
        images: new ImageRegistry(), cluster: {}, recordEvent: (o, t, r, m) => recorder.event(o, t, r, m), volumes: new VolumeStore(),
        serviceAccountToken: podTokenSource(store, tokens), syncFrequencyMs: opts.syncFrequencyMs,
      });
      apiServerNet.stack = network.stackFor(nodes[0]!.ip); // the API server reaches webhooks from the control-plane node
      const backend = streamBackend(agent);
      const connections = opts.connections ?? processConnectionBudget();
      log(describePlan(connections.plan));
      const proxy = proxySubresources(kubelet, network.stackFor(nodes[0]!.ip)!); // kube-apiserver dials from its node
      server = new ApiServer({
        store, registry, pki, tokens, port: opts.apiPort, hooks, maxConnections: connections.plan.apiServer, log,
        resourceContext: {
          warningsFor: (d) => (d.kind === 'Endpoints' && d.group === '' ? [endpointsDeprecationWarning] : []),
          connect: { ...streamHandlers(backend, { store, registry }), eviction: evictionHandler({ store, registry, hooks }) },
        },
        upgrade: withProxyUpgrades(proxy, createUpgradeHandler({ backend, store, registry, admit: (ns, name, sub, q, user) => admitConnect(hooks, registry.lookup('', 'v1', 'pods')!, ns, name, sub, q, user) })),
        proxy: (path, req, res) => proxy.serve(path, req, res),
        extraRoutes: { [PROBE_PATH]: probeEndpoint(network, (ns, name) => pods.get(ns, name)?.status?.podIP) },
        onRequest: opts.logRequests ? (m, u, c, ms) => log(`${m} ${u} ${c} ${ms.toFixed(1)}ms`) : undefined,
      });
      const port = await server.listen();
      log(`api server: https://127.0.0.1:${port}`);
      cluster = new Cluster(store, registry, pki, server, port, network, agent, hooks, nodes, view);
      cluster.stops.push(() => customResources.stop());
      cluster.connections = connections;
      for (const n of nodes) {
        cluster.stops.push(serveKubeletApi(network.stackFor(n.ip)!, { cert: pki.serverCert, key: pki.serverKey, pods: () => pods.list().filter((p) => p.spec?.nodeName === n.name) }));
      }
      await cluster.bootstrap(opts);
      return cluster;
    } catch (e) {
      if (cluster) await cluster.stop().catch(() => undefined);
      else { customResources.stop(); view?.stop(); await server?.close(); await store.close(); }
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
    const crdc = startCRDController(this.client('kube-apiserver'));
    this.stops.push(() => gc.stop(), () => nsc.stop(), () => sac.stop(), () => crdc.stop());
    await ensureBootstrapPolicy(sys);
    const cra = startClusterRoleAggregation(this.client('kube-controller-manager'));
    this.stops.push(() => cra.stop());
    await registerNodes(this.client('kubelet'), opts.name ?? 'knet', opts.nodes, opts.hostNetworkIndex);
    const svcs = await bootstrapClusterServices(this.client('kube-apiserver'), { apiPort: this.port, controlPlaneNodeIP: this.nodes[0]!.ip });
    const lbc = startLoadBalancerController(this.client('service-controller'), this.view, { pool: loadBalancerPool(opts.hostNetworkIndex ?? 0) });
    this.stops.push(() => svcs.stop(), () => lbc.stop());
    let dns: Awaited<ReturnType<typeof startClusterDNS>>;
    try {
      dns = await startClusterDNS({ view: this.view, hostPort: opts.dnsPort ?? 0, connections: this.connections, log: opts.log, stack: () => this.network.stackFor(this.nodes[0]!.ip) });
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
      recordEvent: (o, t, r, m) => kp.event(o, t, r, m), log: opts.log, connections: this.connections,
    });
    this.stops.push(() => proxy.stop());
    this.proxy = proxy;
    const policy = startNetworkPolicy(this.view, this.network);
    this.stops.push(() => policy.stop());
    this.startIngress(opts);
    // The first node is `ingress-ready` as in kind's ingress cluster config, so an addon re-created from a manifest schedules there even after --no-ingress.
    await labelIngressReady(this.client('kubelet'), this.nodes[0]!.name);
    if (opts.ingress) await installIngressAddon(this.client('knet-addon-manager'), this.nodes[0]!.name, opts.ingress);
    const controllers = { view: this.view, batcher: new Batcher() };
    const workloads = startWorkloadControllers((m) => this.client(m), controllers);
    const volumes = startVolumeController(this.client('kube-controller-manager'), controllers, this.agent.opts.volumes!);
    const disruption = startDisruptionController(this.client('kube-controller-manager'), controllers);
    const autoscaler = startPodAutoscalerController(this.client('kube-controller-manager'));
    this.stops.push(() => volumes.stop(), () => disruption.stop(), () => autoscaler.stop());
    const endpoints = startEndpointControllers(() => this.client('kube-controller-manager'), controllers);
    this.stops.push(() => endpoints.stop());
    this.agent.start();
    this.stops.push(() => workloads.stop(), () => this.agent.stop(this.podGraceMs));
    await sac.queue.idle();
  }

  /** The cluster's ingress service (`ctx.cluster.ingress`) and the hostPort listeners. */
  private startIngress(opts: ClusterOptions): void {
    const ingressEvents = new EventRecorder(this.client('nginx-ingress-controller'), 'nginx-ingress-controller');
    const ingress = startIngressService({ view: this.view, client: this.client('nginx-ingress-controller'), event: (o, t, r, m) => ingressEvents.event(o, t, r, m) });
    this.services.ingress = ingress;
    if (opts.ingress) ingress.fakeCertificate().catch(() => undefined); // made while the addon's pod starts; a failure reaches the replica that asks
    this.stops.push(() => { delete this.services.ingress; ingress.stop(); });
    const kubelet = new EventRecorder(this.client('kubelet'), 'kubelet');
    const addonPort = (b: HostPortBind): boolean => b.pod.startsWith(`${INGRESS_NAMESPACE}/`) && (b.port === opts.ingress?.httpPort || b.port === opts.ingress?.httpsPort);
    const hostPorts = startHostPorts({
      view: this.view, network: this.network, nodes: this.nodes, log: opts.log ?? (() => undefined),
      recordEvent: (o, t, r, m) => kubelet.event(o, t, r, m), connections: this.connections,
      hint: (b) => (addonPort(b) ? `pick other ports for Ingress with ${knetCommand()} up --http-port N --https-port N` : undefined),
    });
    this.hostPorts = hostPorts;
    this.stops.push(() => hostPorts.stop());
  }

  /** Waits (at most `ms`) until the ingress addon's host ports on 127.0.0.1 are bound or refused; says where Ingress is served. */
  async ingressReach(ports: IngressAddonOptions, ms = 5000): Promise<IngressReach> {
    const keys = [ports.httpPort, ports.httpsPort].map((p) => `TCP 127.0.0.1:${p}`);
    const end = Date.now() + ms;
    const settled = () => keys.every((k) => this.hostPorts?.bound().includes(k) || this.hostPorts?.refused().has(k));
    while (Date.now() < end && !settled()) {
      await this.hostPorts?.synced();
      if (!settled()) await new Promise((r) => setTimeout(r, 20));
    }
    const bound = this.hostPorts?.bound() ?? [];
    const refused = this.hostPorts?.refused() ?? new Map<string, string>();
    const svc = this.view.services.get(INGRESS_NAMESPACE, INGRESS_CONTROLLER);
    return {
      urls: [['http', ports.httpPort], ['https', ports.httpsPort]].filter(([, p]) => bound.includes(`TCP 127.0.0.1:${p}`)).map(([s, p]) => `${s}://127.0.0.1:${p}`),
      refused: keys.filter((k) => refused.has(k)).map((k) => `${k.slice(4)} ${refused.get(k) ?? ''}`),
      loadBalancer: (svc?.status?.loadBalancer?.ingress ?? []).map((i) => i.ip ?? i.hostname ?? '').filter(Boolean),
    };
  }

  /** Stops the pods (each with its grace period up to `podGraceMs`, default 0: killed at once), controllers, the server and the store. */
  async stop(opts: { podGraceMs?: number } = {}): Promise<void> {
    this.podGraceMs = opts.podGraceMs ?? 0;
    for (const s of this.stops.splice(0).reverse()) await s();
    await this.server.close();
    await this.store.close();
  }
}
