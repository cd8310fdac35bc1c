/**
 * The IP-family checks kube-apiserver's allocator makes on a single-stack IPv4 cluster
 * (initIPFamilyFields): families, clusterIPs and policies that need IPv6 are refused.
 */
import { errors, field, type FieldError } from '../../api/errors.js';
import { GoValue, goStringSlice } from '../../api/gofmt.js';
import type { Service } from '../../api/kinds/service.js';
import { parseIP } from '../../api/kinds/netval.js';

const family = (ip: string): string => (parseIP(ip)?.length === 16 ? 'IPv6' : 'IPv4');

/** Throws 422 when the Service asks for IPv6 or dual-stack, which this cluster is not configured for. */
export function checkIPFamilies(svc: Service): void {
  const spec = svc.spec ?? {};
  if (spec.type === 'ExternalName') return;
  const name = svc.metadata.name ?? '';
  const errs: FieldError[] = [];
  const policy = spec.ipFamilyPolicy;
  if (policy === 'SingleStack') {
    if (spec.clusterIPs?.length === 2) {
      errs.push(field.invalid('spec.ipFamilyPolicy', policy, "must be 'RequireDualStack' or 'PreferDualStack' when multiple cluster IPs are specified"));
    }
    if (spec.ipFamilies?.length === 2) {
      errs.push(field.invalid('spec.ipFamilyPolicy', policy, "must be 'RequireDualStack' or 'PreferDualStack' when multiple IP families are specified"));
    }
  }
  const ips = spec.clusterIPs ?? [];
  for (const [i, ip] of ips.entries()) {
    if (ip === 'None') break;
    if (family(ip) !== 'IPv4') errs.push(field.invalid(`spec.clusterIPs[${i}]`, new GoValue(goStringSlice(ips)), `${family(ip)} is not configured on this cluster`));
  }
  if (errs.length) throw errors.invalid('Service', name, errs);
  if (spec.clusterIP === 'None' && Object.keys(spec.selector ?? {}).length === 0) return;
  if (policy === 'RequireDualStack') errs.push(field.invalid('spec.ipFamilyPolicy', policy, 'this cluster is not configured for dual-stack services'));
  for (const [i, fam] of (spec.ipFamilies ?? []).entries()) {
    if (fam !== 'IPv4') errs.push(field.invalid(`spec.ipFamilies[${i}]`, fam, 'not configured on this cluster'));
  }
  if (errs.length) throw errors.invalid('Service', name, errs);
}
