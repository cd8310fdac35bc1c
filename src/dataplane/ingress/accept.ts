/**
 * Whether the controller accepts one version of an Ingress, and what its annotations ask: snippets
 * refused (ingress-nginx's defaults), paths checked (strict-validate-path-type), annotations parsed
 * over the ConfigMap's defaults. A refusal leaves the Ingress's last accepted version serving.
 */
import type { Ingress } from '../../api/kinds/ingress.js';
import type { Secret } from '../../api/kinds/secret.js';
import { keyOf } from '../../client/informer.js';
import { InvalidAnnotation, parseAnnotations, refusedSnippet } from './annotations/index.js';
import type { ParsedIngress } from './compile.js';
import type { ControllerConfig } from './configmap.js';
import { invalidPaths } from './paths.js';

/** An accepted Ingress version, or why it is refused; with the Secrets it read (a change re-parses it). */
export type Outcome = { parsed: ParsedIngress; secrets: Set<string> } | { error: string; secrets: Set<string> };

/** What accepting needs: the ConfigMap, the Secrets, and ways to speak once per version of the Ingress. */
export interface AcceptContext {
  config: ControllerConfig;
  secret(namespace: string, name: string): Secret | undefined;
  log(severity: 'I' | 'W' | 'E', message: string, kv?: Record<string, string>): void;
  /** Runs `say` unless `text` was already said for this version of the Ingress. */
  once(text: string, say: () => void): void;
  /** A Warning event on the Ingress. */
  event(reason: string, message: string): void;
}

/** Parses one Ingress version. */
export function acceptIngress(ing: Ingress, c: AcceptContext): Outcome {
  const key = keyOf(ing);
  const secrets = new Set<string>();
  const annotations = ing.metadata.annotations ?? {};
  const snippet = refusedSnippet(annotations, c.config.global.allowSnippetAnnotations);
  if (snippet) {
    c.once(snippet.log, () => c.log('E', snippet.log, { ingress: key }));
    return { error: snippet.event, secrets };
  }
  if (c.config.strictValidatePathType) {
    const bad = invalidPaths(ing);
    if (bad) return { error: bad, secrets };
  }
  const namespace = ing.metadata.namespace ?? '';
  try {
    const anns = parseAnnotations(annotations, {
      ingress: key, namespace, config: c.config, log: c.log,
      secret: (ns, name) => { secrets.add(`${ns}/${name}`); return c.secret(ns, name); },
      warn: (reason, message) => c.once(message, () => c.event(reason, message)),
    });
    return { parsed: { ingress: ing, ref: { namespace, name: ing.metadata.name ?? '', ...(ing.metadata.uid ? { uid: ing.metadata.uid } : {}) }, anns }, secrets };
  } catch (e) {
    if (!(e instanceof InvalidAnnotation)) throw e;
    return { error: `validation error on ingress ${key}: ${e.message}`, secrets };
  }
}
