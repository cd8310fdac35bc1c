/**
 * An Ingress's `nginx.ingress.kubernetes.io/*` annotations → the settings of its locations, one
 * parser per concern (Caddy/CoreDNS style), over the ConfigMap's defaults. A value failing its
 * validator throws InvalidAnnotation (the Ingress is not served); an annotation no parser reads gets
 * an `UnsupportedAnnotation` Warning event and is otherwise ignored.
 */
import { affinity } from './affinity.js';
import { auth } from './auth.js';
import { canary } from './canary.js';
import { cors } from './cors.js';
import { errorPages } from './errors.js';
import { proxy } from './proxy.js';
import { ratelimit } from './ratelimit.js';
import { redirect } from './redirect.js';
import { rewrite } from './rewrite.js';
import { SNIPPETS } from './snippets.js';
import { sourceRange } from './sourcerange.js';
import type { AnnotationParser, IngressAnnotationConfig, ParseContext } from './types.js';
import { Annotations, PREFIX } from './values.js';

export type { IngressAnnotationConfig, CanarySpec, ParseContext } from './types.js';
export { InvalidAnnotation, PREFIX } from './values.js';
export { refusedSnippet } from './snippets.js';

/** The parsers, in order (rewrite first: affinity reads use-regex). */
const PARSERS: readonly AnnotationParser[] = [rewrite, redirect, proxy, auth, ratelimit, sourceRange, cors, canary, affinity, errorPages];

/** Parses one Ingress's annotations; throws InvalidAnnotation for a value its validator refuses. */
export function parseAnnotations(annotations: Readonly<Record<string, string>>, ctx: Omit<ParseContext, 'a'>): IngressAnnotationConfig {
  const a = new Annotations(annotations);
  const full: ParseContext = { ...ctx, a };
  const g = ctx.config.global.location;
  const out: IngressAnnotationConfig = {
    location: { ...g, allowSourceRange: [...g.allowSourceRange], denySourceRange: [...g.denySourceRange], customHttpErrors: [...g.customHttpErrors] },
    useRegex: false,
    fromToWwwRedirect: false,
  };
  for (const parse of PARSERS) parse(full, out);
  for (const name of a.unread()) {
    if (name in SNIPPETS) continue;
    ctx.warn('UnsupportedAnnotation', `annotation ${PREFIX}${name} is not supported by knet and has no effect`);
  }
  return out;
}
