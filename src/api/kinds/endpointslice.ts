/** EndpointSlice (discovery.k8s.io/v1): a scalable slice of the endpoints behind a Service. */
import { Obj, Opt, Str, Int32, Bool, List, StrMap, Enum, Type, type Static } from '../schema.js';
import { kindProps, type KObject } from '../meta.js';
import type { ResourceDef } from '../resource.js';
import { field, type FieldError } from '../errors.js';
import { age, ageColumn, col, nameColumn } from '../printers/util.js';
import { isDNS1123Subdomain, isQualifiedName } from '../validation/names.js';
import { ObjectReference } from './pod-spec-common.js';
import { supportedProtocols, tooMany, validateDNSLabel, validateFQDN, validateIPFamily, validateNonSpecialIP } from './netval.js';

const D = 'io.k8s.api.discovery.v1.';

export const EndpointConditionsSchema = Obj(D + 'EndpointConditions', 'The current state of an endpoint.', {
  ready: Opt(Bool('The endpoint can receive new connections.')),
  serving: Opt(Bool('The endpoint is serving, whether or not it is terminating.')),
  terminating: Opt(Bool('The endpoint is shutting down.')),
});

const ForZone = Obj(D + 'ForZone', 'A zone that should consume an endpoint.', { name: Str('Name of the zone.') });
const ForNode = Obj(D + 'ForNode', 'A node that should consume an endpoint.', { name: Str('Name of the node.') });

export const EndpointHintsSchema = Obj(D + 'EndpointHints', 'Topology hints for consumers of an endpoint.', {
  forZones: Opt(List(ForZone, 'Zones that should consume this endpoint.', { 'x-kubernetes-list-type': 'atomic' })),
  forNodes: Opt(List(ForNode, 'Nodes that should consume this endpoint.', { 'x-kubernetes-list-type': 'atomic' })),
});

export const EndpointSchema = Obj(D + 'Endpoint', 'One backend of a Service: its addresses, readiness and location.', {
  addresses: List(Type.String(), 'Addresses of the endpoint, interpreted according to addressType.', { 'x-kubernetes-list-type': 'set' }),
  conditions: Opt(EndpointConditionsSchema),
  hostname: Opt(Str('Hostname of the endpoint, a DNS label.')),
  targetRef: Opt(ObjectReference),
  deprecatedTopology: Opt(StrMap('Deprecated topology labels; use nodeName and zone.')),
  nodeName: Opt(Str('Node hosting the endpoint.')),
  zone: Opt(Str('Zone the endpoint is in.')),
  hints: Opt(EndpointHintsSchema),
});

export const DiscoveryEndpointPortSchema = Obj(D + 'EndpointPort', 'A port used by the endpoints of a slice.', {
  name: Opt(Str('Port name, a DNS label or empty.')),
  protocol: Opt(Str('IP protocol: TCP (default), UDP or SCTP.')),
  port: Opt(Int32('Port number; empty means every port.')),
  appProtocol: Opt(Str('Application protocol hint.')),
}, { 'x-kubernetes-map-type': 'atomic' });

export const EndpointSliceSchema = Obj(D + 'EndpointSlice', 'A subset of the endpoints that implement a Service.', kindProps({
  addressType: Enum('Type of the addresses: IPv4, IPv6 or FQDN.', ['FQDN', 'IPv4', 'IPv6']),
  endpoints: List(EndpointSchema, 'The endpoints of the slice, at most 1000.', { 'x-kubernetes-list-type': 'atomic' }),
  ports: Opt(List(DiscoveryEndpointPortSchema, 'Ports exposed by every endpoint of the slice, at most 100.', { 'x-kubernetes-list-type': 'atomic' })),
}), { 'x-kubernetes-group-version-kind': [{ group: 'discovery.k8s.io', version: 'v1', kind: 'EndpointSlice' }] });
/** A discovery.k8s.io/v1 EndpointSlice object. */
export type EndpointSlice = Static<typeof EndpointSliceSchema> & KObject;
type Endpoint = Static<typeof EndpointSchema>;
type Port = Static<typeof DiscoveryEndpointPortSchema>;

function moreList(items: string[], count: number): string {
  const max = 3;
  const s = items.slice(0, max).join(',');
  if (count > max) return `${s} + ${count - max} more...`;
  return s || '<unset>';
}

/** The Ports cell: port numbers (or names, or `*`), first 3 then ` + N more...`, `<unset>` when none. */
export function formatSlicePorts(ports: Port[] | undefined): string {
  const list = (ports ?? []).map((p) => (p.port !== undefined && p.port !== null ? String(p.port) : p.name ?? '*'));
  return moreList(list, list.length);
}

