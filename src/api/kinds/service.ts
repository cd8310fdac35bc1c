/** Service (v1): a stable virtual IP and DNS name in front of a set of pods. */
import type { ResourceDef, Cell } from '../resource.js';
import { age, ageColumn, col, formatLabels, nameColumn } from '../printers/util.js';
import { ServiceSchema, type Service, type ServicePort } from './service-schema.js';
import { defaultService, prepareServiceForCreate, prepareServiceForUpdate } from './service-defaults.js';
import { validateService, validateServiceUpdate } from './service-rules.js';

export { ServiceSchema, type Service } from './service-schema.js';

/** The External-IP cell (getServiceExternalIP with wide output): externalIPs, LB ingress, `<pending>`, or the externalName. */
export function serviceExternalIP(svc: Service): string {
  const spec = svc.spec ?? {};
  const ext = spec.externalIPs ?? [];
  switch (spec.type) {
    case 'ClusterIP':
    case 'NodePort':
      return ext.length ? ext.join(',') : '<none>';
    case 'LoadBalancer': {
      const lb = [...new Set((svc.status?.loadBalancer?.ingress ?? []).map((i) => i.ip || i.hostname || '').filter(Boolean))].sort();
      if (ext.length) return [...lb, ...ext].join(',');
      return lb.length ? lb.join(',') : '<pending>';
    }
    case 'ExternalName':
      return spec.externalName ?? '';
    default:
      return '<unknown>';
  }
}

/** The Port(s) cell: `80/TCP`, `80:30080/TCP`, comma-joined, or `<none>`. */
export function servicePorts(ports: ServicePort[] | undefined): string {
  const s = (ports ?? []).map((p) => (p.nodePort ? `${p.port}:${p.nodePort}/${p.protocol ?? ''}` : `${p.port}/${p.protocol ?? ''}`)).join(',');
  return s || '<none>';
}

/** One table row as printService renders it (server-side tables are always wide). */
export function serviceRow(svc: Service, now: Date): Cell[] {
  const spec = svc.spec ?? {};
  const clusterIP = spec.clusterIPs?.[0] ?? '<none>';
  return [svc.metadata.name ?? '', spec.type ?? '', clusterIP, serviceExternalIP(svc), servicePorts(spec.ports),
    age(svc.metadata.creationTimestamp, now), formatLabels(spec.selector)];
}

export const serviceDef: ResourceDef<Service> = {
  group: '', version: 'v1', kind: 'Service', plural: 'services', singular: 'service',
  namespaced: true, shortNames: ['svc'], categories: ['all'],
  schema: ServiceSchema, statusSubresource: true, generation: false, otherSubresources: ['proxy'],
  default: defaultService,
  prepareForCreate: prepareServiceForCreate,
  prepareForUpdate: prepareServiceForUpdate,
  validate: (svc) => validateService(svc),
  validateUpdate: validateServiceUpdate,
  columns: [
    nameColumn,
    col('Type', 'string', 'How the Service is exposed: ClusterIP, NodePort, LoadBalancer or ExternalName.'),
    col('Cluster-IP', 'string', 'The virtual IP of the Service, or None when headless.'),
    col('External-IP', 'string', 'Addresses outside the cluster at which the Service is reachable.'),
    col('Port(s)', 'string', 'Ports the Service exposes, with node ports when allocated.'),
    ageColumn,
    col('Selector', 'string', 'Labels of the pods the Service routes to.', 1),
  ],
  row: serviceRow,
  fieldSelectors: {
    'spec.clusterIP': (svc) => svc.spec?.clusterIP ?? '',
    'spec.type': (svc) => svc.spec?.type ?? '',
  },
};
