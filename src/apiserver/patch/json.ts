/**
 * RFC 6902 JSON patch (application/json-patch+json) with kube-apiserver's error behaviour:
 * a body that is not a list of operation objects is a 400; an operation that cannot be
 * applied is a 422 whose message is the generic "rejected our request" text.
 */
import fjp from 'fast-json-patch';
import type { Operation } from 'fast-json-patch';
import { badRequest, genericUnprocessable, PatchError } from './errors.js';
import { isMap } from './smp-order.js';

/** kube-apiserver's cap on the number of operations in one JSON patch. */
export const MAX_JSON_PATCH_OPERATIONS = 10000;

const OPS = new Set(['add', 'remove', 'replace', 'move', 'copy', 'test']);

/** The evanphx/json-patch style text for a failing operation (kept as the error's detail). */
function describe(op: Record<string, unknown>, code: string): string {
  const kind = String(op['op']);
  const path = String(op['path'] ?? '');
  const from = String(op['from'] ?? '');
  if (code === 'TEST_OPERATION_FAILED') return `testing value ${path} failed: test failed`;
  if (kind === 'replace') return `replace operation does not apply: doc is missing key: ${path}: missing value`;
  if (kind === 'move' || kind === 'copy') {
    if (code === 'OPERATION_FROM_UNRESOLVABLE') return `${kind} operation does not apply: doc is missing from path: ${from}: missing value`;
    return `${kind} operation does not apply: doc is missing destination path: ${path}: missing value`;
  }
  return `${kind} operation does not apply: doc is missing path: "${path}": missing value`;
}

/** Applies RFC 6902 operations to `original` and returns the result; inputs are not modified. */
export function jsonPatch(original: unknown, ops: unknown): unknown {
  if (!Array.isArray(ops)) {
    const t = isMap(ops) ? 'object' : ops === null ? 'null' : typeof ops;
    throw badRequest(`json: cannot unmarshal ${t} into Go value of type jsonpatch.Patch`);
  }
  if (ops.some((o) => !isMap(o))) throw badRequest('json: cannot unmarshal array into Go value of type jsonpatch.Operation');
  if (ops.length > MAX_JSON_PATCH_OPERATIONS) {
    throw new PatchError(413, 'RequestEntityTooLarge',
      `Request entity too large: The allowed maximum operations in a JSON patch is ${MAX_JSON_PATCH_OPERATIONS}, got ${ops.length}`);
  }
  let doc = structuredClone(original);
  for (const raw of ops as Record<string, unknown>[]) {
    const op = structuredClone(raw);
    if (!OPS.has(String(op['op']))) throw genericUnprocessable(`Unexpected kind: ${String(op['op'] ?? '')}`);
    if ((op['op'] === 'add' || op['op'] === 'replace' || op['op'] === 'test') && !('value' in op)) {
      throw genericUnprocessable(`${String(op['op'])} operation, missing value field`);
    }
    try {
      doc = fjp.applyOperation(doc, op as unknown as Operation, true, true).newDocument;
    } catch (e) {
      const code = e instanceof Error ? e.name : '';
      throw genericUnprocessable(describe(op, code));
    }
  }
  return doc;
}
