/**
 * One cluster's shared, indexed view of the API: a lazily started shared informer per resource
 * that the service proxy, DNS, the controllers and the coming Ingress and policy engines read and
 * subscribe to instead of each keeping its own copies.
 */
import type { ConfigMap } from '../api/kinds/configmap.js';
import type { Deployment } from '../api/kinds/deployment.js';
import type { Endpoints } from '../api/kinds/endpoints.js';
import type { EndpointSlice } from '../api/kinds/endpointslice.js';
import type { Ingress } from '../api/kinds/ingress.js';
import type { IngressClass } from '../api/kinds/ingressclass.js';
import type { Namespace } from '../api/kinds/namespace.js';
import type { NetworkPolicy } from '../api/kinds/networkpolicy.js';
import type { Node } from '../api/kinds/node.js';
import type { Pod } from '../api/kinds/pod.js';
import type { Job } from '../api/kinds/job.js';
import type { CronJob } from '../api/kinds/cronjob.js';
import type { ReplicaSet } from '../api/kinds/replicaset.js';
import type { StatefulSet } from '../api/kinds/statefulset.js';
import type { DaemonSet } from '../api/kinds/daemonset.js';
import type { ControllerRevision } from '../api/kinds/controllerrevision.js';
import type { PersistentVolumeClaim } from '../api/kinds/pvc.js';
import type { PersistentVolume } from '../api/kinds/pv.js';
import type { StorageClass } from '../api/kinds/storageclass.js';
import type { Secret } from '../api/kinds/secret.js';
import type { Service } from '../api/kinds/service-schema.js';
import type { KObject } from '../api/meta.js';
import type { ResourceRef } from './client.js';
import { INGRESSES_BY_BACKEND, INGRESSES_BY_CLASS, PODS_BY_IP, SLICES_BY_SERVICE, ingressBackends, ingressClass, podIPs, sliceService } from './indexers.js';
import { LABELS_INDEX, SharedInformer, labelIndexKeys, type Indexers, type WatchSource } from './shared-informer.js';

export { INGRESSES_BY_BACKEND, INGRESSES_BY_CLASS, PODS_BY_IP, SLICES_BY_SERVICE } from './indexers.js';
export { LABELS_INDEX, NAMESPACE_INDEX, SharedInformer, type EventHandlers, type IndexFunc, type Indexers, type WatchSource } from './shared-informer.js';

/** The shared informers of one cluster; each starts its list+watch on first use, and `stop()` ends them all. */
export class ClusterView {
  private readonly informers: SharedInformer<KObject>[] = [];
  /** Pods, indexed by namespace, labels (`select`) and IP (PODS_BY_IP). */
  readonly pods: SharedInformer<Pod>;
  /** Services. */
  readonly services: SharedInformer<Service>;
  /** EndpointSlices, indexed by Service (SLICES_BY_SERVICE). */
  readonly endpointSlices: SharedInformer<EndpointSlice>;
  /** v1 Endpoints. */
  readonly endpoints: SharedInformer<Endpoints>;
  /** Nodes. */
  readonly nodes: SharedInformer<Node>;
  /** Namespaces, indexed by labels (`select`). */
  readonly namespaces: SharedInformer<Namespace>;
  /** Ingresses, indexed by class (INGRESSES_BY_CLASS) and backend Service (INGRESSES_BY_BACKEND). */
  readonly ingresses: SharedInformer<Ingress>;
  /** IngressClasses. */
  readonly ingressClasses: SharedInformer<IngressClass>;
  /** Secrets. */
  readonly secrets: SharedInformer<Secret>;
  /** ConfigMaps (the Ingress controller's `--configmap`). */
  readonly configMaps: SharedInformer<ConfigMap>;
  /** NetworkPolicies. */
  readonly networkPolicies: SharedInformer<NetworkPolicy>;
  /** ReplicaSets. */
  readonly replicaSets: SharedInformer<ReplicaSet>;
  /** Deployments. */
  readonly deployments: SharedInformer<Deployment>;
  /** StatefulSets. */
  readonly statefulSets: SharedInformer<StatefulSet>;
  /** DaemonSets. */
  readonly daemonSets: SharedInformer<DaemonSet>;
  /** ControllerRevisions (StatefulSet and DaemonSet history). */
  readonly controllerRevisions: SharedInformer<ControllerRevision>;
  /** PersistentVolumeClaims, PersistentVolumes and StorageClasses (the volume controller and the scheduler). */
  readonly claims: SharedInformer<PersistentVolumeClaim>;
  readonly volumes: SharedInformer<PersistentVolume>;
  readonly storageClasses: SharedInformer<StorageClass>;
  /** batch/v1 Jobs. */
  readonly jobs: SharedInformer<Job>;
  /** batch/v1 CronJobs. */
  readonly cronJobs: SharedInformer<CronJob>;

