/**
 * Orderings that kube-controller-manager derives from md5 hashes of Go values printed by spew
 * (`%#v`, as DeepHashObject does): the order of EndpointSlice ports and of Endpoints ports and subsets.
 */
import { createHash } from 'node:crypto';

const md5 = (s: string) => createHash('md5').update(s).digest('hex');
const str = (type: string, v: string | undefined) => `(${type})"${v ?? ''}"`;
const ptr = (type: string, v: string | number | undefined | null, quote = true) =>
  v === undefined || v === null ? `(*${type})<nil>` : `(*${type})${quote ? `"${v}"` : v}`;

/** A discovery/v1 EndpointPort. */
export interface SlicePortLike { name?: string; protocol?: string; port?: number | null; appProtocol?: string }
/** A core/v1 EndpointPort. */
export interface CorePortLike { name?: string; port: number; protocol?: string; appProtocol?: string }
/** A core/v1 EndpointAddress. */
export interface AddressLike { ip: string; hostname?: string; nodeName?: string; targetRef?: Record<string, unknown> }
/** A core/v1 EndpointSubset. */
export interface SubsetLike { addresses?: AddressLike[]; notReadyAddresses?: AddressLike[]; ports?: CorePortLike[] }

function slicePortBody(p: SlicePortLike): string {
  return `{Name:${ptr('string', p.name)} Protocol:${ptr('v1.Protocol', p.protocol)} Port:${ptr('int32', p.port, false)} AppProtocol:${ptr('string', p.appProtocol)}}`;
}

function corePortBody(p: CorePortLike): string {
  return `{Name:${str('string', p.name)} Port:(int32)${p.port} Protocol:${str('v1.Protocol', p.protocol)} AppProtocol:${ptr('string', p.appProtocol)}}`;
}

function refBody(r: Record<string, unknown>): string {
  const f = (k: string) => (typeof r[k] === 'string' ? (r[k] as string) : '');
  return `{Kind:${str('string', f('kind'))} Namespace:${str('string', f('namespace'))} Name:${str('string', f('name'))} UID:${str('types.UID', f('uid'))} APIVersion:${str('string', f('apiVersion'))} ResourceVersion:${str('string', f('resourceVersion'))} FieldPath:${str('string', f('fieldPath'))}}`;
}

function addressBody(a: AddressLike): string {
  const ref = a.targetRef ? `(*v1.ObjectReference)${refBody(a.targetRef)}` : '(*v1.ObjectReference)<nil>';
  return `{IP:${str('string', a.ip)} Hostname:${str('string', a.hostname)} NodeName:${ptr('string', a.nodeName)} TargetRef:${ref}}`;
}

function list<T>(type: string, items: T[] | undefined, body: (x: T) => string): string {
  return items ? `([]${type}){${items.map(body).join(' ')}}` : `([]${type})<nil>`;
}

/** Sorts discovery ports as NewPortMapKey does (in place) and returns a key naming the set. */
export function portMapKey(ports: SlicePortLike[]): string {
  const keyed = ports.map((p) => [md5(`(v1.EndpointPort)${slicePortBody(p)}`), p] as const);
  keyed.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  keyed.forEach(([, p], i) => { ports[i] = p; });
  return keyed.map(([h]) => h).join(',');
}

/** The hash that orders core ports within a subset (portsByHash). */
export function corePortHash(p: CorePortLike): string {
  return md5(`(v1.EndpointPort)${corePortBody(p)}`);
}

/** The hash that orders subsets (subsetsByHash); absent lists count as nil. */
export function subsetHash(s: SubsetLike): string {
  return md5(`(v1.EndpointSubset){Addresses:${list('v1.EndpointAddress', s.addresses, addressBody)} NotReadyAddresses:${list('v1.EndpointAddress', s.notReadyAddresses, addressBody)} Ports:${list('v1.EndpointPort', s.ports, corePortBody)}}`);
}
