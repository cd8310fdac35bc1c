/**
 * Errors raised by the patch engines, carrying the HTTP status and Status reason that
 * kube-apiserver answers with, plus Go-style value formatting for upstream message texts.
 */

/** One entry of `Status.details.causes`. */
export interface PatchCause {
  type?: string;
  message: string;
  field?: string;
}

/** A patch failure: `code`/`reason` are what the server puts in the Status it returns. */
export class PatchError extends Error {
  /** Internal text (e.g. the json-patch failure) when `message` is a generic one. */
  readonly detail: string | undefined;
  readonly causes: PatchCause[] | undefined;
  constructor(readonly code: number, readonly reason: string, message: string, opts: { detail?: string; causes?: PatchCause[] } = {}) {
    super(message);
    this.name = 'PatchError';
    this.detail = opts.detail;
    this.causes = opts.causes;
  }
}

/** A 400 BadRequest patch error (apierrors.NewBadRequest). */
export function badRequest(message: string): PatchError {
  return new PatchError(400, 'BadRequest', message);
}

/** A plain Go error surfacing from the handler: kube turns it into a 500 with an empty reason. */
export function internal(message: string): PatchError {
  return new PatchError(500, '', message);
}

/** A 422 built by apierrors.NewGenericServerResponse: the server's own text is dropped. */
export function genericUnprocessable(detail: string): PatchError {
  return new PatchError(422, 'Invalid', 'the server rejected our request due to an error in our request', { detail });
}

/** Formats a float the way Go's %v does (shortest repr, exponent form from 1e+06 or below 1e-04). */
function goFloat(n: number): string {
  if (!Number.isFinite(n)) return n > 0 ? '+Inf' : n < 0 ? '-Inf' : 'NaN';
  if (n === 0) return '0';
  const exp = Math.floor(Math.log10(Math.abs(n)));
  if (exp < -4 || exp >= 6) {
    const [m = '', e = '0'] = n.toExponential().split('e');
    const en = Number(e);
    return `${m}e${en < 0 ? '-' : '+'}${String(Math.abs(en)).padStart(2, '0')}`;
  }
  return String(n);
}

/** Renders a decoded JSON value like Go's `fmt.Sprintf("%v", v)` (maps sorted by key). */
export function goValue(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'number') return goFloat(v);
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map(goValue).join(' ')}]`;
  const o = v as Record<string, unknown>;
  return `map[${Object.keys(o).sort().map((k) => `${k}:${goValue(o[k])}`).join(' ')}]`;
}

/** The Go type name of a decoded JSON value, as `reflect.TypeOf(v)` prints it. */
export function goType(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'number') return 'float64';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (Array.isArray(v)) return '[]interface {}';
  return 'map[string]interface {}';
}
