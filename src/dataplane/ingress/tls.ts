/**
 * Which certificate each host gets (`IN:internal/ingress/controller/controller.go` `createServers`,
 * `extractTLSSecretName`, notes §3): for every host of an Ingress with a non-empty `spec.tls`, the
 * Secret whose `tls.hosts` lists it, else one of the Ingress's Secrets covering it, else the default
 * certificate; the oldest Ingress to give a host a certificate wins.
 */
import type { Ingress } from '../../api/kinds/ingress.js';
import { namesOf, type SecretCertificate } from './certs.js';
import type { Certificate } from './model.js';

/** A Secret's certificate, why it is unusable, or undefined when the Secret does not exist. */
export type CertLookup = (namespace: string, name: string) => SecretCertificate | { error: string } | undefined;

/** Where selection reports problems: a log line, and whether it deserves a Warning event on the Ingress. */
export type TlsReport = (ing: Ingress, severity: 'W' | 'E', message: string, event: boolean) => void;

const DAY = 86400_000;

function covers(leaf: SecretCertificate['leaf'], host: string): boolean {
  if (host.startsWith('*.')) return namesOf(leaf).some((n) => n.toLowerCase() === host);
  return leaf.checkHost(host) !== undefined;
}

/** The certificates of the hosts of served Ingresses (oldest first). */
export function selectCertificates(ingresses: readonly Ingress[], lookup: CertLookup, fallback: Certificate, report: TlsReport, now = Date.now()): Map<string, Certificate> {
  const out = new Map<string, Certificate>();
  for (const ing of ingresses) {
    const tls = ing.spec?.tls ?? [];
    if (!tls.length) continue;
    const ns = ing.metadata.namespace ?? '';
    for (const rule of ing.spec?.rules ?? []) {
      const host = (rule.host ?? '').toLowerCase();
      if (!host || out.has(host)) continue;
      out.set(host, pick(ing, host, ns, tls, lookup, report, now) ?? fallback);
    }
  }
  return out;
}

function pick(ing: Ingress, host: string, ns: string, tls: NonNullable<NonNullable<Ingress['spec']>['tls']>, lookup: CertLookup, report: TlsReport, now: number): Certificate | undefined {
  const entry = tls.find((t) => t.hosts?.some((h) => h.toLowerCase() === host));
  let name = entry?.secretName;
  if (!entry) {
    // No entry lists the host: any of the Ingress's Secrets whose certificate covers it.
    name = tls.map((t) => t.secretName).find((s) => { const c = s ? lookup(ns, s) : undefined; return c && 'leaf' in c && covers(c.leaf, host); });
  }
  if (!name) return undefined;
  const key = `${ns}/${name}`;
  const cert = lookup(ns, name);
  if (!cert || 'error' in cert) {
    const why = cert ? cert.error : `local SSL certificate ${key} was not found`;
    report(ing, 'W', `Error getting SSL certificate "${key}": ${why}. Using default certificate`, true);
    return undefined;
  }
  if (!covers(cert.leaf, host)) {
    report(ing, 'W', `SSL certificate "${key}" does not contain a Common Name or Subject Alternative Name for server "${host}": x509: certificate is valid for ${namesOf(cert.leaf).join(', ')}, not ${host}`, true);
    report(ing, 'W', 'Using default certificate', false);
    return undefined;
  }
  const expiry = Date.parse(cert.leaf.validTo);
  if (expiry < now) report(ing, 'W', `SSL certificate for server "${host}" expired (${new Date(expiry).toISOString()})`, false);
  else if (expiry < now + 10 * DAY) report(ing, 'W', `SSL certificate for server "${host}" is about to expire (${new Date(expiry).toISOString()})`, false);
  return cert.certificate;
}
