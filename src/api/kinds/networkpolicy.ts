/** NetworkPolicy (networking.k8s.io/v1): which traffic may reach, or leave, a set of pods. */
import { Obj, Opt, Str, Int32, List, Enum, IntOrString, Type, type Static } from '../schema.js';
import { kindProps, LabelSelector, type KObject } from '../meta.js';
import type { ResourceDef } from '../resource.js';
import { field, type FieldError } from '../errors.js';
import { age, ageColumn, col, nameColumn } from '../printers/util.js';
import { isValidPortName, isValidPortNum } from '../validation/names.js';
import { formatSelector, validateLabelSelector } from '../labels.js';
import { GoValue, goStringSlice } from '../gofmt.js';
import { formatIPBytes, parseIP, validateCIDR } from './netval.js';

const N = 'io.k8s.api.networking.v1.';

const IPBlockSchema = Obj(N + 'IPBlock', 'A CIDR range, minus some sub-ranges.', {
  cidr: Str('The allowed range, such as 192.168.1.0/24 or 2001:db8::/64.'),
  except: Opt(List(Type.String(), 'Sub-ranges of cidr that are excluded.', { 'x-kubernetes-list-type': 'atomic' })),
});

const NetworkPolicyPeerSchema = Obj(N + 'NetworkPolicyPeer', 'A set of peers: pods selected by labels (optionally in selected namespaces), or an IP block.', {
  podSelector: Opt(LabelSelector),
  namespaceSelector: Opt(LabelSelector),
  ipBlock: Opt(IPBlockSchema),
});

const NetworkPolicyPortSchema = Obj(N + 'NetworkPolicyPort', 'A port, or a range of ports, and its protocol.', {
  protocol: Opt(Enum('TCP, UDP or SCTP; TCP by default.', ['SCTP', 'TCP', 'UDP'])),
  port: Opt(IntOrString),
  endPort: Opt(Int32('Last port of a range starting at port; port must then be numeric.')),
});

const ports = Opt(List(NetworkPolicyPortSchema, 'Ports the rule allows; all ports when empty.', { 'x-kubernetes-list-type': 'atomic' }));

export const NetworkPolicySpecSchema = Obj(N + 'NetworkPolicySpec', 'The pods a NetworkPolicy selects and the traffic it allows.', {
  podSelector: Opt(LabelSelector),
  ingress: Opt(List(Obj(N + 'NetworkPolicyIngressRule', 'Traffic allowed into the selected pods.', {
    ports,
    from: Opt(List(NetworkPolicyPeerSchema, 'Sources allowed; all sources when empty.', { 'x-kubernetes-list-type': 'atomic' })),
  }), 'Ingress rules; traffic matching any rule is allowed.', { 'x-kubernetes-list-type': 'atomic' })),
  egress: Opt(List(Obj(N + 'NetworkPolicyEgressRule', 'Traffic allowed out of the selected pods.', {
    ports,
    to: Opt(List(NetworkPolicyPeerSchema, 'Destinations allowed; all destinations when empty.', { 'x-kubernetes-list-type': 'atomic' })),
  }), 'Egress rules; traffic matching any rule is allowed.', { 'x-kubernetes-list-type': 'atomic' })),
  policyTypes: Opt(List(Enum('Ingress or Egress.', ['Egress', 'Ingress']), 'Directions the policy applies to.', { 'x-kubernetes-list-type': 'atomic' })),
});

export const NetworkPolicySchema = Obj(N + 'NetworkPolicy', 'Describes the network traffic allowed for a set of pods.', kindProps({
  spec: Opt(NetworkPolicySpecSchema),
}), { 'x-kubernetes-group-version-kind': [{ group: 'networking.k8s.io', version: 'v1', kind: 'NetworkPolicy' }] });
export type NetworkPolicy = Static<typeof NetworkPolicySchema> & KObject;
type Port = Static<typeof NetworkPolicyPortSchema>;
type Peer = Static<typeof NetworkPolicyPeerSchema>;

/** A parsed CIDR: network bytes (masked) and prefix length. */
export function parseCIDR(s: string): { ip: number[]; bits: number } | null {
  const m = /^(.+)\/(\d{1,3})$/.exec(s);
  if (!m) return null;
  const ip = parseIP(m[1] as string), bits = Number(m[2]);
  if (!ip || bits > ip.length * 8) return null;
  return { ip: ip.map((b, i) => (i * 8 >= bits ? 0 : i * 8 + 8 <= bits ? b : b & (0xff << (8 - (bits - i * 8))) & 0xff)), bits };
}

