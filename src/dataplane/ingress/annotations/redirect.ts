/**
 * Redirects (`IN:internal/ingress/annotations/redirect/redirect.go`, notes §5.2, §3.1):
 * permanent/temporal-redirect and their codes, from-to-www-redirect, and the HTTPS redirect knobs.
 */
import { InvalidAnnotation } from './values.js';
import type { AnnotationParser } from './types.js';

const URL_LIKE = /^https?:\/\/[^\s"'<>\\]+$/i;

function redirectUrl(name: string, value: string | undefined): string | undefined {
  if (value !== undefined && !URL_LIKE.test(value)) throw new InvalidAnnotation(name, value);
  return value;
}

/** A redirect code: within [lo, hi] or the fallback. */
const codeWithin = (code: number | undefined, lo: number, hi: number, fallback: number): number =>
  code !== undefined && code >= lo && code <= hi ? code : fallback;

/** permanent-redirect(-code), temporal-redirect(-code), from-to-www-redirect, ssl/force-ssl redirects, preserve-trailing-slash, use-port-in-redirects. */
export const redirect: AnnotationParser = ({ a }, out) => {
  const loc = out.location;
  const temporal = redirectUrl('temporal-redirect', a.str('temporal-redirect'));
  const tcode = a.int('temporal-redirect-code');
  const permanent = redirectUrl('permanent-redirect', a.str('permanent-redirect'));
  const pcode = a.int('permanent-redirect-code');
  // temporal-redirect wins when both are set.
  if (temporal) loc.redirect = { url: temporal, code: codeWithin(tcode, 300, 307, 302) };
  else if (permanent) loc.redirect = { url: permanent, code: codeWithin(pcode, 300, 308, 301) };
  out.fromToWwwRedirect = a.bool('from-to-www-redirect') ?? false;
  loc.sslRedirect = a.bool('ssl-redirect') ?? loc.sslRedirect;
  loc.forceSslRedirect = a.bool('force-ssl-redirect') ?? loc.forceSslRedirect;
  loc.preserveTrailingSlash = a.bool('preserve-trailing-slash') ?? loc.preserveTrailingSlash;
  loc.usePortInRedirects = a.bool('use-port-in-redirects') ?? loc.usePortInRedirects;
};
