/**
 * An event recorder for controllers: writes core/v1 Events the way client-go's recorders do.
 * The legacy recorder (controller-manager) names events `<object>.<hex nanoseconds>`, fills
 * source, first/last timestamps and count, and folds identical repeats into one event. The
 * events.k8s.io style (the scheduler) sets eventTime, action and the reporting instance instead.
 */
import type { KObject } from '../api/meta.js';
import type { Client } from '../client/client.js';
import { rfc3339 } from '../apiserver/storage/meta.js';

const EVENTS = { resource: 'events' };

/** Normal or Warning. */
export type EventType = 'Normal' | 'Warning';

/** The involvedObject reference of an object (ref.GetReference). */
export function objectRef(o: KObject): Record<string, string> {
  const ref: Record<string, string> = { kind: o.kind ?? '', apiVersion: o.apiVersion ?? '' };
  if (o.metadata.namespace) ref.namespace = o.metadata.namespace;
  ref.name = o.metadata.name ?? '';
  if (o.metadata.uid) ref.uid = o.metadata.uid;
  if (o.metadata.resourceVersion) ref.resourceVersion = o.metadata.resourceVersion;
  return ref;
}

let seq = 0n;
/** Unique nanosecond timestamps in hex for event names. */
function nanoHex(now: Date): string {
  seq = (seq + 1n) % 1_000_000n;
  return (BigInt(now.getTime()) * 1_000_000n + seq).toString(16);
}

/** When an event happened: its time and the unique name suffix that orders it among events of the same millisecond. */
export interface EventStamp { readonly at: Date; readonly nano: string }

/** Stamps an event now (the scheduler stamps its decision, and writes the event once the binding is done). */
export function eventStamp(at = new Date()): EventStamp {
  return { at, nano: nanoHex(at) };
}

/** A MicroTime value (RFC 3339 with microseconds). */
export function microTime(d: Date): string {
  return d.toISOString().replace(/(\.\d{3})Z$/, '$1000Z');
}

/** Options of a recorder: `action`-style (events.k8s.io) recorders need a reporting instance. */
export interface RecorderOptions { eventsV1?: { instance: () => string } }

/** Records events for one component; writes are best-effort and never throw. */
export class EventRecorder {
  private readonly seen = new Map<string, { ns: string; name: string }>();
  private readonly pending = new Set<Promise<void>>();

  constructor(private readonly client: Client, readonly component: string, private readonly opts: RecorderOptions = {}) {}

  /**
   * Records an event about `obj` (action is used by the events.k8s.io style only); `stamp` dates an
   * event observed before it could be written (the scheduler's decision, written once the binding is).
   */
  event(obj: KObject, type: EventType, reason: string, message: string, action = '', stamp?: EventStamp): void {
    const p = this.write(obj, type, reason, message, action, stamp ?? eventStamp()).catch(() => undefined);
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p));
  }

  /** Resolves when every event write started so far has finished. */
  async idle(): Promise<void> {
    while (this.pending.size) await Promise.all([...this.pending]);
  }

  private async write(obj: KObject, type: EventType, reason: string, message: string, action: string, stamp: EventStamp): Promise<void> {
    const ref = objectRef(obj);
    const ns = ref.namespace || 'default';
    const now = stamp.at;
    const key = [ref.uid, ref.kind, ref.name, type, reason, message, action].join('\u0000');
    const prev = this.seen.get(key);
    const existing = prev && this.client.get(EVENTS, prev.ns, prev.name);
    if (existing) {
      const e = existing as KObject & { count?: number; lastTimestamp?: string; series?: { count?: number; lastObservedTime?: string } };
      if (this.opts.eventsV1) e.series = { count: (e.series?.count ?? 1) + 1, lastObservedTime: microTime(now) };
      else { e.count = (e.count ?? 1) + 1; e.lastTimestamp = rfc3339(now); }
      await this.client.update(EVENTS, e);
      return;
    }
    const name = `${ref.name}.${stamp.nano}`;
    const base = { metadata: { name, namespace: ns }, involvedObject: ref, reason, message, type };
    const ev: KObject = this.opts.eventsV1
      ? { ...base, eventTime: microTime(now), action, reportingComponent: this.component, reportingInstance: this.opts.eventsV1.instance(), source: {} }
      : {
        ...base, source: { component: this.component }, firstTimestamp: rfc3339(now), lastTimestamp: rfc3339(now), count: 1,
        reportingComponent: this.component, reportingInstance: '',
      };
    await this.client.create(EVENTS, ev);
    if (this.seen.size > 4096) this.seen.clear();
    this.seen.set(key, { ns, name });
  }
}
