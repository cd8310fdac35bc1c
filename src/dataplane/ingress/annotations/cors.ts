/**
 * CORS (`IN:internal/ingress/annotations/cors/main.go`, notes §5.6): enable-cors and cors-*.
 */
import { splitList } from './values.js';
import type { AnnotationParser } from './types.js';

const METHODS = /^([A-Za-z]+,?\s?)+$/;
const HEADERS = /^([A-Za-z0-9\-_]+,?\s?)+$/;
const EXPOSE = /^(([A-Za-z0-9\-_]+|\*),?\s?)+$/;
/** One origin: `*`, or `scheme://host[:port]` with an optional one-label `*.` wildcard. */
const ORIGIN = /^(\*|https?:\/\/(\*\.)?[A-Za-z0-9\-.]*(:[0-9]+)?)$/;

/** ingress-nginx's CORS defaults. */
export const CORS_DEFAULTS = {
  allowMethods: 'GET, PUT, POST, DELETE, PATCH, OPTIONS',
  allowHeaders: 'DNT,Keep-Alive,User-Agent,X-Requested-With,If-Modified-Since,Cache-Control,Content-Type,Range,Authorization',
  maxAge: 1728000,
};

/** enable-cors, cors-allow-origin/-methods/-headers/-credentials, cors-expose-headers, cors-max-age. */
export const cors: AnnotationParser = ({ a, log, ingress }, out) => {
  const enabled = a.bool('enable-cors') ?? false;
  const origins = a.str('cors-allow-origin');
  const methods = a.matching('cors-allow-methods', METHODS);
  const headers = a.matching('cors-allow-headers', HEADERS);
  const expose = a.matching('cors-expose-headers', EXPOSE);
  const credentials = a.bool('cors-allow-credentials');
  const maxAge = a.int('cors-max-age');
  if (!enabled) return;
  const allowOrigin: string[] = [];
  for (const o of splitList(origins ?? '*')) {
    if (ORIGIN.test(o)) allowOrigin.push(o);
    else log('E', `Error parsing cors-allow-origin parameters. Supplied incorrect origin: ${o}. Skipping.`, { ingress });
  }
  out.location.cors = {
    allowOrigin: allowOrigin.includes('*') || !allowOrigin.length ? ['*'] : allowOrigin,
    allowMethods: methods ?? CORS_DEFAULTS.allowMethods,
    allowHeaders: headers ?? CORS_DEFAULTS.allowHeaders,
    exposeHeaders: expose ?? '',
    allowCredentials: credentials ?? true,
    maxAge: maxAge ?? CORS_DEFAULTS.maxAge,
  };
};
