/** Small helpers shared by the endpoint controllers: error text, namespace-terminating checks, annotations. */
import { StatusError } from '../../api/errors.js';
import type { KObject } from '../../api/meta.js';
import { rfc3339Nano } from './podutil.js';
import { TRIGGER_TIME } from './labels.js';

/** The message of an error. */
export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Whether a write failed because its namespace is being terminated (NamespaceTerminatingCause). */
export function namespaceTerminating(e: unknown): boolean {
  return e instanceof StatusError && (e.status.details?.causes ?? []).some((c) => c.reason === 'NamespaceTerminating');
}

/** Sets (or, when 0, removes) the last-change-trigger-time annotation. */
export function setTriggerTime(o: KObject, ms: number): void {
  const a = { ...(o.metadata.annotations ?? {}) };
  if (ms) a[TRIGGER_TIME] = rfc3339Nano(ms);
  else delete a[TRIGGER_TIME];
  if (Object.keys(a).length) o.metadata.annotations = a;
  else delete o.metadata.annotations;
}
