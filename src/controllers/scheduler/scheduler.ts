/**
 * The scheduler: binds pending pods (no nodeName, default scheduler, no gates) to a feasible node
 * with the fewest pods; reports unschedulable pods with a PodScheduled=False condition and a
 * FailedScheduling event, and retries them when nodes change.
 */
import { hostname } from 'node:os';
import type { Node } from '../../api/kinds/node.js';
import type { Pod } from '../../api/kinds/pod.js';
import { LABEL_NODE_ROLE_CONTROL_PLANE } from '../../api/wellknown.js';
import type { Client } from '../../client/client.js';
import { keyOf, splitKey } from '../../client/informer.js';
import type { ClusterView } from '../../client/view.js';
import { WorkQueue } from '../../client/workqueue.js';
import { rfc3339 } from '../../apiserver/storage/meta.js';
import { EventRecorder, eventStamp } from '../events.js';
import { filterNode, fitErrorMessage, type SchedNode } from './filters.js';
import { hostPortsOf, portsConflict, REASON_PORTS, type HostPort } from './hostports.js';
import { checkPodVolumes, volumeNodeConflict, type VolumeLookup } from './volumes.js';
import { ANNOTATION_SELECTED_NODE } from '../../api/kinds/storage-common.js';

const PODS = { resource: 'pods' };
const RETRY_MS = 5 * 60_000;

/** A running scheduler. */
export interface Scheduler { stop(): void; queue: WorkQueue; recorder: EventRecorder }

const terminal = (p: Pod) => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';

function wantsScheduling(p: Pod): boolean {
  return !p.spec?.nodeName && !p.metadata.deletionTimestamp && !terminal(p) && !p.spec?.schedulingGates?.length &&
    (p.spec?.schedulerName ?? 'default-scheduler') === 'default-scheduler';
}

