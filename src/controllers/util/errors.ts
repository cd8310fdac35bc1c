/** Error helpers shared by the controllers: Go-style error text and namespace-terminating checks. */
import { StatusError } from '../../api/errors.js';

/** The message of an error, as Go's err.Error() would print it. */
export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Whether a write failed because its namespace is being terminated (NamespaceTerminatingCause). */
export function namespaceTerminating(e: unknown): boolean {
  return e instanceof StatusError && (e.status.details?.causes ?? []).some((c) => c.reason === 'NamespaceTerminating');
}
