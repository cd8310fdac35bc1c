/** Error helpers shared by the controllers: Go-style error text and work-queue error reporting. */
import { StatusError } from '../../api/errors.js';
import { logReconcileError } from '../../client/workqueue.js';

/** The message of an error, as Go's err.Error() would print it. */
export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Whether a write failed because its namespace is being terminated (NamespaceTerminatingCause). */
export function namespaceTerminating(e: unknown): boolean {
  return e instanceof StatusError && (e.status.details?.causes ?? []).some((c) => c.reason === 'NamespaceTerminating');
}

/** WorkQueue error reporting: conflicts quiet, API errors in one line, stack traces only for real internal errors. */
export const reportError: (key: string, e: unknown) => void = logReconcileError;
