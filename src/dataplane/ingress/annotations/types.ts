/** What the annotation parsers share: the parse context and the per-Ingress result they fill in. */
import type { Secret } from '../../../api/kinds/secret.js';
import type { CanaryConfig, LocationConfig } from '../model.js';
import type { ControllerConfig } from '../configmap.js';
import type { Annotations } from './values.js';

/** A canary Ingress's routing rules, before its backend is resolved (`canary-*`). */
export type CanarySpec = Omit<CanaryConfig, 'upstream' | 'ingress'>;

/** One Ingress's annotations, parsed: the location settings its paths get, and the host-wide effects. */
export interface IngressAnnotationConfig {
  /** Settings of every location of the Ingress (defaultBackend and canary are resolved later). */
  location: LocationConfig;
  /** `use-regex`: the Ingress's hosts switch to regex mode. */
  useRegex: boolean;
  /** `from-to-www-redirect`. */
  fromToWwwRedirect: boolean;
  /** Set on a canary Ingress (`canary: "true"`): its paths become alternatives of mainline locations. */
  canary?: CanarySpec;
  /** `default-backend`: a Service of the Ingress's namespace. */
  defaultBackendService?: string;
}

/** What a parser may read besides the annotations. */
export interface ParseContext {
  a: Annotations;
  /** `namespace/name` of the Ingress. */
  ingress: string;
  namespace: string;
  config: ControllerConfig;
  /** A Secret from the view; reading it makes the Ingress recompile when it changes. */
  secret(namespace: string, name: string): Secret | undefined;
  /** A Warning event on the Ingress. */
  warn(reason: string, message: string): void;
  /** A controller log line. */
  log(severity: 'I' | 'W' | 'E', message: string, kv?: Record<string, string>): void;
}

/** One annotation concern: reads its annotations, writes into the result; throws InvalidAnnotation. */
export type AnnotationParser = (ctx: ParseContext, out: IngressAnnotationConfig) => void;
