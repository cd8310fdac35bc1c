/**
 * The cluster-role aggregation controller (clusterroleaggregation): a ClusterRole with an
 * aggregationRule gets, as its rules, the rules of every ClusterRole its selectors match, in name
 * order without duplicates. Any cluster role change re-queues the aggregated ones.
 */
import type { Role } from '../../api/kinds/rbac-schema.js';
import { selectorMatches } from '../../api/labels.js';
import type { Client } from '../../client/client.js';
import { inform } from '../../client/informer.js';
import { WorkQueue } from '../../client/workqueue.js';

const REF = { resource: 'clusterroles', group: 'rbac.authorization.k8s.io' };

/** Starts the controller. */
export function startClusterRoleAggregation(client: Client): { stop(): void; queue: WorkQueue } {
  const queue = new WorkQueue((name) => reconcile(client, name));
  const requeue = (): void => {
    for (const r of client.list(REF) as Role[]) if (r.aggregationRule) queue.add(r.metadata.name!);
  };
  const i = inform(client, REF, { add: requeue, update: requeue, delete: requeue });
  return { stop: () => { i.stop(); queue.stop(); }, queue };
}

/** The rules an aggregated role should have: those of the roles its selectors pick, deduplicated. */
export function aggregateRules(role: Role, all: Role[]): NonNullable<Role['rules']> {
  const out: NonNullable<Role['rules']> = [];
  const seen = new Set<string>();
  const selectors = role.aggregationRule?.clusterRoleSelectors ?? [];
  const picked = all.filter((r) => r.metadata.name !== role.metadata.name && selectors.some((s) => selectorMatches(s, r.metadata.labels ?? {})))
    .sort((a, b) => (a.metadata.name! < b.metadata.name! ? -1 : 1));
  for (const r of picked) {
    for (const rule of r.rules ?? []) {
      const k = JSON.stringify(rule);
      if (!seen.has(k)) { seen.add(k); out.push(rule); }
    }
  }
  return out;
}

async function reconcile(client: Client, name: string): Promise<void> {
  const role = client.get(REF, '', name) as Role | undefined;
  if (!role?.aggregationRule) return;
  const rules = aggregateRules(role, client.list(REF) as Role[]);
  if (JSON.stringify(rules) === JSON.stringify(role.rules ?? [])) return;
  await client.update(REF, { ...role, rules });
}
