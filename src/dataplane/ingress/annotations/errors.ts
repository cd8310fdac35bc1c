/**
 * The default backend of an Ingress and the upstream statuses it takes over
 * (`IN:internal/ingress/annotations/defaultbackend`, `customhttperrors`, notes §5.9).
 */
import { InvalidAnnotation, splitList } from './values.js';
import type { AnnotationParser } from './types.js';

const SERVICE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Status codes of a `custom-http-errors` value (each 3 digits, 400–599), or throws. */
export function parseStatusList(name: string, value: string): number[] {
  const codes = splitList(value).map(Number);
  if (!codes.length || codes.some((c) => !Number.isInteger(c) || c < 400 || c > 599)) throw new InvalidAnnotation(name, value);
  return codes;
}

/** default-backend, custom-http-errors. */
export const errorPages: AnnotationParser = ({ a }, out) => {
  const svc = a.matching('default-backend', SERVICE);
  if (svc) out.defaultBackendService = svc;
  const codes = a.str('custom-http-errors');
  if (codes !== undefined) out.location.customHttpErrors = parseStatusList('custom-http-errors', codes);
};
