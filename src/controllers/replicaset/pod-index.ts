/** Pods by controller UID and, for orphans, by namespace: two indexes on the cluster view's shared pods informer. */
import type { Pod } from '../../api/kinds/pod.js';
import type { ClusterView } from '../../client/view.js';
import { controllerOf } from '../util/pods.js';

/** Called with the pod before (undefined when added) and after (undefined when deleted) a change. */
export type PodChange = (prev: Pod | undefined, next: Pod | undefined) => void;

/** The index of pods by the UID of their controller. */
export const PODS_BY_CONTROLLER = 'controllerUID';
/** The index of pods without a controller, by namespace. */
export const ORPHAN_PODS = 'orphans';

/** The PODS_BY_CONTROLLER key of a pod (none for orphans). */
export function controllerUID(p: Pod): string[] {
  const ref = controllerOf(p);
  return ref ? [ref.uid] : [];
}

/** The ORPHAN_PODS key of a pod (none when it has a controller). */
export function orphanNamespace(p: Pod): string[] {
  return controllerOf(p) ? [] : [p.metadata.namespace ?? ''];
}

/** The view's pods by owner; objects are the store's own: never mutate them. */
export class PodIndex {
  private readonly unsubscribe: () => void;

  /** Adds the indexes to the view's pods and subscribes `onChange` to their changes. */
  constructor(private readonly view: ClusterView, onChange: PodChange) {
    view.pods.addIndexers({ [PODS_BY_CONTROLLER]: controllerUID, [ORPHAN_PODS]: orphanNamespace });
    this.unsubscribe = view.pods.subscribe({ add: (p) => onChange(undefined, p), update: onChange, delete: (p) => onChange(p, undefined) });
  }

  /** Pods whose controller has this UID. */
  owned(uid: string): Pod[] {
    return this.view.pods.byIndex(PODS_BY_CONTROLLER, uid);
  }

  /** Pods of a namespace without a controller. */
  orphaned(ns: string): Pod[] {
    return this.view.pods.byIndex(ORPHAN_PODS, ns);
  }

  /** Stops following the view. */
  stop(): void {
    this.unsubscribe();
  }
}