/** Starts the scheduler. */
export function startScheduler(client: Client, view: ClusterView): Scheduler {
  const podNode = new Map<string, string>();   // pod key → node, for pods counted on a node
  const perNode = new Map<string, number>();
  const heldPorts = new Map<string, Map<string, HostPort[]>>(); // node → pod key → host ports it holds
  const unschedulable = new Set<string>();
  const ownWrites = new Map<string, string>(); // pod key → resourceVersion of our status write
  const writing = new Set<string>();
  const instance = () => {
    const cp = view.nodes.list().find((n) => n.metadata.labels?.[LABEL_NODE_ROLE_CONTROL_PLANE] !== undefined);
    return `default-scheduler-${cp?.metadata.name ?? hostname()}`;
  };
  const recorder = new EventRecorder(client, 'default-scheduler', { eventsV1: { instance } });
  const queue: WorkQueue = new WorkQueue((key) => reconcile(key), 1);

  const count = (key: string, node: string | undefined, ports: HostPort[] = []) => {
    const prev = podNode.get(key);
    if (prev === node) return;
    if (prev !== undefined) {
      perNode.set(prev, (perNode.get(prev) ?? 1) - 1);
      podNode.delete(key);
      // Freed host ports may let a waiting pod fit (upstream requeues on assigned-pod deletion).
      if (heldPorts.get(prev)?.delete(key)) setImmediate(() => retry());
    }
    if (node !== undefined) {
      perNode.set(node, (perNode.get(node) ?? 0) + 1);
      podNode.set(key, node);
      if (ports.length) { let m = heldPorts.get(node); if (!m) heldPorts.set(node, m = new Map()); m.set(key, ports); }
    }
  };
  const onPod = (p: Pod) => {
    const key = keyOf(p);
    count(key, p.spec?.nodeName && !terminal(p) ? p.spec.nodeName : undefined, hostPortsOf(p));
    if (writing.has(key) || ownWrites.get(key) === p.metadata.resourceVersion) return;
    if (wantsScheduling(p)) queue.add(key);
    else unschedulable.delete(key);
  };
  const offPods = view.pods.subscribe({
    add: onPod, update: (_, p) => onPod(p),
    delete: (o) => { const key = keyOf(o); count(key, undefined); unschedulable.delete(key); ownWrites.delete(key); },
  });
  // Unschedulable pods are retried when a node appears or changes in a way that matters to the filters.
  const signature = (n: Node) => JSON.stringify([n.metadata.labels, n.spec, n.status?.conditions?.find((c) => c.type === 'Ready')?.status]);
  const retry = () => { for (const k of unschedulable) queue.add(k); };
  const offNodes = view.nodes.subscribe({ add: retry, update: (a, b) => { if (signature(a) !== signature(b)) retry(); } });
  // Pods waiting for their claims (missing, unbound, being provisioned) are retried when claims change.
  const waitingForClaims = new Set<string>();
  const claimChanged = () => { for (const k of [...unschedulable, ...waitingForClaims]) queue.add(k); };
  const offClaims = view.claims.subscribe({ add: claimChanged, update: claimChanged });
  const volumeLookup: VolumeLookup = {
    claim: (ns, name) => view.claims.get(ns, name), volume: (name) => view.volumes.get('', name), storageClass: (name) => view.storageClasses.get('', name),
  };

  /** The NodeResourcesFit "Too many pods" check against status.allocatable.pods. */
  function portsTaken(pod: Pod, n: SchedNode): string | undefined {
    const held = heldPorts.get(n.metadata.name!);
    return held && portsConflict(hostPortsOf(pod), held.values()) ? REASON_PORTS : undefined;
  }

  function tooManyPods(n: SchedNode): string | undefined {
    const max = Number((n.status as { allocatable?: { pods?: string } } | undefined)?.allocatable?.pods ?? '110');
    return (perNode.get(n.metadata.name!) ?? 0) >= max ? 'Too many pods' : undefined;
  }

  async function reconcile(key: string): Promise<void> {
    const [ns, name] = splitKey(key);
    const pod = client.peek(PODS, ns, name) as Pod | undefined; // shared: not mutated
    waitingForClaims.delete(key);
    if (!pod || !wantsScheduling(pod)) { unschedulable.delete(key); return; }
    const all: SchedNode[] = view.nodes.list().sort((a, b) => (a.metadata.name! < b.metadata.name! ? -1 : 1));
    const volumes = checkPodVolumes(pod, volumeLookup);
    if ('error' in volumes) return unschedulableFor(key, pod, fitErrorMessage(pod, all.length, [], volumes.error));
    const reasons: string[] = [];
    let best: SchedNode | undefined;
    for (const n of all) {
      const why = filterNode(pod, n) ?? volumeNodeConflict(volumes, n) ?? portsTaken(pod, n) ?? tooManyPods(n);
      if (why) { reasons.push(why); continue; }
      if (!best || (perNode.get(n.metadata.name!) ?? 0) < (perNode.get(best.metadata.name!) ?? 0)) best = n;
    }
    if (!best) return unschedulableFor(key, pod, all.length === 0 ? 'no nodes available to schedule pods' : fitErrorMessage(pod, all.length, reasons));
    const node = best.metadata.name!;
    if (volumes.waitFor.length) {
      // PreBind: the chosen node goes on each WaitForFirstConsumer claim; the pod binds once the claims are bound.
      waitingForClaims.add(key);
      for (const c of volumes.waitFor) await selectNode(c.metadata.namespace ?? '', c.metadata.name ?? '', node);
      return;
    }
    count(key, node, hostPortsOf(pod));
    // Dated at the decision: the kubelet may see the binding and write its events before this resumes.
    const decided = eventStamp();
    try {
      await client.bind(ns, name, node, pod.metadata.uid);
    } catch (e) {
      count(key, undefined);
      throw e;
    }
    unschedulable.delete(key);
    recorder.event(pod, 'Normal', 'Scheduled', `Successfully assigned ${ns}/${name} to ${node}`, 'Binding', decided);
  }

  async function selectNode(ns: string, name: string, node: string): Promise<void> {
    const pvc = client.get({ resource: 'persistentvolumeclaims' }, ns, name);
    if (!pvc || pvc.metadata.annotations?.[ANNOTATION_SELECTED_NODE]) return;
    pvc.metadata.annotations = { ...pvc.metadata.annotations, [ANNOTATION_SELECTED_NODE]: node };
    await client.update({ resource: 'persistentvolumeclaims' }, pvc);
  }

  async function unschedulableFor(key: string, pod: Pod, message: string): Promise<void> {
    unschedulable.add(key);
    queue.addAfter(key, RETRY_MS);
    recorder.event(pod, 'Warning', 'FailedScheduling', message, 'Scheduling');
    const conds = pod.status?.conditions ?? [];
    const cur = conds.find((c) => c.type === 'PodScheduled');
    if (cur?.status === 'False' && cur.reason === 'Unschedulable' && cur.message === message) return;
    const next = { type: 'PodScheduled', status: 'False',
      lastTransitionTime: cur?.status === 'False' && cur.lastTransitionTime ? cur.lastTransitionTime : rfc3339(new Date()), reason: 'Unschedulable', message };
    const status = { ...pod.status, conditions: [...conds.filter((c) => c.type !== 'PodScheduled'), next] };
    writing.add(key);
    try {
      const out = await client.update(PODS, { ...pod, status }, 'status');
      ownWrites.set(key, out.metadata.resourceVersion ?? '');
    } finally {
      writing.delete(key);
    }
  }

  return { stop: () => { offPods(); offNodes(); offClaims(); queue.stop(); }, queue, recorder };
}