/** The Endpoints cell: addresses, first 3 then ` + N more...`, `<unset>` when none. */
export function formatSliceEndpoints(eps: Endpoint[] | undefined): string {
  const list = (eps ?? []).flatMap((e) => e.addresses ?? []);
  return moreList(list, list.length);
}

function validateEndpoint(e: Endpoint, addrType: string, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const ap = `${path}.addresses`;
  const addrs = e.addresses ?? [];
  if (addrs.length === 0) errs.push(field.required(ap, 'must contain at least 1 address'));
  else if (addrs.length > 100) errs.push(tooMany(ap, addrs.length, 100));
  addrs.forEach((a, i) => {
    if (addrType === 'IPv4' || addrType === 'IPv6') {
      errs.push(...validateIPFamily(`${ap}[${i}]`, a, addrType === 'IPv4' ? 4 : 6), ...validateNonSpecialIP(`${ap}[${i}]`, a));
    } else if (addrType === 'FQDN') errs.push(...validateFQDN(`${ap}[${i}]`, a));
  });
  if (e.nodeName !== undefined) for (const m of isDNS1123Subdomain(e.nodeName)) errs.push(field.invalid(`${path}.nodeName`, e.nodeName, m));
  if (e.hostname !== undefined) errs.push(...validateDNSLabel(`${path}.hostname`, e.hostname));
  const zones = e.hints?.forZones ?? [];
  if (zones.length > 8) errs.push(tooMany(`${path}.hints.forZones`, zones.length, 8));
  return errs;
}

/** ValidateEndpointSlice without the metadata part. */
export function validateEndpointSlice(s: EndpointSlice, allowDeprecatedIP = false): FieldError[] {
  const errs: FieldError[] = [];
  const types = allowDeprecatedIP ? ['FQDN', 'IP', 'IPv4', 'IPv6'] : ['FQDN', 'IPv4', 'IPv6'];
  if (!s.addressType) errs.push(field.required('addressType'));
  else if (!types.includes(s.addressType)) errs.push(field.notSupported('addressType', s.addressType, types));
  const eps = s.endpoints ?? [];
  if (eps.length > 1000) errs.push(tooMany('endpoints', eps.length, 1000));
  else eps.forEach((e, i) => errs.push(...validateEndpoint(e, s.addressType, `endpoints[${i}]`)));
  const ports = s.ports ?? [];
  if (ports.length > 100) return [...errs, tooMany('ports', ports.length, 100)];
  const names = new Set<string>();
  ports.forEach((p, i) => {
    const path = `ports[${i}]`;
    const name = p.name ?? '';
    if (name) errs.push(...validateDNSLabel(`${path}.name`, name));
    if (names.has(name)) errs.push(field.duplicate(`${path}.name`, name));
    names.add(name);
    if (!p.protocol) errs.push(field.required(`${path}.protocol`));
    else if (!supportedProtocols.includes(p.protocol)) errs.push(field.notSupported(`${path}.protocol`, p.protocol, supportedProtocols));
    if (p.appProtocol !== undefined) for (const m of isQualifiedName(p.appProtocol)) errs.push(field.invalid(`${path}.appProtocol`, p.appProtocol, m));
  });
  return errs;
}

/** SetDefaults_EndpointPort: name "" and protocol TCP. */
export function defaultEndpointSlice(s: EndpointSlice): void {
  for (const p of s.ports ?? []) {
    p.name ??= '';
    if (!p.protocol) p.protocol = 'TCP';
  }
}

export const endpointSliceDef: ResourceDef<EndpointSlice> = {
  group: 'discovery.k8s.io', version: 'v1', kind: 'EndpointSlice', plural: 'endpointslices', singular: 'endpointslice',
  namespaced: true, shortNames: [], categories: [],
  schema: EndpointSliceSchema, statusSubresource: false, generation: true,
  default: defaultEndpointSlice,
  validate: (s, ctx) => validateEndpointSlice(s, ctx.operation === 'update'),
  validateUpdate: (s, old) => (s.addressType !== old.addressType ? [field.invalid('addressType', s.addressType, 'field is immutable')] : []),
  columns: [
    nameColumn,
    col('AddressType', 'string', 'The type of the addresses in the slice.'),
    col('Ports', 'string', 'The ports of the endpoints.'),
    col('Endpoints', 'string', 'Addresses of the endpoints.'),
    ageColumn,
  ],
  row: (s, now) => [s.metadata.name ?? '', s.addressType ?? '', formatSlicePorts(s.ports), formatSliceEndpoints(s.endpoints), age(s.metadata.creationTimestamp, now)],
};
