import { GoValue } from './gofmt.js';

/**
 * Field errors and API Status errors, formatted exactly as Kubernetes formats them
 * (k8s.io/apimachinery/pkg/util/validation/field and pkg/api/errors).
 */

/** The kinds of field error Kubernetes reports (`field.ErrorType`), as their cause reasons. */
export type FieldErrorType =
  | 'FieldValueInvalid' | 'FieldValueRequired' | 'FieldValueNotSupported' | 'FieldValueDuplicate'
  | 'FieldValueForbidden' | 'FieldValueTooLong' | 'FieldValueTooMany' | 'FieldValueNotFound' | 'InternalError';

/** One validation problem at a field path such as `spec.ports[0].nodePort`. */
export interface FieldError {
  type: FieldErrorType;
  field: string;
  value?: unknown;
  detail?: string;
  /** For NotSupported: the accepted values. */
  supported?: string[];
}

/** Go's %v-like rendering of a bad value inside an error message. */
export function formatValue(v: unknown): string {
  if (v instanceof GoValue) return v.goRepr;
  if (v === undefined || v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

/** The text after the field path, e.g. `Invalid value: 80: provided port is not in the valid range…`. */
export function fieldErrorBody(e: FieldError): string {
  switch (e.type) {
    case 'FieldValueRequired': return e.detail ? `Required value: ${e.detail}` : 'Required value';
    case 'FieldValueForbidden': return e.detail ? `Forbidden: ${e.detail}` : 'Forbidden';
    case 'FieldValueDuplicate': return `Duplicate value: ${formatValue(e.value)}`;
    case 'FieldValueNotFound': return `Not found: ${formatValue(e.value)}`;
    case 'FieldValueTooLong': return `Too long: ${e.detail ?? ''}`;
    case 'FieldValueTooMany': return `Too many: ${e.detail ?? ''}`;
    case 'InternalError': return `Internal error: ${e.detail ?? ''}`;
    case 'FieldValueNotSupported': {
      const sup = (e.supported ?? []).map((s) => JSON.stringify(s)).join(', ');
      return `Unsupported value: ${formatValue(e.value)}${sup ? `: supported values: ${sup}` : ''}`;
    }
    case 'FieldValueInvalid':
    default:
      return `Invalid value: ${formatValue(e.value)}${e.detail ? `: ${e.detail}` : ''}`;
  }
}

/** `field: body`, the way `field.Error.Error()` prints. */
export function formatFieldError(e: FieldError): string {
  return `${e.field}: ${fieldErrorBody(e)}`;
}

/** Helpers mirroring field.Invalid / field.Required / …. */
export const field = {
  invalid: (f: string, value: unknown, detail: string): FieldError => ({ type: 'FieldValueInvalid', field: f, value, detail }),
  required: (f: string, detail = ''): FieldError => ({ type: 'FieldValueRequired', field: f, detail }),
  notSupported: (f: string, value: unknown, supported: string[]): FieldError => ({ type: 'FieldValueNotSupported', field: f, value, supported }),
  duplicate: (f: string, value: unknown): FieldError => ({ type: 'FieldValueDuplicate', field: f, value }),
  forbidden: (f: string, detail: string): FieldError => ({ type: 'FieldValueForbidden', field: f, detail }),
  tooLong: (f: string, value: unknown, max: number): FieldError => ({ type: 'FieldValueTooLong', field: f, value, detail: `may not be more than ${max} bytes` }),
  notFound: (f: string, value: unknown): FieldError => ({ type: 'FieldValueNotFound', field: f, value }),
};

/** A Kubernetes `Status` object as sent in error responses. */
export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message?: string;
  reason?: string;
  details?: { name?: string; group?: string; kind?: string; uid?: string; causes?: { reason?: string; message?: string; field?: string }[]; retryAfterSeconds?: number };
  code: number;
}

/** An error that the API server turns into a Status response. */
export class StatusError extends Error {
  constructor(public readonly status: Status, public readonly headers: Record<string, string> = {}) {
    super(status.message ?? status.reason ?? 'error');
  }
  get code(): number { return this.status.code; }
}

function status(code: number, reason: string, message: string, details?: Status['details']): StatusError {
  return new StatusError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, ...(details ? { details } : {}), code });
}

/** Constructors for the common API errors, with the exact messages of kube-apiserver. */
export const errors = {
  notFound: (resource: string, name: string, group = '') =>
    status(404, 'NotFound', `${resource}${group ? '.' + group : ''} "${name}" not found`, { name, ...(group ? { group } : {}), kind: resource }),
  alreadyExists: (resource: string, name: string, group = '') =>
    status(409, 'AlreadyExists', `${resource}${group ? '.' + group : ''} "${name}" already exists`, { name, ...(group ? { group } : {}), kind: resource }),
  conflict: (resource: string, name: string, why: string, group = '') =>
    status(409, 'Conflict', `Operation cannot be fulfilled on ${resource}${group ? '.' + group : ''} "${name}": ${why}`, { name, ...(group ? { group } : {}), kind: resource }),
  badRequest: (message: string) => status(400, 'BadRequest', message),
  unsupportedMediaType: (contentType: string) => status(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf${contentType ? '' : ''}`),
  notAcceptable: (message: string) => status(406, 'NotAcceptable', message),
  methodNotAllowed: (message: string) => status(405, 'MethodNotAllowed', message),
  forbidden: (message: string) => status(403, 'Forbidden', message),
  unauthorized: () => status(401, 'Unauthorized', 'Unauthorized'),
  tooLarge: (message = 'Request entity too large: limit is 3145728') => status(413, 'RequestEntityTooLarge', message),
  gone: (message: string) => status(410, 'Expired', message),
  /** 422 without field causes (e.g. a JSON patch that does not apply). */
  unprocessable: (message: string) => status(422, 'Invalid', message),
  internal: (message: string) => status(500, 'InternalError', `Internal error occurred: ${message}`),
  /** 422 Invalid with one cause per field error, e.g. `Service "web" is invalid: spec.ports[0].port: …`. */
  invalid: (kind: string, name: string, errs: FieldError[], group = '') => {
    const msgs = errs.map(formatFieldError);
    const agg = msgs.length === 1 ? msgs[0] : `[${msgs.join(', ')}]`;
    return status(422, 'Invalid', `${kind}${group ? '.' + group : ''} "${name}" is invalid: ${agg}`, {
      name, ...(group ? { group } : {}), kind,
      causes: errs.map((e) => ({ reason: e.type, message: fieldErrorBody(e), field: e.field })),
    });
  },
};
