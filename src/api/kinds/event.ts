/** Event (core/v1): schema, legacy validation, printer (printEvent) and field selectors. */
import { Obj, Opt, Str, Int32, MicroTime, Time, type Static } from '../schema.js';
import { kindProps, type KObject } from '../meta.js';
import type { ResourceDef } from '../resource.js';
import { field, type FieldError } from '../errors.js';
import { age, col } from '../printers/util.js';
import { isDNS1123Subdomain, isQualifiedName } from '../validation/names.js';
import { ObjectReference } from './pod-spec-common.js';

const C = 'io.k8s.api.core.v1.';

export const EventSchema = Obj(C + 'Event', 'A report of something that happened to an object.', kindProps({
  involvedObject: ObjectReference,
  reason: Opt(Str('Short machine-readable reason, such as Scheduled.')),
  message: Opt(Str('Human-readable description.')),
  source: Opt(Obj(C + 'EventSource', 'The component that reported the event.', {
    component: Opt(Str('Reporting component.')), host: Opt(Str('Node name the event came from.')),
  })),
  firstTimestamp: Opt(Time),
  lastTimestamp: Opt(Time),
  count: Opt(Int32('How many times the event occurred.')),
  type: Opt(Str('Normal or Warning.')),
  eventTime: Opt(MicroTime),
  series: Opt(Obj(C + 'EventSeries', 'Data about a series of repeated events.', {
    count: Opt(Int32('Occurrences in the series so far.')), lastObservedTime: Opt(MicroTime),
  })),
  action: Opt(Str('What was done, or failed to be done.')),
  related: Opt(ObjectReference),
  reportingComponent: Opt(Str('Controller that emitted the event.')),
  reportingInstance: Opt(Str('Instance of the controller that emitted the event.')),
}), { 'x-kubernetes-group-version-kind': [{ group: '', version: 'v1', kind: 'Event' }] });
export type Event = Static<typeof EventSchema> & KObject;

/** legacyValidateEvent for core/v1 requests. */
export function validateEvent(e: Event): FieldError[] {
  const errs: FieldError[] = [];
  const ns = e.metadata.namespace ?? '';
  const invNs = e.involvedObject?.namespace ?? '';
  const mismatch = () => errs.push(field.invalid('involvedObject.namespace', invNs, 'does not match event.namespace'));
  if (!e.eventTime) {
    if (!invNs) { if (ns !== '' && ns !== 'default') mismatch(); } else if (ns !== invNs) mismatch();
  } else {
    if (!invNs && ns !== 'default' && ns !== 'kube-system') mismatch();
    const rc = e.reportingComponent ?? '';
    if (!rc) errs.push(field.required('reportingComponent', ''));
    errs.push(...isQualifiedName(rc).map((m) => field.invalid('reportingComponent', rc, m)));
    const lim = (name: 'reportingInstance' | 'action' | 'reason', max: number) => {
      const v = e[name] ?? '';
      if (!v) errs.push(field.required(name, ''));
      if (v.length > max) errs.push(field.invalid(name, '', `can have at most ${max} characters`));
    };
    lim('reportingInstance', 128);
    lim('action', 128);
    lim('reason', 128);
    if ((e.message ?? '').length > 1024) errs.push(field.invalid('message', '', 'can have at most 1024 characters'));
  }
  for (const m of isDNS1123Subdomain(ns)) errs.push(field.invalid('namespace', ns, m));
  return errs;
}

/** The wide printEvent row: Last Seen, Type, Reason, Object, Subobject, Source, Message, First Seen, Count, Name. */
export function printEvent(e: Event, now: Date): (string | number)[] {
  const first = e.firstTimestamp ? age(e.firstTimestamp, now) : age(e.eventTime, now);
  let last = e.lastTimestamp ? age(e.lastTimestamp, now) : first;
  let count = e.count ?? 0;
  if (e.series) {
    last = age(e.series.lastObservedTime, now);
    count = e.series.count ?? 0;
  } else if (count === 0) count = 1;
  const inv = e.involvedObject ?? {};
  const kind = (inv.kind ?? '').toLowerCase();
  const target = inv.name ? `${kind}/${inv.name}` : kind;
  const component = e.source?.component || e.reportingComponent || '';
  const instance = e.source?.host || e.reportingInstance || '';
  const source = instance ? `${component}, ${instance}` : component;
  return [last, e.type ?? '', e.reason ?? '', target, inv.fieldPath ?? '', source, (e.message ?? '').trim(), first, count, e.metadata.name ?? ''];
}

export const eventDef: ResourceDef<Event> = {
  group: '', version: 'v1', kind: 'Event', plural: 'events', singular: 'event',
  namespaced: true, shortNames: ['ev'], categories: [],
  schema: EventSchema, statusSubresource: false, generation: false,
  validate: (e) => validateEvent(e),
  columns: [
    col('Last Seen', 'string', 'Time when the most recent occurrence was recorded.'),
    col('Type', 'string', 'Type of the event (Normal or Warning).'),
    col('Reason', 'string', 'Short machine-readable reason for the event.'),
    col('Object', 'string', 'The object this event is about.'),
    col('Subobject', 'string', 'Field path inside the object, if any.', 1),
    col('Source', 'string', 'Component that reported the event.', 1),
    col('Message', 'string', 'Human-readable description of the event.'),
    col('First Seen', 'string', 'Time when the event was first recorded.', 1),
    col('Count', 'string', 'Number of times the event occurred.', 1),
    col('Name', 'string', 'Name of the event object.', 1, 'name'),
  ],
  row: printEvent,
  fieldSelectors: {
    'involvedObject.kind': (e) => e.involvedObject?.kind ?? '',
    'involvedObject.namespace': (e) => e.involvedObject?.namespace ?? '',
    'involvedObject.name': (e) => e.involvedObject?.name ?? '',
    'involvedObject.uid': (e) => e.involvedObject?.uid ?? '',
    'involvedObject.apiVersion': (e) => e.involvedObject?.apiVersion ?? '',
    'involvedObject.resourceVersion': (e) => e.involvedObject?.resourceVersion ?? '',
    'involvedObject.fieldPath': (e) => e.involvedObject?.fieldPath ?? '',
    reason: (e) => e.reason ?? '',
    reportingComponent: (e) => e.reportingComponent ?? '',
    source: (e) => e.source?.component || e.reportingComponent || '',
    type: (e) => e.type ?? '',
  },
  nameValidation: 'subdomain',
};
