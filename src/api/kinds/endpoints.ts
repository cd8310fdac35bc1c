/** Endpoints (v1, deprecated since 1.33): the addresses and ports that back a Service. */
import { Obj, Opt, Str, Int32, List, type Static } from '../schema.js';
import { kindProps, type KObject } from '../meta.js';
import type { ResourceDef } from '../resource.js';
import { field, type FieldError } from '../errors.js';
import { age, ageColumn, col, nameColumn } from '../printers/util.js';
import { isDNS1123Subdomain, isQualifiedName, isValidPortNum } from '../validation/names.js';
import { ObjectReference } from './pod-spec-common.js';
import { supportedProtocols, validateDNSLabel, validateIP, validateNonSpecialIP } from './netval.js';

const C = 'io.k8s.api.core.v1.';

/** The Warning kube-apiserver 1.33+ sends with every request on v1 Endpoints. */
export const endpointsDeprecationWarning = 'v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice';

export const EndpointAddressSchema = Obj(C + 'EndpointAddress', 'One IP address serving the endpoints.', {
  ip: Str('The IP address of the endpoint.'),
  hostname: Opt(Str('Hostname of the endpoint, a DNS label.')),
  nodeName: Opt(Str('Node hosting the endpoint.')),
  targetRef: Opt(ObjectReference),
}, { 'x-kubernetes-map-type': 'atomic' });

export const CoreEndpointPortSchema = Obj(C + 'EndpointPort', 'One port of an endpoint.', {
  name: Opt(Str('Port name; must match the ServicePort name when the Service has several ports.')),
  port: Int32('Port number.'),
  protocol: Opt(Str('IP protocol: TCP (default), UDP or SCTP.')),
  appProtocol: Opt(Str('Application protocol hint.')),
}, { 'x-kubernetes-map-type': 'atomic' });

export const EndpointSubsetSchema = Obj(C + 'EndpointSubset', 'A group of addresses that share the same set of ports.', {
  addresses: Opt(List(EndpointAddressSchema, 'Addresses ready to receive traffic.', { 'x-kubernetes-list-type': 'atomic' })),
  notReadyAddresses: Opt(List(EndpointAddressSchema, 'Addresses not ready yet (or no longer ready).', { 'x-kubernetes-list-type': 'atomic' })),
  ports: Opt(List(CoreEndpointPortSchema, 'Ports available on all the addresses.', { 'x-kubernetes-list-type': 'atomic' })),
});

export const EndpointsSchema = Obj(C + 'Endpoints', 'The set of endpoints that implement a Service.', kindProps({
  subsets: Opt(List(EndpointSubsetSchema, 'Groups of addresses with their ports.', { 'x-kubernetes-list-type': 'atomic' })),
}), { 'x-kubernetes-group-version-kind': [{ group: '', version: 'v1', kind: 'Endpoints' }] });
/** A v1 Endpoints object. */
export type Endpoints = Static<typeof EndpointsSchema> & KObject;
type Address = Static<typeof EndpointAddressSchema>;
type Port = Static<typeof CoreEndpointPortSchema>;

/** The Endpoints cell (formatEndpoints): `ip:port` for the first 3, then ` + N more...`; `<none>` without subsets. */
export function formatEndpoints(ep: Endpoints): string {
  const subsets = ep.subsets ?? [];
  if (subsets.length === 0) return '<none>';
  const list: string[] = [];
  const max = 3;
  let more = false;
  let count = 0;
  const add = (s: string) => { if (list.length === max) { more = true; return false; } list.push(s); return true; };
  for (const ss of subsets) {
    const addrs = ss.addresses ?? [];
    if (!ss.ports?.length) {
      count += addrs.length;
      for (const a of addrs) if (!add(a.ip)) break;
      continue;
    }
    for (const p of ss.ports) {
      count += addrs.length;
      for (const a of addrs) if (!add(a.ip.includes(':') ? `[${a.ip}]:${p.port}` : `${a.ip}:${p.port}`)) break;
    }
  }
  const s = list.join(',');
  return more ? `${s} + ${count - max} more...` : s;
}

function validateAddress(a: Address, path: string): FieldError[] {
  const errs = validateIP(`${path}.ip`, a.ip ?? '');
  if (a.hostname) errs.push(...validateDNSLabel(`${path}.hostname`, a.hostname));
  if (a.nodeName !== undefined) for (const m of isDNS1123Subdomain(a.nodeName)) errs.push(field.invalid(`${path}.nodeName`, a.nodeName, m));
  errs.push(...validateNonSpecialIP(`${path}.ip`, a.ip ?? ''));
  return errs;
}

/** validateEndpointPort, shared with nothing else but kept separate for readability. */
function validatePort(p: Port, requireName: boolean, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (requireName && !p.name) errs.push(field.required(`${path}.name`));
  else if (p.name) errs.push(...validateDNSLabel(`${path}.name`, p.name));
  for (const m of isValidPortNum(p.port ?? 0)) errs.push(field.invalid(`${path}.port`, p.port ?? 0, m));
  if (!p.protocol) errs.push(field.required(`${path}.protocol`));
  else if (!supportedProtocols.includes(p.protocol)) errs.push(field.notSupported(`${path}.protocol`, p.protocol, supportedProtocols));
  if (p.appProtocol !== undefined) for (const m of isQualifiedName(p.appProtocol)) errs.push(field.invalid(`${path}.appProtocol`, p.appProtocol, m));
  return errs;
}

/** ValidateEndpoints without the metadata part. */
export function validateEndpoints(ep: Endpoints): FieldError[] {
  const errs: FieldError[] = [];
  (ep.subsets ?? []).forEach((ss, i) => {
    const p = `subsets[${i}]`;
    if (!ss.addresses?.length && !ss.notReadyAddresses?.length) errs.push(field.required(p, 'must specify `addresses` or `notReadyAddresses`'));
    (ss.addresses ?? []).forEach((a, j) => errs.push(...validateAddress(a, `${p}.addresses[${j}]`)));
    (ss.notReadyAddresses ?? []).forEach((a, j) => errs.push(...validateAddress(a, `${p}.notReadyAddresses[${j}]`)));
    (ss.ports ?? []).forEach((port, j) => errs.push(...validatePort(port, (ss.ports?.length ?? 0) > 1, `${p}.ports[${j}]`)));
  });
  return errs;
}

/** SetDefaults_Endpoints: port protocol TCP (empty strings count as unset). */
export function defaultEndpoints(ep: Endpoints): void {
  for (const ss of ep.subsets ?? []) {
    for (const p of ss.ports ?? []) {
      if (p.name === '') delete p.name;
      if (!p.protocol) p.protocol = 'TCP';
    }
    for (const a of [...(ss.addresses ?? []), ...(ss.notReadyAddresses ?? [])]) if (a.hostname === '') delete a.hostname;
  }
}

export const endpointsDef: ResourceDef<Endpoints> = {
  group: '', version: 'v1', kind: 'Endpoints', plural: 'endpoints', singular: 'endpoints',
  namespaced: true, shortNames: ['ep'], categories: [],
  schema: EndpointsSchema, statusSubresource: false, generation: false,
  default: defaultEndpoints,
  validate: (ep) => validateEndpoints(ep),
  columns: [nameColumn, col('Endpoints', 'string', 'The addresses and ports of the endpoints.'), ageColumn],
  row: (ep, now) => [ep.metadata.name ?? '', formatEndpoints(ep), age(ep.metadata.creationTimestamp, now)],
};
