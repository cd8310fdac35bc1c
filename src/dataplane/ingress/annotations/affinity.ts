/**
 * Cookie affinity (`IN:internal/ingress/annotations/sessionaffinity/main.go`, notes §5.8):
 * affinity, affinity-mode, session-cookie-*.
 */
import type { AnnotationParser } from './types.js';

const COOKIE_NAME = /^[A-Za-z0-9_\-.]+$/;
const PATH = /^\/[-._~a-zA-Z0-9/]*$/;
const DOMAIN = /^[A-Za-z0-9\-.]+$/;

/** affinity, affinity-mode, session-cookie-name/-path/-domain/-expires/-max-age/-samesite/-conditional-samesite-none/-secure/-change-on-failure. */
export const affinity: AnnotationParser = ({ a, log, warn, ingress }, out) => {
  const type = a.matching('affinity', /^cookie$/);
  const mode = a.matching('affinity-mode', /^(balanced|persistent)$/) as 'balanced' | 'persistent' | undefined;
  const cookieName = a.matching('session-cookie-name', COOKIE_NAME);
  const path = a.matching('session-cookie-path', PATH);
  const domain = a.matching('session-cookie-domain', DOMAIN);
  const expires = a.int('session-cookie-expires');
  const maxAge = a.int('session-cookie-max-age');
  const sameSite = a.matching('session-cookie-samesite', /^(None|Lax|Strict)$/i);
  const conditionalSameSiteNone = a.bool('session-cookie-conditional-samesite-none') ?? false;
  const secure = a.bool('session-cookie-secure') ?? false;
  const changeOnFailure = a.bool('session-cookie-change-on-failure') ?? false;
  if (type !== 'cookie') return;
  if (out.useRegex && !path) log('W', 'session-cookie-path should be set when use-regex is true', { ingress });
  if (changeOnFailure) warn('UnsupportedAnnotation', 'session-cookie-change-on-failure is not supported by knet: a client whose endpoint fails is not moved to another one');
  out.location.affinity = {
    mode: mode ?? 'balanced',
    cookieName: cookieName ?? 'INGRESSCOOKIE',
    ...(path ? { path } : {}),
    ...(domain ? { domain } : {}),
    ...(expires !== undefined ? { expires } : {}),
    ...(maxAge !== undefined ? { maxAge } : {}),
    ...(sameSite ? { sameSite } : {}),
    conditionalSameSiteNone,
    secure,
    changeOnFailure,
  };
};
