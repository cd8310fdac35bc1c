/** What one deployment sync works with: the client, the event recorder, and write helpers. */
import type { Deployment } from '../../api/kinds/deployment.js';
import type { ReplicaSet } from '../../api/kinds/replicaset.js';
import type { Client } from '../../client/client.js';
import type { EventRecorder } from '../events.js';
import { clone, rfc3339 } from '../../apiserver/storage/meta.js';

export const DEPLOY = { resource: 'deployments', group: 'apps' };
export const RS = { resource: 'replicasets', group: 'apps' };

/** The controller's services for one sync. */
export interface SyncContext {
  client: Client;
  recorder: EventRecorder;
  /** Looks at the deployment again after ms milliseconds. */
  requeueAfter(ms: number): void;
  now(): Date;
}

export type DeploymentStatus = NonNullable<Deployment['status']>;
export type Condition = NonNullable<DeploymentStatus['conditions']>[number];

/** NewDeploymentCondition. */
export function newCondition(ctx: SyncContext, type: string, status: string, reason: string, message: string): Condition {
  const t = rfc3339(ctx.now());
  return { type, status, lastUpdateTime: t, lastTransitionTime: t, reason, message };
}

/** GetDeploymentCondition. */
export function getCondition(st: DeploymentStatus | undefined, type: string): Condition | undefined {
  return st?.conditions?.find((c) => c.type === type);
}

/** SetDeploymentCondition: no-op when status and reason are unchanged; keeps the transition time when status is. */
export function setCondition(st: DeploymentStatus, c: Condition): void {
  const cur = getCondition(st, c.type);
  if (cur && cur.status === c.status && cur.reason === c.reason) return;
  if (cur && cur.status === c.status) c = { ...c, lastTransitionTime: cur.lastTransitionTime };
  st.conditions = [...(st.conditions ?? []).filter((x) => x.type !== c.type), c];
}

/** RemoveDeploymentCondition. */
export function removeCondition(st: DeploymentStatus, type: string): void {
  if (!st.conditions) return;
  st.conditions = st.conditions.filter((x) => x.type !== type);
  if (st.conditions.length === 0) delete st.conditions;
}

/*
 * client.update returns the store's own object (the old one itself when nothing changed), so the
 * helpers below copy it: later in-place edits of the working copy must never reach the store, or
 * the next update compares the edited store object with itself, writes nothing and sends no event.
 */

/** Writes the deployment's status (UpdateStatus); `d` takes a private copy of the stored result. */
export async function updateStatus(ctx: SyncContext, d: Deployment, status: DeploymentStatus): Promise<void> {
  const out = clone(await ctx.client.update(DEPLOY, { ...d, status }, 'status')) as Deployment;
  d.metadata = out.metadata;
  d.status = out.status;
}

/** Writes the deployment's metadata (its revision annotation); `d` takes a private copy of the stored result. */
export async function updateMeta(ctx: SyncContext, d: Deployment): Promise<void> {
  const out = clone(await ctx.client.update(DEPLOY, d)) as Deployment;
  d.metadata = out.metadata;
  d.status = out.status;
}

/** Replaces a ReplicaSet; `rs` takes a private copy of the stored result. */
export async function updateRS(ctx: SyncContext, rs: ReplicaSet): Promise<void> {
  const out = clone(await ctx.client.update(RS, rs)) as ReplicaSet;
  rs.metadata = out.metadata;
  rs.spec = out.spec;
  rs.status = out.status;
}