/** Whether a parsed CIDR contains an address given as bytes (families must agree). */
export function cidrContains(net: { ip: number[]; bits: number }, ip: number[]): boolean {
  if (net.ip.length !== ip.length) return false;
  for (let i = 0; i * 8 < net.bits; i++) {
    const mask = i * 8 + 8 <= net.bits ? 0xff : (0xff << (8 - (net.bits - i * 8))) & 0xff;
    if (((ip[i] as number) & mask) !== (net.ip[i] as number)) return false;
  }
  return true;
}

function validatePort(p: Port, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (p.protocol !== undefined && !['TCP', 'UDP', 'SCTP'].includes(p.protocol)) errs.push(field.notSupported(`${path}.protocol`, p.protocol, ['TCP', 'UDP', 'SCTP']));
  if (p.port === undefined || p.port === null) {
    if (p.endPort !== undefined) errs.push(field.invalid(`${path}.endPort`, p.endPort, 'may not be specified when `port` is not specified'));
  } else if (typeof p.port === 'number') {
    for (const m of isValidPortNum(p.port)) errs.push(field.invalid(`${path}.port`, p.port, m));
    if (p.endPort !== undefined) {
      if (p.endPort < p.port) errs.push(field.invalid(`${path}.endPort`, p.endPort, 'must be greater than or equal to `port`'));
      for (const m of isValidPortNum(p.endPort)) errs.push(field.invalid(`${path}.endPort`, p.endPort, m));
    }
  } else {
    if (p.endPort !== undefined) errs.push(field.invalid(`${path}.endPort`, p.endPort, 'may not be specified when `port` is non-numeric'));
    for (const m of isValidPortName(p.port)) errs.push(field.invalid(`${path}.port`, p.port, m));
  }
  return errs;
}

function validatePeer(peer: Peer, path: string, allowedCIDRs: string[]): FieldError[] {
  const errs: FieldError[] = [];
  let n = 0;
  if (peer.podSelector) { n++; errs.push(...validateLabelSelector(peer.podSelector, `${path}.podSelector`)); }
  if (peer.namespaceSelector) { n++; errs.push(...validateLabelSelector(peer.namespaceSelector, `${path}.namespaceSelector`)); }
  if (peer.ipBlock) {
    n++;
    const b = peer.ipBlock, bp = `${path}.ipBlock`;
    const check = (p: string, v: string) => (allowedCIDRs.includes(v) ? [] : validateCIDR(p, v));
    if (!b.cidr) errs.push(field.required(`${bp}.cidr`));
    else {
      errs.push(...check(`${bp}.cidr`, b.cidr));
      const net = parseCIDR(b.cidr);
      if (net) {
        (b.except ?? []).forEach((e, i) => {
          const ep = `${bp}.except[${i}]`;
          errs.push(...check(ep, e));
          const ex = parseCIDR(e);
          if (ex && (!cidrContains(net, ex.ip) || net.bits >= ex.bits)) errs.push(field.invalid(ep, e, 'must be a strict subset of `cidr`'));
        });
      }
    }
  }
  if (n === 0) errs.push(field.required(path, 'must specify a peer'));
  else if (n > 1 && peer.ipBlock) errs.push(field.forbidden(path, 'may not specify both ipBlock and another peer'));
  return errs;
}

/** ValidateNetworkPolicySpec; `allowedCIDRs` are values an update keeps from the old object. */
export function validateNetworkPolicySpec(np: NetworkPolicy, allowedCIDRs: string[] = []): FieldError[] {
  const spec = np.spec ?? {};
  const errs = validateLabelSelector(spec.podSelector, 'spec.podSelector');
  for (const dir of ['ingress', 'egress'] as const) {
    (spec[dir] ?? []).forEach((rule, i) => {
      const rp = `spec.${dir}[${i}]`;
      (rule.ports ?? []).forEach((p, j) => errs.push(...validatePort(p, `${rp}.ports[${j}]`)));
      const peerKey = dir === 'ingress' ? 'from' : 'to';
      const peers = (rule as Record<string, Peer[] | undefined>)[peerKey] ?? [];
      peers.forEach((peer, j) => errs.push(...validatePeer(peer, `${rp}.${peerKey}[${j}]`, allowedCIDRs)));
    });
  }
  const types = spec.policyTypes ?? [];
  if (types.length > 2) {
    errs.push(field.invalid('spec.policyTypes', new GoValue(goStringSlice(types, 'networking.PolicyType')), 'may not specify more than two policyTypes'));
    return errs;
  }
  types.forEach((t, i) => { if (t !== 'Ingress' && t !== 'Egress') errs.push(field.notSupported(`spec.policyTypes[${i}]`, t, ['Ingress', 'Egress'])); });
  return errs;
}

