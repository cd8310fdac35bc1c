/** The trigger-time annotation helper shared by the endpoint controllers. */
import type { KObject } from '../../api/meta.js';
import { rfc3339Nano } from './podutil.js';
import { ANNOTATION_ENDPOINTS_TRIGGER_TIME } from '../../api/wellknown.js';

/** Sets (or, when 0, removes) the last-change-trigger-time annotation. */
export function setTriggerTime(o: KObject, ms: number): void {
  const a = { ...(o.metadata.annotations ?? {}) };
  if (ms) a[ANNOTATION_ENDPOINTS_TRIGGER_TIME] = rfc3339Nano(ms);
  else delete a[ANNOTATION_ENDPOINTS_TRIGGER_TIME];
  if (Object.keys(a).length) o.metadata.annotations = a;
  else delete o.metadata.annotations;
}
