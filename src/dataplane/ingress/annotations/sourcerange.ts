/**
 * Source ranges (`IN:internal/ingress/annotations/ipallowlist`, `ipdenylist`, notes §5.5):
 * an annotation replaces the ConfigMap's global list.
 */
import type { AnnotationParser } from './types.js';

/** whitelist-source-range / allowlist-source-range, denylist-source-range. */
export const sourceRange: AnnotationParser = ({ a }, out) => {
  const allow = a.cidrs('allowlist-source-range');
  const white = a.cidrs('whitelist-source-range');
  if (allow ?? white) out.location.allowSourceRange = (allow ?? white)!;
  const deny = a.cidrs('denylist-source-range');
  if (deny) out.location.denySourceRange = deny;
};
