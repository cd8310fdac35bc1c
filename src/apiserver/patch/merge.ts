/** RFC 7386 JSON merge patch (application/merge-patch+json). */
import { isMap } from './smp-order.js';

function merge(target: unknown, patch: unknown): unknown {
  if (!isMap(patch)) return structuredClone(patch);
  const out: Record<string, unknown> = isMap(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = merge(out[k], v);
  }
  return out;
}

/** Applies a JSON merge patch: objects merge recursively, `null` deletes, anything else replaces. */
export function mergePatch(original: unknown, patch: unknown): unknown {
  return merge(structuredClone(original), patch);
}
