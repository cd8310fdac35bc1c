/** STAND-IN for helper "routes" (dropped at merge): a certificate without key material. */
import { createSecureContext } from 'node:tls';
import type { Certificate } from './model.js';

/** The controller's default certificate (stand-in: empty PEMs). */
export async function createFakeCertificate(): Promise<{ certPem: string; keyPem: string; certificate: Certificate }> {
  return Promise.resolve({ certPem: '', keyPem: '', certificate: { source: 'default-fake-certificate', context: createSecureContext() } });
}