  /** A view reading through `client` (a `Client`; only its watch is used). */
  constructor(private readonly client: WatchSource) {
    const labels = { [LABELS_INDEX]: labelIndexKeys };
    this.pods = this.informer<Pod>({ resource: 'pods' }, { ...labels, [PODS_BY_IP]: podIPs });
    this.services = this.informer<Service>({ resource: 'services' });
    this.endpointSlices = this.informer<EndpointSlice>({ resource: 'endpointslices', group: 'discovery.k8s.io' }, { [SLICES_BY_SERVICE]: sliceService });
    this.endpoints = this.informer<Endpoints>({ resource: 'endpoints' });
    this.nodes = this.informer<Node>({ resource: 'nodes' });
    this.namespaces = this.informer<Namespace>({ resource: 'namespaces' }, labels);
    this.ingresses = this.informer<Ingress>({ resource: 'ingresses', group: 'networking.k8s.io' }, { [INGRESSES_BY_CLASS]: ingressClass, [INGRESSES_BY_BACKEND]: ingressBackends });
    this.ingressClasses = this.informer<IngressClass>({ resource: 'ingressclasses', group: 'networking.k8s.io' });
    this.secrets = this.informer<Secret>({ resource: 'secrets' });
    this.configMaps = this.informer<ConfigMap>({ resource: 'configmaps' });
    this.networkPolicies = this.informer<NetworkPolicy>({ resource: 'networkpolicies', group: 'networking.k8s.io' });
    this.replicaSets = this.informer<ReplicaSet>({ resource: 'replicasets', group: 'apps' });
    this.deployments = this.informer<Deployment>({ resource: 'deployments', group: 'apps' });
    this.statefulSets = this.informer<StatefulSet>({ resource: 'statefulsets', group: 'apps' });
    this.daemonSets = this.informer<DaemonSet>({ resource: 'daemonsets', group: 'apps' });
    this.controllerRevisions = this.informer<ControllerRevision>({ resource: 'controllerrevisions', group: 'apps' });
    this.claims = this.informer<PersistentVolumeClaim>({ resource: 'persistentvolumeclaims' });
    this.volumes = this.informer<PersistentVolume>({ resource: 'persistentvolumes' });
    this.storageClasses = this.informer<StorageClass>({ resource: 'storageclasses', group: 'storage.k8s.io' });
    this.jobs = this.informer<Job>({ resource: 'jobs', group: 'batch' });
    this.cronJobs = this.informer<CronJob>({ resource: 'cronjobs', group: 'batch' });
  }

  /** Stops every started informer and drops their subscribers. */
  stop(): void {
    for (const i of this.informers) i.stop();
  }

  private informer<T extends KObject>(ref: ResourceRef, indexers: Indexers<T> = {}): SharedInformer<T> {
    const i = new SharedInformer<T>(this.client, ref, indexers);
    this.informers.push(i as unknown as SharedInformer<KObject>);
    return i;
  }
}
