/**
 * The RBAC authorizer over the stored roles and bindings (plugin/pkg/auth/authorizer/rbac), behind
 * kube-apiserver's privileged-group authorizer for system:masters; also the rules a user has in a
 * namespace (SelfSubjectRulesReview).
 */
import { storeKey } from '../../api/registry.js';
import type { PolicyRule, Role, RoleBinding } from '../../api/kinds/rbac-schema.js';
import type { Store } from '../../store/types.js';
import { ruleAllows, subjectApplies, type Attributes } from './rules.js';
import { MASTERS, type UserInfo } from './user.js';

/** An authorization decision with kube's reason text. */
export interface Decision { allowed: boolean; reason: string }

const G = { group: 'rbac.authorization.k8s.io' };
const keys = {
  clusterRoles: { ...G, plural: 'clusterroles' }, roles: { ...G, plural: 'roles' },
  clusterRoleBindings: { ...G, plural: 'clusterrolebindings' }, roleBindings: { ...G, plural: 'rolebindings' },
};

interface Grant { binding: RoleBinding; rules: PolicyRule[] }

/** Decides requests from the roles and bindings in the store. */
export class RbacAuthorizer {
  constructor(private readonly store: Store) {}

  /** Whether the user may do what the attributes say. */
  authorize(a: Attributes): Decision {
    if (a.user.groups.includes(MASTERS)) return { allowed: true, reason: '' };
    for (const g of this.grants(a.user, a.resourceRequest ? a.namespace ?? '' : '')) {
      if (g.rules.some((r) => ruleAllows(a, r))) return { allowed: true, reason: describe(g.binding, a.user) };
    }
    return { allowed: false, reason: '' };
  }

  /** Every rule granted to the user in a namespace (cluster-wide bindings included). */
  rulesFor(user: UserInfo, namespace: string): PolicyRule[] {
    return [...this.grants(user, namespace)].flatMap((g) => g.rules);
  }

  private *grants(user: UserInfo, namespace: string): Generator<Grant> {
    for (const b of this.store.list(storeKey(keys.clusterRoleBindings, '')).items as RoleBinding[]) {
      if (!(b.subjects ?? []).some((s) => subjectApplies(user, s, ''))) continue;
      const role = this.role(b, '');
      if (role) yield { binding: b, rules: role.rules ?? [] };
    }
    if (!namespace) return;
    for (const b of this.store.list(storeKey(keys.roleBindings, namespace)).items as RoleBinding[]) {
      if (!(b.subjects ?? []).some((s) => subjectApplies(user, s, namespace))) continue;
      const role = this.role(b, namespace);
      if (role) yield { binding: b, rules: role.rules ?? [] };
    }
  }

  private role(b: RoleBinding, namespace: string): Role | undefined {
    const ref = b.roleRef;
    if (ref?.kind === 'ClusterRole') return this.store.get(storeKey(keys.clusterRoles, '', ref.name)) as Role | undefined;
    if (ref?.kind === 'Role' && namespace) return this.store.get(storeKey(keys.roles, namespace, ref.name)) as Role | undefined;
    return undefined;
  }
}

/** `RBAC: allowed by ClusterRoleBinding "x" of ClusterRole "y" to User "u"` (ruleAccumulator's reason). */
function describe(b: RoleBinding, user: UserInfo): string {
  const ns = b.metadata.namespace;
  const subject = (b.subjects ?? []).find((s) => subjectApplies(user, s, ns ?? ''));
  const who = subject ? `${subject.kind} "${subject.kind === 'ServiceAccount' ? `${subject.namespace || ns}/` : ''}${subject.name}"` : '';
  const binding = ns ? `RoleBinding "${b.metadata.name}/${ns}"` : `ClusterRoleBinding "${b.metadata.name}"`;
  return `RBAC: allowed by ${binding} of ${b.roleRef.kind} "${b.roleRef.name}" to ${who}`;
}
