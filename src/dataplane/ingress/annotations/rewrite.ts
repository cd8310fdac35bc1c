/**
 * The rewrite family (`IN:internal/ingress/annotations/rewrite/main.go`, notes §5.1): rewrite-target,
 * use-regex, app-root, x-forwarded-prefix.
 */
import type { AnnotationParser } from './types.js';

/** ingress-nginx's `RegexPathWithCapture`: a path (or target) with `$n` captures and query characters. */
export const PATH_WITH_CAPTURE = /^\/?[-._~a-zA-Z0-9/:$&?=%{}]*$/;
/** app-root: an absolute path or an http(s) URL. */
const APP_ROOT = /^(\/|https?:\/\/)[-._~a-zA-Z0-9/:&?=%]*$/;

/** rewrite-target, use-regex, app-root, x-forwarded-prefix. */
export const rewrite: AnnotationParser = ({ a }, out) => {
  const target = a.matching('rewrite-target', PATH_WITH_CAPTURE);
  if (target !== undefined) out.location.rewriteTarget = target;
  out.useRegex = a.bool('use-regex') ?? false;
  const appRoot = a.matching('app-root', APP_ROOT);
  if (appRoot !== undefined) out.location.appRoot = appRoot;
  const prefix = a.matching('x-forwarded-prefix', PATH_WITH_CAPTURE);
  if (prefix !== undefined) out.location.xForwardedPrefix = prefix;
};
