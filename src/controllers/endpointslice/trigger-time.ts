/** Tracks, per Service, when the changes that lead to an endpoints update happened (TriggerTimeTracker). */
import type { Pod } from '../../api/kinds/pod.js';
import type { Service } from '../../api/kinds/service-schema.js';
import { podTriggerTime } from './podutil.js';

interface State { pods: Map<string, number>; service: number }

/** Computes the `endpoints.kubernetes.io/last-change-trigger-time` value of each sync. */
export class TriggerTimeTracker {
  private readonly states = new Map<string, State>();

  /** The earliest trigger time changed since the last sync (creation time on the first); 0 when none. */
  compute(key: string, svc: Service, pods: Pod[]): number {
    const prev = this.states.get(key);
    let min = 0;
    const lower = (t: number) => { if (min === 0 || t < min) min = t; };
    const next: State = { pods: new Map(), service: Date.parse(svc.metadata.creationTimestamp ?? '') || 0 };
    for (const p of pods) {
      const t = podTriggerTime(p);
      if (!t) continue;
      next.pods.set(p.metadata.name!, t);
      if (t > (prev?.pods.get(p.metadata.name!) ?? 0)) lower(t);
    }
    if (next.service > (prev?.service ?? 0)) lower(next.service);
    this.states.set(key, next);
    return prev ? min : next.service;
  }

  /** Forgets a deleted Service. */
  delete(key: string): void {
    this.states.delete(key);
  }
}