function oldCIDRs(np: NetworkPolicy): string[] {
  const out: string[] = [];
  for (const r of np.spec?.ingress ?? []) for (const p of r.from ?? []) if (p.ipBlock) out.push(p.ipBlock.cidr, ...(p.ipBlock.except ?? []));
  for (const r of np.spec?.egress ?? []) for (const p of r.to ?? []) if (p.ipBlock) out.push(p.ipBlock.cidr, ...(p.ipBlock.except ?? []));
  return out;
}

/** The apiserver's warning for a CIDR with bits set beyond its prefix (accepted as its network), as for Services' ranges. */
function cidrWarning(path: string, value: string): string[] {
  const m = /^(.+)\/(\d{1,3})$/.exec(value);
  const ip = m ? parseIP(m[1] as string) : null;
  const net = parseCIDR(value);
  if (!m || !ip || !net || ip.every((b, i) => b === net.ip[i])) return [];
  const host = `${m[1]}/${ip.length * 8}`;
  return [`${path}: CIDR value "${value}" is ambiguous in this context (should be "${formatIPBytes(net.ip)}/${net.bits}" or "${host}"?)`];
}

/** Warnings on create (networkpolicy strategy WarningsOnCreate): ambiguous CIDRs of every ipBlock. */
export function networkPolicyWarnings(np: NetworkPolicy): string[] {
  const out: string[] = [];
  for (const dir of ['ingress', 'egress'] as const) {
    const peerKey = dir === 'ingress' ? 'from' : 'to';
    (np.spec?.[dir] ?? []).forEach((rule, i) => {
      const peers = (rule as Record<string, Peer[] | undefined>)[peerKey] ?? [];
      peers.forEach((p, j) => {
        if (!p.ipBlock) return;
        const path = `spec.${dir}[${i}].${peerKey}[${j}].ipBlock`;
        out.push(...cidrWarning(`${path}.cidr`, p.ipBlock.cidr));
        (p.ipBlock.except ?? []).forEach((e, k) => out.push(...cidrWarning(`${path}.except[${k}]`, e)));
      });
    });
  }
  return out;
}

/** SetDefaults_NetworkPolicy plus port defaults: policyTypes and protocol TCP. */
export function defaultNetworkPolicy(np: NetworkPolicy): void {
  const spec = (np.spec ??= {});
  spec.podSelector ??= {};
  if (!spec.policyTypes || spec.policyTypes.length === 0) {
    spec.policyTypes = (spec.egress ?? []).length ? ['Ingress', 'Egress'] : ['Ingress'];
  }
  for (const r of spec.ingress ?? []) for (const p of r.ports ?? []) p.protocol ??= 'TCP';
  for (const r of spec.egress ?? []) for (const p of r.ports ?? []) p.protocol ??= 'TCP';
}

export const networkPolicyDef: ResourceDef<NetworkPolicy> = {
  group: 'networking.k8s.io', version: 'v1', kind: 'NetworkPolicy', plural: 'networkpolicies', singular: 'networkpolicy',
  namespaced: true, shortNames: ['netpol'], categories: [],
  schema: NetworkPolicySchema, statusSubresource: false, generation: true,
  default: defaultNetworkPolicy,
  validate: (np, ctx) => (ctx.operation === 'update' ? [] : validateNetworkPolicySpec(np)),
  validateUpdate: (np, old) => validateNetworkPolicySpec(np, oldCIDRs(old)),
  warningsOnCreate: networkPolicyWarnings,
  columns: [nameColumn, col('Pod-Selector', 'string', 'Labels of the pods the policy applies to.'), ageColumn],
  row: (np, now) => [np.metadata.name ?? '', formatSelector(np.spec?.podSelector), age(np.metadata.creationTimestamp, now)],
};
