/**
 * Rate and connection limits (`IN:internal/ingress/annotations/ratelimit/main.go`, notes §5.4):
 * limit-rps, limit-rpm, limit-connections, limit-burst-multiplier, limit-whitelist/-allowlist; the
 * status codes come from the ConfigMap (`limit-req-status-code`, `limit-conn-status-code`).
 */
import type { AnnotationParser } from './types.js';

/** limit-*. */
export const ratelimit: AnnotationParser = ({ a, config }, out) => {
  const rps = a.int('limit-rps');
  const rpm = a.int('limit-rpm');
  const connections = a.int('limit-connections');
  const burstMultiplier = a.int('limit-burst-multiplier');
  const allow = a.cidrs('limit-allowlist');
  const white = a.cidrs('limit-whitelist');
  const allowlist = allow ?? white;
  if (!rps && !rpm && !connections) return;
  out.location.limits = {
    ...(rps ? { rps } : {}),
    ...(rpm ? { rpm } : {}),
    ...(connections ? { connections } : {}),
    burstMultiplier: burstMultiplier || 5,
    allowlist: allowlist ?? [],
    reqStatusCode: config.limitReqStatusCode,
    connStatusCode: config.limitConnStatusCode,
  };
};
